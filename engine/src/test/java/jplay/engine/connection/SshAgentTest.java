package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jplay.engine.api.CommandResult;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging in with the keys of a real ssh-agent (openssh-client), loaded with ssh-add; no key file given. */
class SshAgentTest {
  @TempDir Path dir;
  private Process agent;

  @AfterEach
  void stopAgent() throws InterruptedException {
    SshAgent.use(null);
    if (agent != null) {
      agent.destroy();
      agent.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private Path startAgent() throws Exception {
    Sshd.require(Files.isExecutable(Path.of("/usr/bin/ssh-agent")), "ssh-agent (openssh-client) is not installed");
    Path socket = dir.resolve("agent.sock");
    agent = new ProcessBuilder("/usr/bin/ssh-agent", "-D", "-a", socket.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile()).start();
    for (int i = 0; i < 100 && !Files.exists(socket); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(socket), "ssh-agent did not create its socket");
    SshAgent.use(socket);
    return socket;
  }

  private static void sshAdd(Path socket, Path key) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/ssh-add", key.toString()).redirectErrorStream(true);
    pb.environment().put("SSH_AUTH_SOCK", socket.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  private Path rsaKey(Sshd sshd) throws Exception {
    Path key = dir.resolve("id_rsa");
    Process p = new ProcessBuilder(Sshd.SSH_KEYGEN.toString(), "-q", "-t", "rsa", "-b", "2048", "-N", "", "-C",
        "rsa-in-agent", "-f", key.toString()).redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Path authorized = sshd.dir().resolve("authorized_keys");
    Files.writeString(authorized, Files.readString(authorized) + Files.readString(Path.of(key + ".pub")));
    return key;
  }

  @Test
  void logsInWithAnEd25519KeyFromTheAgent() throws Exception {
    try (Sshd sshd = Sshd.start(1)) {
      sshAdd(startAgent(), sshd.clientKey());
      assertLogsInByAgent(sshd, "ED25519");
    }
  }

  @Test
  void logsInWithAnRsaKeyFromTheAgentSigningWithSha2() throws Exception {
    try (Sshd sshd = Sshd.start(1)) {
      sshAdd(startAgent(), rsaKey(sshd));
      assertLogsInByAgent(sshd, "RSA");
    }
  }

  private static void assertLogsInByAgent(Sshd sshd, String keyType) throws Exception {
    Target t = sshd.target(0);
    // Without a key file: only the agent can log in.
    Target agentOnly = new Target(t.name(), t.address(), t.port(), t.user(), null, List.of(), t.connection(),
        t.hostKeyPolicy(), t.knownHosts(), Duration.ofSeconds(5));
    try (Connection c = SshConnection.open(agentOnly, null)) {
      CommandResult r = c.run(jplay.engine.api.Command.of("echo agent-ok"), null, null);
      assertEquals("agent-ok\n", r.stdout());
    }
    assertTrue(sshd.log().matches("(?s).*Accepted publickey for \\S+ from \\S+ port \\d+ ssh2: " + keyType
        + " .*"), sshd::log);
  }

  @Test
  void anEmptyAgentIsNamedInTheFailure() throws Exception {
    try (Sshd sshd = Sshd.start(1)) {
      startAgent();
      Target t = sshd.target(0);
      Target nothing = new Target(t.name(), t.address(), t.port(), t.user(), null, List.of(), t.connection(),
          t.hostKeyPolicy(), t.knownHosts(), Duration.ofSeconds(5));
      UnreachableException e = assertThrows(UnreachableException.class, () -> SshConnection.open(nothing, null));
      assertTrue(e.getMessage().startsWith("authentication failed for " + t.user() + "@" + t.address() + ": tried "),
          e.getMessage());
    }
  }

  @Test
  void noAgentWhenTheSocketIsGone() throws IOException {
    SshAgent.use(dir.resolve("no-such.sock"));
    assertEquals(null, SshAgent.find());
  }
}
