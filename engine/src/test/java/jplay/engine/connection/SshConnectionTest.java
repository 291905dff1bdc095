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
  void theModulesCommandsShareOneShellThatLeaksNothingFromOneToTheNext() throws Exception {
    try (Connection c = Connections.open(target(1))) {
      // The shell's own command line carries its tag: a command run in it sees it as its $$.
      String shell = c.run(Command.of("ps -o args= -p $$"), null, null).stdout();
      assertTrue(shell.contains("jplay-shell-"), shell);
      CommandResult cd = c.run(Command.of("cd /tmp; X=set; export Y=set; umask 0; trap 'echo trapped' EXIT; exit 7"), null, null);
      assertEquals(7, cd.rc());
      assertEquals("trapped\n", cd.stdout());
      CommandResult after = c.run(Command.of("pwd; echo \"[${X-}][${Y-}]\"; umask"), null, null);
      assertEquals(0, after.rc(), after.stderr());
      assertTrue(!after.stdout().startsWith("/tmp\n"), after.stdout());
      assertTrue(after.stdout().contains("[][]\n"), after.stdout());
      assertTrue(after.stdout().endsWith("0022\n") || after.stdout().endsWith("0002\n"), after.stdout());
      // Output without a final newline, empty output, output that looks like a frame, exec, a killed command.
      assertEquals("no newline", c.run(Command.of("printf 'no newline'"), null, null).stdout());
      CommandResult empty = c.run(Command.of("true"), null, null);
      assertEquals("", empty.stdout());
      assertEquals("", empty.stderr());
      CommandResult fake = c.run(Command.of("printf '\\nJPLAY-0000 0 5\\n'; echo err >&2"), null, null);
      assertEquals("\nJPLAY-0000 0 5\n", fake.stdout());
      assertEquals("err\n", fake.stderr());
      assertEquals("replaced\n", c.run(Command.of("exec echo replaced"), null, null).stdout());
      assertEquals(143, c.run(Command.of("kill -TERM $(sh -c 'echo $PPID')"), null, null).rc());
      // The shell is still the same one.
      assertEquals(shell, c.run(Command.of("ps -o args= -p $$"), null, null).stdout());
    }
  }

  @Test
  void aScriptReachesTheSharedShellAsWrittenLineForLine() throws Exception {
    try (Connection c = Connections.open(target(1))) {
      String shell = c.run(Command.of("ps -o args= -p $$"), null, null).stdout();
      assertTrue(shell.contains("jplay-shell-"), shell);
      // Leading blanks, backslashes, empty lines, a carriage return, quotes across lines, a here-document, a last
      // line without its newline and one with several: the shell runs the text it was given.
      String script = "x='  two\\\\ spaces\n\n\tand a tab\r'\nprintf '%s|' \"$x\"\ncat <<'EOF'\n  a\\b $y\nEOF\nprintf end";
      CommandResult r = c.run(Command.of(script), null, null);
      assertEquals(0, r.rc(), r.stderr());
      assertEquals("  two\\\\ spaces\n\n\tand a tab\r|  a\\b $y\nend", r.stdout());
      assertEquals("trailing\n", c.run(Command.of("echo trailing\n\n\n"), null, null).stdout());
      assertEquals("", c.run(Command.of(""), null, null).stdout());
      // Stderr without a final newline, stderr that looks like the frame's end, and stderr alone.
      CommandResult err = c.run(Command.of("printf out; printf '\\nJPLAY-00\\nno newline' >&2; exit 3"), null, null);
      assertEquals(3, err.rc());
      assertEquals("out", err.stdout());
      assertEquals("\nJPLAY-00\nno newline", err.stderr());
      CommandResult only = c.run(Command.of("echo e >&2").withStdin("unread"), null, null);
      assertEquals("", only.stdout());
      assertEquals("e\n", only.stderr());
      assertEquals(shell, c.run(Command.of("ps -o args= -p $$"), null, null).stdout());
      // A NUL cannot travel as a line of text: such a script takes a channel of its own (where sh refuses it).
      assertTrue(!HostShell.fits("echo a\0b"));
    }
  }

  @Test
  void megabytesOfOutputOnBothStreamsComeThroughTheSharedShell() throws Exception {
    try (Connection c = Connections.open(target(2))) {
      CommandResult r = c.run(Command.of("head -c 3000000 /dev/zero | tr '\\0' e >&2; head -c 2000000 /dev/zero | tr '\\0' o"), null, null);
      assertEquals(0, r.rc(), () -> r.stderr().substring(0, 200));
      assertEquals(2_000_000, r.stdout().length());
      assertEquals(3_000_000, r.stderr().length());
      assertTrue(r.stdout().chars().allMatch(ch -> ch == 'o') && r.stderr().chars().allMatch(ch -> ch == 'e'));
      assertEquals("next\n", c.run(Command.of("echo next"), null, null).stdout());
    }
  }

  @Test
  void theUsersCommandsLargeStdinBecomeAndTimeoutsGetAChannelOfTheirOwn() throws Exception {
    try (Connection c = Connections.open(target(3))) {
      String ps = "ps -o args= -p $$";
      assertTrue(c.run(Command.of(ps), null, null).stdout().contains("jplay-shell-"));
      assertTrue(!c.run(Command.of(ps).isolate(), null, null).stdout().contains("jplay-shell-"));
      assertTrue(c.run(Command.of(ps).withStdin("x"), null, null).stdout().contains("jplay-shell-"));
      byte[] big = new byte[HostShell.MAX_STDIN + 1];
      assertTrue(!c.run(Command.of(ps).withStdin(big), null, null).stdout().contains("jplay-shell-"));
      assertTrue(!c.run(Command.of(ps), null, Duration.ofSeconds(5)).stdout().contains("jplay-shell-"));
    }
  }

  @Test
  void stdinGoesThroughTheSharedShellWhetherTheCommandReadsAllOfItSomeOrNone() throws Exception {
    byte[] raw = new byte[300_000];
    new Random(7).nextBytes(raw);
    try (Connection c = Connections.open(target(0))) {
      String shell = c.run(Command.of("ps -o args= -p $$"), null, null).stdout();
      assertTrue(shell.contains("jplay-shell-"), shell);
      // Binary, read whole: what arrives is what was sent.
      CommandResult all = c.run(Command.of("od -An -v -tx1 | tr -d ' \\n'").withStdin(raw), null, null);
      assertEquals(java.util.HexFormat.of().formatHex(raw), all.stdout());
      // Read in part, and not at all: the rest is drained, the next command is in step.
      assertEquals("abc", c.run(Command.of("head -c 3").withStdin("abcdef\n".repeat(50_000)), null, null).stdout());
      CommandResult none = c.run(Command.of("echo ignored; exit 4").withStdin(raw), null, null);
      assertEquals(4, none.rc());
      assertEquals("ignored\n", none.stdout());
      assertEquals("x\n", c.run(Command.of("cat").withStdin("x\n"), null, null).stdout());
      assertEquals("", c.run(Command.of("cat"), null, null).stdout());
      assertEquals(shell, c.run(Command.of("ps -o args= -p $$"), null, null).stdout());
    }
  }

  @Test
  void smallTextInputGoesInTheScriptForACommandThatTakesItFromTheVariable() throws Exception {
    // The command tells which way its input came; both ways it must arrive byte for byte.
    Command echo = Command.of("if [ \"${JPLAY_STDIN+set}\" ]; then printf 'var:%s' \"$JPLAY_STDIN\";"
        + " else printf 'stdin:'; cat; fi").withStdinVariable();
    String text = "50% of 'it'\n\\n $HOME `x`\r\nno newline at the end";
    byte[] nul = {'a', 0, 'b'};
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
    String large = "y".repeat(HostShell.MAX_INLINE + 1);
    try (Connection c = Connections.open(target(0))) {
      assertEquals("var:" + text, c.run(echo.withStdin(text), null, null).stdout());
      assertEquals("var:", c.run(echo, null, null).stdout(), "no input is an empty variable");
      assertEquals("stdin:" + large, c.run(echo.withStdin(large), null, null).stdout());
      Command hex = Command.of("if [ \"${JPLAY_STDIN+set}\" ]; then echo var; else od -An -tx1 | tr -d ' \\n'; fi");
      assertEquals("610062", c.run(hex.withStdin(nul).withStdinVariable(), null, null).stdout(), "a NUL: piped");
      assertTrue(c.run(echo.withStdin(latin1), null, null).stdout().startsWith("stdin:"), "not UTF-8: piped");
      // Without the mark, and on a channel of its own, the input is piped and the variable unset.
      assertEquals("stdin:" + text, c.run(Command.of(echo.script()).withStdin(text), null, null).stdout());
      assertEquals("stdin:" + text, c.run(echo.withStdin(text).isolate(), null, null).stdout());
      assertEquals("var:x", c.run(echo.withStdin("x"), null, null).stdout(), "the shell is still in step");
    }
  }

  @Test
  void twoCommandsAtOnceOnOneHostBothRun() throws Exception {
    try (Connection c = Connections.open(target(3))) {
      // Two delegated tasks may use one host's connection at the same time: the second gets a channel.
      CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
        try {
          return c.run(Command.of("sleep 1; ps -o args= -p $$"), null, null).stdout();
        } catch (Exception e) {
          return e.toString();
        }
      });
      sleep(300);
      String fast = c.run(Command.of("ps -o args= -p $$"), null, null).stdout();
      assertTrue(!fast.contains("jplay-shell-"), fast);
      assertTrue(slow.get(10, TimeUnit.SECONDS).contains("jplay-shell-"));
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
  void anInterruptedCommandIsStoppedOnTheHostChildrenIncluded() throws Exception {
    try (Connection c = Connections.open(target(4))) {
      java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          c.run(Command.of("sleep 38.125 & sleep 38.625"), null, null);
        } catch (Throwable e) {
          thrown.set(e);
        }
      });
      t.start();
      assertEquals("running", poll(c, "pgrep -f 'sleep 38[.][16]25' >/dev/null && echo running || echo gone", "running"));
      t.interrupt();
      t.join(10_000);
      assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
      assertEquals("gone", poll(c, "pgrep -f 'sleep 38[.][16]25' >/dev/null && echo running || echo gone", "gone"),
          () -> sshd.log() + run(c, "ps -eo pid,pgid,sid,args"));
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

  static String run(Connection c, String script) {
    try {
      return c.run(Command.of(script), null, Duration.ofSeconds(5)).stdout();
    } catch (Exception e) {
      return e.toString();
    }
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
