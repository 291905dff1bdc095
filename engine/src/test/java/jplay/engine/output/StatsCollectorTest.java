package jplay.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.Test;

/** The expected counts are the PLAY RECAP lines of Ansible's runs in {@code src/test/resources/output}. */
class StatsCollectorTest {
  private static final RunListener NOWHERE = new JsonLinesOutput(new PrintStream(OutputStream.nullOutputStream()));

  @Test
  void demoCountsAsAnsibleRecap() {
    // localhost : ok=8 changed=6 unreachable=0 failed=1 skipped=1 rescued=0 ignored=2
    assertEquals(Map.of("localhost", new Events.HostStats(8, 6, 0, 1, 1, 0, 2)), Runs.demo(NOWHERE).stats());
  }

  @Test
  void verboseDiffCountsAsAnsibleRecap() {
    assertEquals(new Events.HostStats(6, 3, 0, 0, 1, 0, 0), Runs.verboseDiff(NOWHERE).stats("localhost"));
  }

  @Test
  void unreachableCountsAsAnsibleRecap() {
    assertEquals(new Events.HostStats(0, 0, 1, 0, 0, 0, 0), Runs.unreachable(NOWHERE).stats("h1"));
  }

  @Test
  void ignoredUnreachableCountsAsOkAndIgnored() {
    StatsCollector s = new StatsCollector();
    s.hostResult(result("h", Status.UNREACHABLE, true));
    assertEquals(new Events.HostStats(1, 0, 0, 0, 0, 0, 1), s.stats("h"));
  }

  @Test
  void failureThatChangedCountsChangedOnlyWhenIgnored() {
    StatsCollector s = new StatsCollector();
    s.hostResult(result("h", Status.FAILED, false));
    assertEquals(new Events.HostStats(0, 0, 0, 1, 0, 0, 0), s.stats("h"));
  }

  @Test
  void hostsInTheOrderTheyFirstReportedAndUnknownHostsZero() {
    StatsCollector s = new StatsCollector();
    s.hostResult(result("b", Status.OK, false));
    s.hostResult(result("a", Status.SKIPPED, false));
    s.hostResult(result("b", Status.CHANGED, false));
    assertEquals(List.of("b", "a"), List.copyOf(s.stats().keySet()));
    assertEquals(new Events.HostStats(2, 1, 0, 0, 0, 0, 0), s.stats("b"));
    assertEquals(Events.HostStats.ZERO, s.stats("nobody"));
  }

  private static Events.HostResult result(String host, Status status, boolean ignored) {
    Outcome o = new Outcome(true, status == Status.FAILED, status == Status.SKIPPED, "m", Map.of(), null);
    return new Events.HostResult(host, "t", status, o, Duration.ZERO, ignored, false, Map.of());
  }
}
