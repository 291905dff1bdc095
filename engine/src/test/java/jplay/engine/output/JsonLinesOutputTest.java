package jplay.engine.output;

import static jplay.engine.output.Runs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Diff;
import jplay.engine.api.Outcome;
import jplay.engine.yaml.Mark;
import org.junit.jupiter.api.Test;

class JsonLinesOutputTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final JsonLinesOutput json = new JsonLinesOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private List<Map<String, Object>> events() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      out.add(MiniJson.object(line));
    }
    return out;
  }

  @Test
  void demoRunParsesBackOneEventPerLine() {
    Runs.demo(json);
    List<Map<String, Object>> events = events();
    assertEquals(23, events.size());
    assertEquals("playbook_start", events.get(0).get("event"));
    assertEquals(map("event", "play_start", "name", "Demo play", "pattern", "all", "hosts", List.of("localhost"),
        "file", "demo.yml", "line", 1L, "column", 3L), events.get(1));
    assertEquals("task_start", events.get(2).get("event"));
    Map<String, Object> failed = events.get(21);
    assertEquals("host_result", failed.get("event"));
    assertEquals("fail hard", failed.get("task"));
    assertEquals("failed", failed.get("status"));
    assertEquals(true, failed.get("failed"));
    assertEquals("non-zero return code", failed.get("msg"));
    assertEquals(3L, ((Map<?, ?>) failed.get("data")).get("rc"));
    assertEquals(List.of("err"), ((Map<?, ?>) failed.get("data")).get("stderr_lines"));
    assertEquals(map("event", "run_end",
        "stats", map("localhost", map("ok", 8L, "changed", 6L, "unreachable", 0L, "failed", 1L, "skipped", 1L,
            "rescued", 0L, "ignored", 2L)),
        "elapsed_ms", 2000L, "interrupted", false), events.get(22));
  }

  @Test
  void hostResultLineExactly() {
    json.hostResult(new Events.HostResult("web1", "write config", Status.CHANGED,
        Outcome.changed(map("dest", "/etc/x", "_ansible_verbose_always", true))
            .withDiff(Diff.of("/etc/x", "a\n", "b\n")),
        Duration.ofMillis(1234), false, false, map("dest", "/etc/x", "content", "********")));
    assertEquals("{\"event\": \"host_result\", \"host\": \"web1\", \"task\": \"write config\", "
        + "\"status\": \"changed\", "
        + "\"changed\": true, \"failed\": false, \"ignored\": false, \"msg\": \"\", \"data\": {\"dest\": \"/etc/x\"}, "
        + "\"diff\": {\"before_header\": \"/etc/x\", \"before\": \"a\\n\", \"after_header\": \"/etc/x\", "
        + "\"after\": \"b\\n\"}, \"args\": {\"dest\": \"/etc/x\", \"content\": \"********\"}, \"elapsed_ms\": 1234}\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void noLogResultCarriesOnlyTheCensoredMessage() {
    json.hostResult(new Events.HostResult("web1", "set password", Status.FAILED,
        Outcome.failed("bad password hunter2", map("stdout", "hunter2")).withDiff(Diff.of("f", "hunter2", "x")),
        Duration.ofMillis(3), true, true, map("password", "hunter2")));
    String line = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(line.contains("hunter2"), line);
    assertEquals(map("event", "host_result", "host", "web1", "task", "set password", "status", "failed",
        "changed", false, "failed", true, "ignored", true, "censored", Results.CENSORED, "elapsed_ms", 3L),
        MiniJson.object(line.strip()));
  }

  @Test
  void taskStartWarningAndPlaybookStart() {
    json.playbookStarted(new Events.PlaybookStarted("site.yml", true, false));
    json.taskStarted(new Events.TaskStarted("restart", "systemd", new Mark("site.yml", 30, 9), true,
        List.of("a", "b")));
    json.warning("line1\nline2 \"quoted\"");
    assertEquals(
        "{\"event\": \"playbook_start\", \"path\": \"site.yml\", \"check\": true, \"diff\": false}\n"
            + "{\"event\": \"task_start\", \"name\": \"restart\", \"module\": \"systemd\", \"handler\": true, "
            + "\"hosts\": [\"a\", \"b\"], \"file\": \"site.yml\", \"line\": 30, \"column\": 9}\n"
            + "{\"event\": \"warning\", \"msg\": \"line1\\nline2 \\\"quoted\\\"\"}\n",
        bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void hostStartLineExactly() {
    json.hostStarted(new Events.HostStarted("web1", "install"));
    assertEquals("{\"event\": \"host_start\", \"host\": \"web1\", \"task\": \"install\"}\n",
        bytes.toString(StandardCharsets.UTF_8));
  }
}
