package jplay.engine.output;

import static jplay.engine.output.Runs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Outcome;
import jplay.engine.yaml.Mark;
import org.junit.jupiter.api.Test;

/** Loop items, retries, includes, delegation and rescues, shown and counted as Ansible 2.14 does. */
class LanguageEventsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private HumanOutput human(String module) {
    HumanOutput h = new HumanOutput(ps, ps, 0, false, false, 80, false);
    h.taskStarted(new Events.TaskStarted("t", module, new Mark("site.yml", 4, 7), false, List.of("h1")));
    bytes.reset();
    return h;
  }

  @Test
  void itemLinesAsAnsible() {
    HumanOutput h = human("command");
    h.itemResult(new Events.ItemResult("h1", "t", Status.CHANGED, Outcome.changed(map("item", "a")), "a", false, null));
    h.itemResult(new Events.ItemResult("h1", "t", Status.SKIPPED, Outcome.skipped("no"), "b", false, null));
    h.itemResult(new Events.ItemResult("h1", "t", Status.FAILED,
        new Outcome(false, true, false, "boom", map("ansible_loop_var", "item", "item", "c"), null), "c", false,
        null));
    h.itemResult(new Events.ItemResult("h2", "t", Status.OK, Outcome.ok(map()), "d", false, "h1"));
    h.hostResult(new Events.HostResult("h1", "t", Status.FAILED, Outcome.failed("One or more items failed", map()),
        Duration.ZERO, true, false, Map.of(), false, true, null));
    assertEquals("""
        changed: [h1] => (item=a)
        skipping: [h1] => (item=b)\s
        failed: [h1] (item=c) => {"ansible_loop_var": "item", "changed": false, "item": "c", "msg": "boom"}
        ok: [h2 -> h1] => (item=d)
        ...ignoring
        """, text());
  }

  @Test
  void debugItemsArePrettyPrinted() {
    HumanOutput h = human("debug");
    h.itemResult(new Events.ItemResult("h1", "t", Status.OK, Outcome.ok(map("msg", "x", "item", 1,
        "ansible_loop_var", "item")), "1", false, null));
    assertEquals("ok: [h1] => (item=1) => {\n    \"msg\": \"x\"\n}\n", text());
  }

  @Test
  void retriesIncludesAndTheEarlyEnd() {
    HumanOutput h = human("command");
    h.retry(new Events.Retry("h1", "t", 2, Outcome.failed("x", map())));
    h.included(new Events.Included("/p/inc.yml", List.of("h1", "h2"), null));
    h.included(new Events.Included("/p/inc.yml", List.of("h1"), "one"));
    h.noMoreHosts();
    assertEquals("""
        FAILED - RETRYING: [h1]: t (2 retries left).
        included: /p/inc.yml for h1, h2
        included: /p/inc.yml for h1 => (item=one)

        NO MORE HOSTS LEFT *************************************************************
        """, text());
  }

  @Test
  void rescuedFailuresAndIncludesAreCountedAsAnsible() {
    StatsCollector stats = new StatsCollector();
    stats.hostResult(new Events.HostResult("h1", "t", Status.FAILED, Outcome.failed("x", map()), Duration.ZERO,
        false, false, Map.of(), true, false, null));
    stats.included(new Events.Included("/p/inc.yml", List.of("h1", "h2"), null));
    assertEquals(new Events.HostStats(1, 0, 0, 0, 0, 1, 0), stats.stats("h1"));
    assertEquals(new Events.HostStats(1, 0, 0, 0, 0, 0, 0), stats.stats("h2"));
  }
}
