package jplay.engine.output;

import static jplay.engine.output.Runs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jplay.engine.api.Diff;
import jplay.engine.api.Outcome;
import jplay.engine.yaml.Mark;
import org.junit.jupiter.api.Test;

/**
 * The golden files in {@code src/test/resources/output} are Ansible 2.14's real output for the playbooks beside
 * them ({@code ansible-playbook -i localhost, -c local X.yml}, with {@code ANSIBLE_FORCE_COLOR=1} for the colour
 * one); jplay must print the same bytes.
 */
class HumanOutputTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = HumanOutputTest.class.getResourceAsStream("/output/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HumanOutput human(int verbosity, boolean color, boolean diff) {
    return new HumanOutput(ps, ps, verbosity, color, diff, 80, false);
  }

  /** One task with one result, without the banners, at the given verbosity. */
  private String one(int verbosity, String module, Status status, Outcome o, boolean ignored, boolean noLog) {
    HumanOutput h = human(verbosity, false, false);
    h.taskStarted(new Events.TaskStarted("t", module, new Mark("site.yml", 4, 7), false, List.of("web1")));
    bytes.reset();
    h.hostResult(new Events.HostResult("web1", "t", status, o, Duration.ZERO, ignored, noLog, Map.of("a", 1)));
    return text();
  }

  @Test
  void demoPlaybookAsAnsible() throws IOException {
    Runs.demo(human(0, false, false));
    assertEquals(golden("demo.txt"), text());
  }

  @Test
  void demoPlaybookInColourAsAnsible() throws IOException {
    Runs.demo(human(0, true, false));
    assertEquals(golden("demo-color.txt"), text());
  }

  @Test
  void verboseWithDiffAsAnsible() throws IOException {
    Runs.verboseDiff(human(1, false, false));
    assertEquals(golden("verbose-diff.txt"), text());
  }

  @Test
  void unreachableAsAnsible() throws IOException {
    Runs.unreachable(human(0, false, false));
    assertEquals(golden("unreachable.txt"), text());
  }

  @Test
  void okChangedSkippedLinesAtVerbosity0() {
    assertEquals("ok: [web1]\n", one(0, "file", Status.OK, Outcome.ok(map("path", "/x")), false, false));
    bytes.reset();
    assertEquals("changed: [web1]\n", one(0, "file", Status.CHANGED, Outcome.changed(Map.of()), false, false));
    bytes.reset();
    assertEquals("skipping: [web1]\n", one(0, "file", Status.SKIPPED, Outcome.skipped("no"), false, false));
  }

  @Test
  void resultsAsOneLineOfSortedJsonAtVerbosity1() {
    assertEquals(
        "ok: [web1] => {\"changed\": false, \"mode\": \"0644\", \"path\": \"/x\"}\n",
        one(1, "file", Status.OK, Outcome.ok(map("path", "/x", "mode", "0644")), false, false));
    bytes.reset();
    assertEquals(
        "skipping: [web1] => {\"changed\": false, \"skip_reason\": \"Conditional result was False\"}\n",
        one(1, "file", Status.SKIPPED, Outcome.skipped("Conditional result was False"), false, false));
  }

  @Test
  void verbosity3PrettyPrintsWithInvocation() {
    assertEquals(
        "changed: [web1] => {\n    \"changed\": true,\n    \"invocation\": {\n        \"module_args\": {\n"
            + "            \"a\": 1\n        }\n    },\n    \"path\": \"/x\"\n}\n",
        one(3, "file", Status.CHANGED, Outcome.changed(map("path", "/x")), false, false));
  }

  @Test
  void debugIsShownAtVerbosity0AndKeepsOnlyItsMessage() {
    assertEquals(
        "ok: [web1] => {\n    \"msg\": \"hi\"\n}\n",
        one(0, "ansible.builtin.debug", Status.OK, Outcome.ok(map("msg", "hi", "changed", false)), false, false));
    bytes.reset();
    // the message may also come as the outcome's msg
    assertEquals("ok: [web1] => {\n    \"msg\": \"hi\"\n}\n",
        one(0, "debug", Status.OK, Outcome.ok(Map.of()).withMsg("hi"), false, false));
    bytes.reset();
    assertEquals("ok: [web1] => {\n    \"x\": [\n        1\n    ]\n}\n",
        one(0, "debug", Status.OK, Outcome.ok(map("x", List.of(1))), false, false));
  }

  @Test
  void anyModuleCanAskToBeShownLikeDebug() {
    assertEquals(
        "ok: [web1] => {\n    \"changed\": false,\n    \"report\": \"r\"\n}\n",
        one(0, "custom", Status.OK, Outcome.ok(map("report", "r", Results.VERBOSE_ALWAYS, true)), false, false));
  }

  @Test
  void failedLineIsOneLineAtVerbosity0AndIgnoringFollows() {
    assertEquals(
        "fatal: [web1]: FAILED! => {\"changed\": false, \"msg\": \"boom\", \"rc\": 2}\n...ignoring\n",
        one(0, "command", Status.FAILED, Outcome.failed("boom", map("rc", 2, "failed", true)), true, false));
  }

  @Test
  void unreachableCanBeIgnored() {
    assertEquals(
        "fatal: [web1]: UNREACHABLE! => {\"changed\": false, \"msg\": \"refused\", \"unreachable\": true}\n"
            + "...ignoring\n",
        one(0, "ping", Status.UNREACHABLE, Outcome.failed("refused", Map.of()), true, false));
  }

  @Test
  void noLogCensorsEverythingButChanged() {
    String censored = "{\"censored\": \"the output has been hidden due to the fact that 'no_log: true' was "
        + "specified for this result\", \"changed\": false}";
    assertEquals("fatal: [web1]: FAILED! => " + censored + "\n",
        one(0, "command", Status.FAILED, Outcome.failed("password=hunter2", map("stdout", "hunter2")), false, true));
    bytes.reset();
    assertEquals("ok: [web1] => " + censored + "\n",
        one(1, "command", Status.OK, Outcome.ok(map("stdout", "hunter2")), false, true));
    bytes.reset();
    // a censored debug is not shown at verbosity 0, as Ansible
    assertEquals("ok: [web1]\n", one(0, "debug", Status.OK, Outcome.ok(map("msg", "hunter2")), false, true));
  }

  @Test
  void diffIsPrintedBeforeTheChangedLine() {
    Outcome o = Outcome.changed(Map.of()).withDiff(Diff.of("/etc/x", "a\nb\n", "a\nc\n"));
    HumanOutput h = human(0, false, true);
    h.taskStarted(new Events.TaskStarted("t", "copy", null, false, List.of("web1")));
    h.hostResult(new Events.HostResult("web1", "t", Status.CHANGED, o, Duration.ZERO, false, false, Map.of()));
    assertEquals(
        "\nTASK [t] ***********************************************************************\n"
            + "--- before: /etc/x\n+++ after: /etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\nchanged: [web1]\n",
        text());
  }

  @Test
  void diffInColour() {
    Outcome o = Outcome.changed(Map.of()).withDiff(new Diff(null, "", null, "x\n"));
    HumanOutput h = new HumanOutput(ps, ps, 0, true, true, 80, false);
    h.taskStarted(new Events.TaskStarted("t", "copy", null, false, List.of("web1")));
    bytes.reset();
    h.hostResult(new Events.HostResult("web1", "t", Status.CHANGED, o, Duration.ZERO, false, false, Map.of()));
    assertEquals(
        "\033[0;31m--- before\033[0m\n\033[0;32m+++ after\033[0m\n\033[0;36m@@ -0,0 +1 @@\033[0m\n"
            + "\033[0;32m+x\033[0m\n\n\033[0;33mchanged: [web1]\033[0m\n",
        text());
  }

  @Test
  void diffFollowsThePlaybookDiffModeAndIsNeverShownForNoLogOrUnchanged() {
    Outcome changed = Outcome.changed(Map.of()).withDiff(Diff.of("f", "a\n", "b\n"));
    HumanOutput h = human(0, false, false);
    h.taskStarted(new Events.TaskStarted("t", "copy", null, false, List.of("web1")));
    bytes.reset();
    h.hostResult(new Events.HostResult("web1", "t", Status.CHANGED, changed, Duration.ZERO, false, false, Map.of()));
    assertEquals("changed: [web1]\n", text());
    h.playbookStarted(new Events.PlaybookStarted("p.yml", false, true));
    bytes.reset();
    h.hostResult(new Events.HostResult("web1", "t", Status.CHANGED, changed, Duration.ZERO, false, true, Map.of()));
    h.hostResult(new Events.HostResult("web1", "t", Status.OK,
        Outcome.ok(Map.of()).withDiff(Diff.of("f", "a\n", "b\n")), Duration.ZERO, false, false, Map.of()));
    assertEquals("changed: [web1]\nok: [web1]\n", text());
  }

  @Test
  void verbosity2ShowsPlaybookBannerAndTaskPath() {
    HumanOutput h = human(2, false, false);
    h.playbookStarted(new Events.PlaybookStarted("/srv/plays/site.yml", false, false));
    h.taskStarted(new Events.TaskStarted("install", "dnf", new Mark("/srv/plays/site.yml", 12, 7), false,
        List.of("web1")));
    assertEquals(
        "\nPLAYBOOK: site.yml *************************************************************\n"
            + "\nTASK [install] *****************************************************************\n"
            + "task path: /srv/plays/site.yml:12\n",
        text());
  }

  @Test
  void bannersForHandlersUnnamedPlaysAndLongNames() {
    HumanOutput h = new HumanOutput(ps, ps, 0, false, false, 20, false);
    h.playStarted(new Events.PlayStarted(null, "", List.of(), null));
    h.playStarted(new Events.PlayStarted(null, "webservers", List.of(), null));
    h.taskStarted(new Events.TaskStarted("restart nginx", "systemd", null, true, List.of()));
    h.taskStarted(new Events.TaskStarted(null, "ping", null, false, List.of()));
    assertEquals(
        "\nPLAY ***************\n"
            + "\nPLAY [webservers] ***\n"
            + "\nRUNNING HANDLER [restart nginx] ***\n"
            + "\nTASK [ping] ********\n",
        text());
  }

  @Test
  void resultOfAnotherTaskRepeatsItsBanner() {
    HumanOutput h = human(0, false, false);
    h.taskStarted(new Events.TaskStarted("a", "ping", null, false, List.of("h1", "h2")));
    h.taskStarted(new Events.TaskStarted("b", "ping", null, false, List.of("h1", "h2")));
    bytes.reset();
    h.hostResult(new Events.HostResult("h1", "a", Status.OK, Outcome.ok(Map.of()), Duration.ZERO, false, false,
        Map.of()));
    assertEquals("\nTASK [a] ***********************************************************************\nok: [h1]\n",
        text());
  }

  @Test
  void warningsAreWrappedColouredAndShownOnce() {
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    HumanOutput h = new HumanOutput(ps, err, 0, true, false, 80, false);
    String msg = "conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. "
        + "Found: {{ true }}";
    h.warning(msg);
    h.warning(msg);
    assertEquals(
        "\033[1;35m[WARNING]: conditional statements should not include jinja2 templating\033[0m\n"
            + "\033[1;35mdelimiters such as {{ }} or {% %}. Found: {{ true }}\033[0m\n",
        errBytes.toString(StandardCharsets.UTF_8));
    assertEquals("", text());
  }

  @Test
  void moduleWarningsBecomeWarningLines() {
    assertEquals("[WARNING]: consider the dnf module\nchanged: [web1] => {\"changed\": true}\n",
        one(1, "command", Status.CHANGED, Outcome.changed(map("warnings", List.of("consider the dnf module"))),
            false, false));
  }

  @Test
  void recapLayoutAndColours() {
    Map<String, Events.HostStats> stats = new java.util.LinkedHashMap<>();
    stats.put("web2.example.com", new Events.HostStats(12, 3, 0, 0, 1, 0, 0));
    stats.put("a-very-long-host-name-over-26.example.com", new Events.HostStats(0, 0, 1, 0, 0, 0, 0));
    stats.put("db1", new Events.HostStats(1, 0, 0, 1, 0, 2, 1234));
    HumanOutput plain = human(0, false, false);
    plain.runFinished(new Events.RunFinished(stats, Duration.ZERO, List.of(), false));
    assertEquals(
        "\nPLAY RECAP *********************************************************************\n"
            + "a-very-long-host-name-over-26.example.com : ok=0    changed=0    unreachable=1    failed=0    "
            + "skipped=0    rescued=0    ignored=0   \n"
            + "db1                        : ok=1    changed=0    unreachable=0    failed=1    skipped=0    "
            + "rescued=2    ignored=1234\n"
            + "web2.example.com           : ok=12   changed=3    unreachable=0    failed=0    skipped=1    "
            + "rescued=0    ignored=0   \n\n",
        text());
    bytes.reset();
    HumanOutput colour = new HumanOutput(ps, ps, 0, true, false, 80, false);
    colour.runFinished(new Events.RunFinished(Map.of("db1", new Events.HostStats(1, 0, 0, 1, 0, 2, 3)),
        Duration.ZERO, List.of(), false));
    assertEquals(
        "\nPLAY RECAP *********************************************************************\n"
            + "\033[0;31mdb1\033[0m                        : \033[0;32mok=1   \033[0m changed=0    unreachable=0    "
            + "\033[0;31mfailed=1   \033[0m skipped=0    \033[0;32mrescued=2   \033[0m "
            + "\033[1;35mignored=3   \033[0m\n\n",
        text());
  }

  @Test
  void timingSummaryAfterTheRecap() {
    HumanOutput h = new HumanOutput(ps, ps, 0, false, false, 80, true);
    Mark a = new Mark("site.yml", 3, 7);
    Mark b = new Mark("site.yml", 9, 7);
    Mark c = new Mark("roles/x/tasks/main.yml", 1, 3);
    List<Events.TaskTiming> timings = List.of(
        new Events.TaskTiming("install", "h1", a, Duration.ofMillis(1500)),
        new Events.TaskTiming("install", "h2", a, Duration.ofMillis(12250)),
        new Events.TaskTiming("configure", "h1", b, Duration.ofMillis(300)),
        new Events.TaskTiming("configure", "h2", b, Duration.ofMillis(200)),
        new Events.TaskTiming("t3", "h1", c, Duration.ofMillis(1)),
        new Events.TaskTiming("t4", "h1", c, Duration.ofMillis(2)),
        new Events.TaskTiming("t5", "h1", c, Duration.ofMillis(3)),
        new Events.TaskTiming("t6", "h1", c, Duration.ofMillis(1)));
    Map<String, Events.HostStats> stats = new java.util.LinkedHashMap<>();
    stats.put("h1", Events.HostStats.ZERO);
    stats.put("h2", Events.HostStats.ZERO);
    h.runFinished(new Events.RunFinished(stats, Duration.ofMillis(65432), timings, false));
    jplay.engine.cli.Golden.check("output/timing-summary.txt", text());
  }

  @Test
  void oneHostHasNoSlowestHosts() {
    HumanOutput h = new HumanOutput(ps, ps, 0, false, false, 80, true);
    h.runFinished(new Events.RunFinished(Map.of("h1", Events.HostStats.ZERO), Duration.ofMillis(1500),
        List.of(new Events.TaskTiming("install", "h1", new Mark("site.yml", 3, 7), Duration.ofMillis(1200))),
        false));
    assertEquals(
        "\nPLAY RECAP *********************************************************************\n"
            + "h1                         : ok=0    changed=0    unreachable=0    failed=0    skipped=0    "
            + "rescued=0    ignored=0   \n\n"
            + "Total time: 1.500s\n"
            + "Slowest tasks (slowest host):\n"
            + "  1.200s  install  site.yml:3\n\n",
        text());
  }

  @Test
  void interruptedRunSaysSoAfterTheRecap() {
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    HumanOutput h = new HumanOutput(ps, new PrintStream(errBytes, true, StandardCharsets.UTF_8), 0, false, false,
        80, false);
    h.runFinished(new Events.RunFinished(Map.of(), Duration.ZERO, List.of(), true));
    assertEquals("\nPLAY RECAP *********************************************************************\n\n", text());
    assertEquals("[ERROR]: User interrupted execution\n", errBytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyEventIsFlushed() {
    StringBuilder flushedAt = new StringBuilder();
    PrintStream counting = new PrintStream(new ByteArrayOutputStream()) {
      @Override
      public void flush() {
        flushedAt.append('f');
        super.flush();
      }
    };
    HumanOutput h = new HumanOutput(counting, 0, false, false);
    Consumer<HumanOutput> play = x -> x.playStarted(new Events.PlayStarted("p", "all", List.of(), null));
    play.accept(h);
    play.accept(h);
    assertEquals("ff", flushedAt.toString());
  }

  @Test
  void wrapIsGreedyAndCutsLongWords() {
    assertEquals(List.of("aa bb", "cc", "ddddd", "d"), HumanOutput.wrap("aa bb\ncc dddddd", 5));
    assertEquals(List.of(""), HumanOutput.wrap("", 10));
  }

  @Test
  void badArgumentsAreRefused() {
    assertEquals("verbosity must be 0 or more, got -1",
        assertThrows(IllegalArgumentException.class, () -> new HumanOutput(ps, -1, false, false)).getMessage());
    assertEquals("width must be 1 or more, got 0",
        assertThrows(IllegalArgumentException.class, () -> new HumanOutput(ps, ps, 0, false, false, 0, true))
            .getMessage());
  }
}
