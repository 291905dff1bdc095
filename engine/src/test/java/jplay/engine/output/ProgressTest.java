package jplay.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.Test;

/** The progress display against a clock the test moves: what is shown, when, and how it makes way for output. */
class ProgressTest {
  private static final Instant T0 = Instant.parse("2026-11-23T02:00:00Z");

  /** A clock that stands still until the test moves it. */
  private static final class TestClock extends Clock {
    Instant now = T0;

    void at(long seconds) {
      now = T0.plusSeconds(seconds);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Stands for the human output: one line per result, on the same stream. */
  private record Lines(PrintStream out) implements RunListener {
    @Override
    public void hostResult(Events.HostResult e) {
      out.println("ok: [" + e.host() + "]");
    }

    @Override
    public void taskStarted(Events.TaskStarted e) {
      out.println("TASK [" + e.name() + "]");
    }
  }

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final TestClock clock = new TestClock();

  private Progress progress(Progress.Mode mode, long quiet, long period, int width) {
    return new Progress(new Lines(out), out, mode, clock, Duration.ofSeconds(quiet), Duration.ofSeconds(period),
        width);
  }

  private String taken() {
    String s = bytes.toString(StandardCharsets.UTF_8);
    bytes.reset();
    return s;
  }

  private static void start(Progress p, String task, String... hosts) {
    for (String h : hosts) {
      p.hostStarted(new Events.HostStarted(h, task));
    }
  }

  private static void done(Progress p, String task, String host) {
    p.hostResult(new Events.HostResult(host, task, Status.OK, Outcome.ok(Map.of()), Duration.ZERO, false, false,
        Map.of()));
  }

  private void tickAt(Progress p, long seconds) {
    clock.at(seconds);
    p.tick();
  }

  @Test
  void plainLinesEveryPeriodWhileHostsRunAndNoneForShortTasks() {
    Progress p = progress(Progress.Mode.LINES, 5, 30, 80);
    p.taskStarted(new Events.TaskStarted("quick", "command", null, false, List.of("a", "b")));
    start(p, "quick", "a", "b");
    tickAt(p, 1);
    tickAt(p, 2);
    done(p, "quick", "a");
    done(p, "quick", "b");
    tickAt(p, 40);
    assertEquals("TASK [quick]\nok: [a]\nok: [b]\n", taken());

    p.taskStarted(new Events.TaskStarted("install packages", "dnf", null, false, List.of("a", "b", "c")));
    start(p, "install packages", "a", "b", "c");
    for (long s = 41; s < 70; s++) {
      tickAt(p, s);
    }
    assertEquals("TASK [install packages]\n", taken());
    tickAt(p, 70);
    assertEquals("still running 'install packages' on 3 hosts: a, b, c (30s)\n", taken());
    tickAt(p, 71);
    clock.at(80);
    done(p, "install packages", "b");
    tickAt(p, 99);
    assertEquals("ok: [b]\n", taken());
    tickAt(p, 102);
    assertEquals("still running 'install packages' on 2 hosts: a, c (1m02s)\n", taken());
  }

  @Test
  void onATerminalOneStatusLineIsRedrawnInPlaceAndErasedBeforeOutput() {
    Progress p = progress(Progress.Mode.TERMINAL, 5, 30, 80);
    clock.at(0);
    start(p, "install", "web1", "web2");
    clock.at(3);
    start(p, "install", "db1");
    tickAt(p, 4);
    assertEquals("", taken());
    tickAt(p, 5);
    assertEquals("\r\033[Kstill running 'install' on 3 hosts: web1, web2 (5s), db1 (2s)", taken());
    tickAt(p, 62);
    assertEquals("\r\033[Kstill running 'install' on 3 hosts: web1, web2 (1m02s), db1 (59s)", taken());
    // A result: the line goes, the output comes on a clean line, the line comes back below it.
    done(p, "install", "web2");
    assertEquals("\r\033[Kok: [web2]\n\r\033[Kstill running 'install' on 2 hosts: web1 (1m02s), db1 (59s)",
        taken());
    done(p, "install", "web1");
    done(p, "install", "db1");
    assertEquals("\r\033[Kok: [web1]\n\r\033[Kstill running 'install' on 1 host: db1 (59s)\r\033[Kok: [db1]\n",
        taken());
    tickAt(p, 63);
    assertEquals("", taken());
  }

  @Test
  void theRunsEndErasesTheLineAndStopsTicking() {
    Progress p = progress(Progress.Mode.TERMINAL, 1, 30, 80).ticking(Duration.ofHours(1));
    start(p, "wait", "h1");
    tickAt(p, 3);
    assertEquals("\r\033[Kstill running 'wait' on 1 host: h1 (3s)", taken());
    p.runFinished(new Events.RunFinished(Map.of(), Duration.ofSeconds(3), List.of(), true));
    assertEquals("\r\033[K", taken());
    tickAt(p, 10);
    assertEquals("", taken());
  }

  @Test
  void manyHostsAreCutShortAndTheLineFitsTheTerminal() {
    Progress lines = progress(Progress.Mode.LINES, 0, 10, 80);
    for (int i = 1; i <= 12; i++) {
      clock.at(i);
      start(lines, "t", "node" + i);
    }
    tickAt(lines, 20);
    assertEquals("still running 't' on 12 hosts: node1 (19s), node2 (18s), node3 (17s), node4 (16s), node5 (15s), "
        + "node6 (14s), node7 (13s), node8 (12s), and 4 more\n", taken());

    Progress term = progress(Progress.Mode.TERMINAL, 0, 10, 40);
    start(term, "t", "node1");
    tickAt(term, 21);
    assertEquals("\r\033[Kstill running 't' on 1 host: node1 (1s)", taken());
    clock.at(100);
    start(term, "t", "a-rather-long-host-name.example.com");
    taken();
    term.tick();
    String shown = taken().substring(4);
    assertEquals("still running 't' on 2 hosts: node1 ...", shown);
    assertEquals(39, shown.length());
  }

  @Test
  void hostsOnDifferentTasksNameNoTask() {
    Progress p = progress(Progress.Mode.LINES, 0, 1, 80);
    start(p, "one", "a");
    start(p, "two", "b");
    tickAt(p, 3725);
    assertEquals("still running on 2 hosts: a, b (1h02m05s)\n", taken());
  }

  @Test
  void durationsInWholeSeconds() {
    assertEquals("0s", Progress.duration(Duration.ofMillis(999)));
    assertEquals("59s", Progress.duration(Duration.ofSeconds(59)));
    assertEquals("1m00s", Progress.duration(Duration.ofSeconds(60)));
    assertEquals("59m59s", Progress.duration(Duration.ofSeconds(3599)));
    assertEquals("1h00m00s", Progress.duration(Duration.ofSeconds(3600)));
  }

  @Test
  void aNarrowWidthIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> progress(Progress.Mode.TERMINAL, 1, 1, 5));
    assertEquals("width must be 10 or more, got 5", e.getMessage());
  }
}
