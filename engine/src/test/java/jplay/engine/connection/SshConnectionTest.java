package jplay.engine.connection;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConnectionTest {
  private static Sshd sshd;

  @BeforeAll
  static void start() {
    sshd = Sshd.start(5);
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static Target target(int i) {
    return sshd.target(i);
  }

  private static Target with(Target t, String user, List<Path> keys, String password) {
    return new Target(t.name(), t.address(), t.port(), user, password, keys, t.connection(), t.hostKeyPolicy(), t.knownHosts(), t.connectTimeout());
  }

  @Test
  void runsAScriptAndReportsExitCodeStdoutAndStderr() throws Exception {
    try (Connection c = Connections.open(target(0))) {
      CommandResult r = c.run(Command.of("echo out; echo 'it'\"'\"'s err' >&2; exit 3"), null, null);
      assertEquals(3, r.rc());
      assertEquals("out\n", r.stdout());
      assertEquals("it's err\n", r.stderr());
      assertTrue(!r.end().isBefore(r.start()));
    }
  }

  @Test
  void runsUnderBinShWhateverTheLoginShell() throws Exception {
    try (Connection c = Connections.open(target(0))) {
      CommandResult r = c.run(Command.of("readlink /proc/$$/exe"), null, null);
      assertEquals(0, r.rc(), r.stderr());
      assertTrue(r.stdout().trim().matches("/(usr/)?bin/(dash|bash|sh|busybox)"), r.stdout());
    }
  }

  @Test
  void feedsStdinAndExportsEnvironment() throws Exception {
    try (Connection c = Connections.open(target(1))) {
      Command cmd = Command.of("printf '%s|%s|' \"$GREETING\" \"$EMPTY\"; cat")
          .withStdin("line one\nline two")
          .withEnv(Map.of("GREETING", "it's $HOME `x`", "EMPTY", ""));
      CommandResult r = c.run(cmd, null, Duration.ofSeconds(10));
      assertEquals(0, r.rc(), r.stderr());
      assertEquals("it's $HOME `x`||line one\nline two", r.stdout());
    }
  }

  @Test
  void rejectsAnEnvironmentNameTheShellCannotTake() throws Exception {
    try (Connection c = Connections.open(target(1))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> c.run(Command.of("true").withEnv(Map.of("A;rm", "x")), null, null));
      assertTrue(e.getMessage().contains("'A;rm' is not a valid shell name"), e.getMessage());
    }
  }

  @Test
  void movesSeveralMegabytesBothWaysWithoutDeadlock() throws Exception {
    byte[] raw = new byte[3 * 1024 * 1024];
    new Random(42).nextBytes(raw);
    String payload = Base64.getEncoder().encodeToString(raw);
    try (Connection c = Connections.open(target(2))) {
      // stdout echoes stdin while stderr is flooded too: a sequential reader would block on one full pipe.
      Command cmd = Command.of("head -c 3000000 /dev/zero | tr '\\0' e >&2; cat").withStdin(payload);
      CommandResult r = c.run(cmd, null, Duration.ofSeconds(30));
      assertEquals(0, r.rc());
      assertEquals(payload.length(), r.stdout().length());
      assertEquals(payload, r.stdout());
      assertEquals(3_000_000, r.stderr().length());
      assertArrayEquals(raw, Base64.getDecoder().decode(r.stdout()));
    }
  }

  @Test
  void aCommandThatIgnoresItsStdinStillFinishes() throws Exception {
    try (Connection c = Connections.open(target(2))) {
      CommandResult r = c.run(Command.of("echo done").withStdin(new byte[4 * 1024 * 1024]), null, Duration.ofSeconds(10));
      assertEquals(0, r.rc());
      assertEquals("done\n", r.stdout());
    }
  }

  @Test
  void timeoutStopsTheCommandAndItsChildren() throws Exception {
    try (Connection c = Connections.open(target(3))) {
      long t0 = System.nanoTime();
      CommandResult r = c.run(Command.of("echo started; sleep 37.25 & sleep 37.5; echo never"), null, Duration.ofMillis(1500));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertEquals(124, r.rc());
      assertEquals("started\n", r.stdout());
      assertTrue(r.stderr().endsWith("command timed out after 1.5 s"), r.stderr());
      assertTrue(ms >= 1400 && ms < 5000, "took " + ms + " ms");
      // The remote timeout(1) guard signals the whole process group, background child included.
      assertEquals("gone", poll(c, "pgrep -f 'sleep 37.[25]' >/dev/null && echo running || echo gone", "gone"));
    }
  }

  @Test
  void aSyntaxErrorIsAFailedCommandNotAnError() throws Exception {
    try (Connection c = Connections.open(target(3))) {
      CommandResult r = c.run(Command.of("if then fi"), null, Duration.ofSeconds(5));
      assertEquals(2, r.rc());
      assertTrue(r.stderr().toLowerCase(java.util.Locale.ROOT).contains("syntax error"), r.stderr());
    }
  }

  @Test
  void aDroppedConnectionMakesTheHostUnreachable() throws Exception {
    try (Connection c = Connections.open(target(4))) {
      CompletableFuture<Void> dropper = CompletableFuture.runAsync(() -> {
        sleep(500);
        sshd.dropConnections();
      });
      long t0 = System.nanoTime();
      UnreachableException e = assertThrows(UnreachableException.class, () -> c.run(Command.of("sleep 20"), null, null));
      dropper.join();
      assertTrue(e.getMessage().startsWith("connection to h5 (" + target(4).address() + ":" + sshd.port() + ") dropped while running a command"), e.getMessage());
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10));
    }
  }

  @Test
  void aConnectionThatDiedWhileIdleIsOpenedAgainOnce() throws Exception {
    Target t = target(4);
    try (Connection c = Connections.open(t)) {
      assertEquals("1\n", c.run(Command.of("echo 1"), null, null).stdout());
      int before = sshd.connectionCount(t.address());
      sshd.restart();
      assertEquals("2\n", c.run(Command.of("echo 2"), null, null).stdout());
      assertEquals("3\n", c.run(Command.of("echo 3"), null, null).stdout());
      assertEquals(before + 1, sshd.connectionCount(t.address()));
    }
  }

  @Test
  void anUnknownUserIsUnreachableWithTheMethodsTried() {
    Target t = with(target(0), "nosuchuser", List.of(sshd.clientKey()), null);
    // The developer's own ssh-agent (SSH_AUTH_SOCK) would add its keys to the list.
    SshAgent.use(Path.of("/nonexistent/agent.sock"));
    UnreachableException e;
    try {
      e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    } finally {
      SshAgent.use(null);
    }
    assertEquals("authentication failed for nosuchuser@" + t.address() + ": tried publickey " + sshd.clientKey()
        + "; the server accepts publickey,password", e.getMessage());
  }

  @Test
  void aKeyTheServerDoesNotKnowIsUnreachable(@TempDir Path tmp) throws Exception {
    Path key = tmp.resolve("other_key");
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
    assertEquals(0, p.waitFor());
    Target t = with(target(0), sshd.user(), List.of(key), null);
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertTrue(e.getMessage().startsWith("authentication failed for " + sshd.user() + "@" + t.address() + ": tried publickey " + key), e.getMessage());
  }

  @Test
  void aMissingKeyFileIsNamed(@TempDir Path tmp) {
    Path key = tmp.resolve("nope");
    Target t = with(target(0), sshd.user(), List.of(key), null);
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertEquals("cannot log in to h1 (" + t.address() + ":" + sshd.port() + "): private key " + key + " is missing or unreadable", e.getMessage());
  }

  @Test
  void aClosedPortIsUnreachableQuickly() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
      port = s.getLocalPort();
    }
    Target t0 = target(0);
    Target t = new Target("h1", t0.address(), port, t0.user(), null, t0.privateKeys(), "ssh", HostKeyPolicy.STRICT, t0.knownHosts(), Duration.ofSeconds(5));
    long start = System.nanoTime();
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertEquals("cannot connect to h1 (127.0.0.2:" + port + "): connection refused (is sshd running on that port?)", e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void aServerThatNeverSpeaksTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      List<Socket> accepted = new ArrayList<>();
      CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() -> {
        try {
          accepted.add(silent.accept());
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      Target t0 = target(0);
      Target t = new Target("h1", t0.address(), silent.getLocalPort(), t0.user(), null, t0.privateKeys(), "ssh", HostKeyPolicy.STRICT, t0.knownHosts(), Duration.ofMillis(700));
      long start = System.nanoTime();
      UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(e.getMessage().startsWith("cannot connect to h1 (127.0.0.2:" + silent.getLocalPort() + "): "), e.getMessage());
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
      assertTrue(ms < 4000, "took " + ms + " ms");
      silent.close();
      acceptor.join();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void closeNeverThrowsEvenTwice() throws Exception {
    Connection c = Connections.open(target(0));
    c.close();
    c.close();
  }

  @Test
  void anUnknownConnectionTypeSuggestsTheNearestOne() {
    Target t0 = target(0);
    Target t = new Target("h1", t0.address(), t0.port(), null, null, List.of(), "sssh", HostKeyPolicy.STRICT, null, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Connections.open(t));
    assertEquals("unknown connection type 'sssh' for host h1 (did you mean 'ssh'?); jplay supports ssh, local", e.getMessage());
  }

  static String poll(Connection c, String script, String wanted) throws Exception {
    String last = "";
    for (int i = 0; i < 40; i++) {
      last = c.run(Command.of(script), null, Duration.ofSeconds(5)).stdout().trim();
      if (last.equals(wanted)) {
        break;
      }
      Thread.sleep(100);
    }
    return last;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, UTF_8);
  }
}
