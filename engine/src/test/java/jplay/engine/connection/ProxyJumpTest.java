package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ProxyJump through real sshd: the jump host (127.0.0.2) and the target (127.0.0.3) are two loopback sshd, and
 * the target's log shows the connection coming from the jump host's sshd, not from jplay.
 */
class ProxyJumpTest {
  @TempDir Path dir;

  @AfterEach
  void defaultConfig() {
    SshClientConfig.use(null);
  }

  @Test
  void connectsThroughAJumpHostNamedInTheSshConfig() throws Exception {
    try (Sshd jump = Sshd.start(1); Sshd target = Sshd.start(1)) {
      Path known = dir.resolve("known_hosts");
      Files.writeString(known, Files.readString(jump.knownHosts()) + Files.readString(target.knownHosts()));
      Path config = dir.resolve("ssh_config");
      Files.writeString(config, String.join("\n",
          "Host app",
          "  HostName " + target.addresses().get(0),
          "  Port " + target.port(),
          "  IdentityFile " + target.clientKey(),
          "  ProxyJump " + jump.user() + "@gateway",
          "Host gateway",
          "  HostName " + jump.addresses().get(0),
          "  Port " + jump.port(),
          "  IdentityFile " + jump.clientKey(),
          ""));
      SshClientConfig.use(config);
      Target app = new Target("app", "app", 22, target.user(), null, List.of(), "ssh", HostKeyPolicy.STRICT, known,
          Duration.ofSeconds(5));
      try (Connection c = Connections.open(app)) {
        CommandResult r = c.run(Command.of("echo $SSH_CONNECTION"), null, null);
        assertEquals(0, r.rc(), r::toString);
        // SSH_CONNECTION: client address and port, server address and port, as the target's sshd saw them.
        String[] seen = r.stdout().trim().split(" ");
        assertEquals(List.of(target.addresses().get(0), Integer.toString(target.port())),
            List.of(seen[2], seen[3]));
        int sourcePort = Integer.parseInt(seen[1]);
        // The jump host's sshd opened that TCP connection for jplay's direct-tcpip channel: its log names it.
        Matcher m = Pattern.compile("Connection from (\\S+) port (\\d+) on ").matcher(jump.log());
        assertTrue(m.find(), jump::log);
        int jplayToJump = Integer.parseInt(m.group(2));
        assertTrue(jplayToJump != sourcePort, "the target must not see jplay's own socket");
        assertEquals(1, jump.loginCount(), jump::log);
        assertEquals(1, target.loginCount(), target::log);
        assertTrue(sshdChildOwns(jump, sourcePort),
            "no process of the jump host's sshd holds the socket from port " + sourcePort);
      }
    }
  }

  /** True when a process under the jump host's sshd holds the TCP socket bound to {@code localPort}. */
  private static boolean sshdChildOwns(Sshd jump, int localPort) throws Exception {
    Process ss = new ProcessBuilder("ss", "-tnpH", "sport = :" + localPort).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes());
    ss.waitFor();
    return out.contains("sshd");
  }

  @Test
  void anUnknownJumpHostKeyMakesTheTargetUnreachable() throws Exception {
    try (Sshd jump = Sshd.start(1); Sshd target = Sshd.start(1)) {
      // known_hosts with the target's key only: the jump host's key must be checked too, and fail.
      Path config = dir.resolve("ssh_config");
      Files.writeString(config, String.join("\n",
          "Host app",
          "  HostName " + target.addresses().get(0),
          "  Port " + target.port(),
          "  IdentityFile " + target.clientKey(),
          "  ProxyJump " + jump.user() + "@" + jump.addresses().get(0) + ":" + jump.port(),
          "Host " + jump.addresses().get(0),
          "  IdentityFile " + jump.clientKey(),
          ""));
      SshClientConfig.use(config);
      Target app = new Target("app", "app", 22, target.user(), null, List.of(), "ssh", HostKeyPolicy.STRICT,
          target.knownHosts(), Duration.ofSeconds(5));
      UnreachableException e = org.junit.jupiter.api.Assertions.assertThrows(UnreachableException.class,
          () -> Connections.open(app).close());
      assertTrue(e.getMessage().startsWith("cannot reach app (" + target.addresses().get(0) + ":" + target.port()
          + ") through its ProxyJump: "), e.getMessage());
      assertEquals(0, jump.loginCount(), jump::log);
      assertEquals(0, target.loginCount(), target::log);
    }
  }
}
