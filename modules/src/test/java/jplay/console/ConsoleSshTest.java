package jplay.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import jplay.engine.cli.Cli;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.inventory.Inventory;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.repl.Console;
import jplay.engine.repl.ConsoleSession;
import jplay.engine.run.RunOptions;
import jplay.engine.testing.Sshd;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as a live session over real SSH (three loopback hosts): driven through a pipe as a script, and
 * through a jline dumb terminal as a person would (prompt, Tab, Ctrl-C, Ctrl-D).
 */
class ConsoleSshTest {
  private static Sshd sshd;
  private static Path inventory;
  private static Path work;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    sshd = Sshd.start(3);
    work = dir;
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    StringBuilder ini = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      ini.append(i == 1 ? "[web]\n" : i == 3 ? "[db]\n" : "");
      ini.append("h").append(i).append(" ansible_host=").append(sshd.addresses().get(i - 1))
          .append(" ansible_port=").append(sshd.port()).append('\n');
    }
    ini.append("[all:vars]\nansible_user=").append(sshd.user()).append('\n');
    ini.append("ansible_ssh_private_key_file=").append(sshd.clientKey()).append('\n');
    inventory = dir.resolve("hosts.ini");
    Files.writeString(inventory, ini.toString());
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static Cli piped(String pattern, String lines) {
    return Cli.stdin(lines, List.of("console", "-i", inventory.toString(), "--known-hosts",
        sshd.knownHosts().toString(), "--color", "never", pattern));
  }

  private static int[] connections() {
    int[] n = new int[3];
    for (int i = 0; i < 3; i++) {
      n[i] = sshd.connectionCount(sshd.addresses().get(i));
    }
    return n;
  }

  @Test
  void aTwentyLineSessionOpensOneConnectionPerHost() {
    int[] before = connections();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lines.add("ping");
      lines.add("!echo line" + i);
      lines.add("command hostname");
      lines.add("debug msg={{ last.stdout }}");
    }
    Cli r = piped("all", String.join("\n", lines) + "\n");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err());
    int[] after = connections();
    for (int i = 0; i < 3; i++) {
      assertEquals(1, after[i] - before[i], "connections to h" + (i + 1) + " for 20 lines:\n" + sshd.log());
    }
    assertEquals(20, count(r.out(), "h1 | CHANGED | rc=0 >>\n") + count(r.out(), "h1 | SUCCESS => {"), r.out());
    // Piped: no prompt, nothing but results.
    assertFalse(r.out().contains("@all"), r.out());
  }

  @Test
  void lastAndRegisteredResultsFeedLaterLines() {
    Cli r = piped("web", """
        command echo {{ inventory_hostname }}-x
        :register first
        command echo again
        debug msg="{{ first.stdout }} {{ last.stdout }}"
        :vars
        """);
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("registered 'first' on 2 hosts\n"), r.out());
    assertTrue(r.out().contains("h1 | SUCCESS => {\n    \"msg\": \"h1-x again\"\n}\n"), r.out());
    assertTrue(r.out().contains("h2 | SUCCESS => {\n    \"msg\": \"h2-x again\"\n}\n"), r.out());
    assertTrue(r.out().contains("registered: last, first\n"), r.out());
  }

  @Test
  void factsAreGatheredOnceWhenFirstNeededAndAgainOnRequest() {
    Cli r = piped("db", """
        debug msg={{ ansible_system }}
        debug msg="{{ ansible_facts.system }} again"
        :facts
        :cd web
        debug msg={{ ansible_system }}
        """);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(2, count(r.out(), "facts gathered on 1 host\n"), r.out());
    assertEquals(1, count(r.out(), "facts gathered on 2 hosts\n"), r.out());
    assertTrue(r.out().contains("h3 | SUCCESS => {\n    \"msg\": \"Linux\"\n}\n"), r.out());
    assertTrue(r.out().contains("h3 | SUCCESS => {\n    \"msg\": \"Linux again\"\n}\n"), r.out());
  }

  @Test
  void aScriptedSessionExitsWithWhatWentWrong() {
    assertEquals(2, piped("web", "ping\ncommand false\nping\n").exitCode());
    Cli r = piped("web", "fiel path=/tmp/x\n");
    assertEquals(4, r.exitCode());
    assertEquals("ERROR! unknown module or command 'fiel' (did you mean 'file'?); :help lists the commands,"
        + " !fiel path=/tmp/x runs it as a shell command\n", r.err());
    r = piped("web", "file path=/tmp/x stat=touch\n");
    assertEquals("ERROR! console line 1: unknown parameter 'stat' for file (did you mean 'state'?)\n", r.err());
  }

  @Test
  void aPatternThatMatchesNothingIsABadOption() {
    Cli r = piped("wbe", "ping\n");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! no hosts match 'wbe' (did you mean 'web'?)\n", r.err());
  }

  /** A person at a (dumb) terminal: prompt, Tab, Ctrl-C at the prompt and while a line runs, Ctrl-D. */
  @Test
  void aTerminalSessionSurvivesCtrlCAndEndsOnCtrlD() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys, 4096);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    ByteArrayOutputStream results = new ByteArrayOutputStream();
    Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, in, screen, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(results, true, StandardCharsets.UTF_8);
    RunOptions options = new RunOptions(50, null, Map.of(), null, null, null, null, false, null, null,
        Duration.ofSeconds(10), null, HostKeyPolicy.STRICT, sshd.knownHosts(), false, false, 0);
    Path history = work.resolve("history");
    lastScreen = new Object() {
      @Override
      public String toString() {
        return text(screen);
      }
    };
    lastResults = new Object() {
      @Override
      public String toString() {
        return text(results);
      }
    };
    int[] before = connections();
    AtomicInteger exit = new AtomicInteger(-1);
    try (ConsoleSession session = new ConsoleSession(ModuleRegistry.discover(),
        Inventory.load(List.of(inventory.toString()), null), options, "web", out, out, false, false, "human")) {
      Thread loop = new Thread(() -> exit.set(Console.interactive(session, terminal, history)));
      loop.start();
      // Tab completes the unique module name; Enter runs it.
      type(keys, "pin\t\n");
      await(() -> text(results).contains("h2 | SUCCESS"), "ping ran");
      // Ctrl-C at the prompt drops the typed text. (A terminal's driver turns the key into SIGINT, which jline
      // raises; a stream-fed dumb terminal has no driver, so the test raises it as jline would.)
      type(keys, "fiel");
      Thread.sleep(300);
      terminal.raise(Terminal.Signal.INT);
      type(keys, ":become on\n");
      await(() -> text(screen).contains("@web (2)# "), "the prompt shows become");
      type(keys, ":become off\n");
      type(keys, "command sleep 30\n");
      await(session::busy, "the line runs");
      Thread.sleep(700);
      long start = System.nanoTime();
      terminal.raise(Terminal.Signal.INT);
      await(() -> text(results).contains("h2 | INTERRUPTED"), "the hosts report the interruption");
      assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "interrupted promptly");
      await(() -> !session.busy(), "the prompt came back");
      type(keys, "!echo still here\n");
      await(() -> text(results).contains("h2 | CHANGED | rc=0 >>\nstill here\n"), "the session goes on");
      keys.close();
      loop.join(10_000);
      assertFalse(loop.isAlive(), "Ctrl-D (end of input) leaves the console");
    }
    assertEquals(0, exit.get());
    String shown = text(results);
    assertTrue(shown.contains("h1 | INTERRUPTED\n"), shown);
    assertFalse(shown.contains("ERROR!"), "the Ctrl-C'd 'fiel' never ran:\n" + shown);
    String prompt = sshd.user() + "@web (2)$ ";
    assertTrue(text(screen).contains(prompt), text(screen));
    // The interrupted line did not cost the session its connections.
    int[] after = connections();
    assertEquals(1, after[0] - before[0], sshd.log());
    assertEquals(1, after[1] - before[1], sshd.log());
    List<String> saved = Files.readAllLines(history);
    assertTrue(saved.stream().anyMatch(l -> l.endsWith("command sleep 30")), saved.toString());
  }

  private static volatile Object lastScreen = "";
  private static volatile Object lastResults = "";

  private static void type(PipedOutputStream keys, String s) throws IOException {
    keys.write(s.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  private static String text(ByteArrayOutputStream b) {
    synchronized (b) {
      return b.toString(StandardCharsets.UTF_8);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what + "\n--- screen\n" + lastScreen + "\n--- results\n"
            + lastResults);
      }
      Thread.sleep(50);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
