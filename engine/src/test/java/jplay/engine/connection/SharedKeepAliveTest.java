package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jplay.engine.testing.Sshd;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one keep-alive thread against a real sshd: answered probes keep a link, unanswered ones end it. */
class SharedKeepAliveTest {
  private static Sshd sshd;

  @BeforeAll
  static void start() {
    sshd = Sshd.start(1);
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static SSHClient client() throws Exception {
    SSHClient c = new SSHClient(SshConfig.get());
    c.addHostKeyVerifier(new PromiscuousVerifier());
    c.connect(sshd.addresses().get(0), sshd.port());
    c.authPublickey(sshd.user(), c.loadKeys(sshd.clientKey().toString()));
    return c;
  }

  @Test
  void answeredProbesKeepTheLink() throws Exception {
    SSHClient c = client();
    try {
      SharedKeepAlive.watch(c, 3600); // the timer stays out of the way: the test probes by hand
      for (int i = 0; i < SharedKeepAlive.MAX_UNANSWERED + 2; i++) {
        SharedKeepAlive.probeAll();
        Thread.sleep(100);
      }
      Thread.sleep(300);
      assertEquals(0, SharedKeepAlive.unanswered(c));
      assertTrue(c.isConnected());
    } finally {
      SharedKeepAlive.forget(c);
      c.disconnect();
    }
    assertEquals(-1, SharedKeepAlive.unanswered(c));
  }

  @Test
  void aServerThatStopsAnsweringIsDeclaredDead() throws Exception {
    SSHClient c = client();
    List<String> server = serverPids(c.getLocalPort());
    assertFalse(server.isEmpty(), "no sshd process found for local port " + c.getLocalPort());
    signal("STOP", server);
    try {
      SharedKeepAlive.watch(c, 3600);
      for (int i = 0; i < SharedKeepAlive.MAX_UNANSWERED; i++) {
        SharedKeepAlive.probeAll();
      }
      assertEquals(SharedKeepAlive.MAX_UNANSWERED, SharedKeepAlive.unanswered(c));
      SharedKeepAlive.probeAll();
      for (int i = 0; i < 50 && c.isConnected(); i++) {
        Thread.sleep(100);
      }
      assertFalse(c.isConnected(), "the link should be declared dead");
      assertEquals(-1, SharedKeepAlive.unanswered(c));
    } finally {
      signal("CONT", server);
      c.disconnect();
    }
  }

  /** The sshd processes holding the server end of the connection from {@code localPort}. */
  private static List<String> serverPids(int localPort) throws Exception {
    Process p = new ProcessBuilder("ss", "-Htnp", "state", "established", "( sport = :" + sshd.port() + " and dport = :"
        + localPort + " )").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    List<String> pids = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(out);
    while (m.find()) {
      if (!pids.contains(m.group(1))) {
        pids.add(m.group(1));
      }
    }
    return pids;
  }

  private static void signal(String sig, List<String> pids) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
    cmd.addAll(pids);
    new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }
}
