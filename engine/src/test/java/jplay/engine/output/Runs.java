package jplay.engine.output;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Diff;
import jplay.engine.api.Outcome;
import jplay.engine.yaml.Mark;

/**
 * Event sequences of the playbooks in {@code src/test/resources/output}, with the values Ansible reported when the
 * golden files beside them were captured, so that jplay's listeners can be compared with Ansible's real output.
 */
final class Runs {
  private Runs() {}

  static final List<String> LOCALHOST = List.of("localhost");

  /** Fluent helper: a task start followed by one host result. */
  static final class Emitter {
    final RunListener l;
    final String file;
    String task;

    Emitter(RunListener l, String file) {
      this.l = l;
      this.file = file;
    }

    Emitter play(String name, String pattern, List<String> hosts, int line) {
      l.playStarted(new Events.PlayStarted(name, pattern, hosts, new Mark(file, line, 3)));
      return this;
    }

    Emitter task(String name, String module, int line) {
      return task(name, module, line, false);
    }

    Emitter task(String name, String module, int line, boolean handler) {
      task = name;
      l.taskStarted(new Events.TaskStarted(name, module, new Mark(file, line, 7), handler, LOCALHOST));
      return this;
    }

    Emitter result(String host, Status status, Outcome o) {
      return result(host, status, o, false, false);
    }

    Emitter result(String host, Status status, Outcome o, boolean ignored, boolean noLog) {
      l.hostResult(new Events.HostResult(host, task, status, o, Duration.ofMillis(5), ignored, noLog, Map.of()));
      return this;
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> commandData(
      List<String> cmd, String delta, String end, int rc, String start, String stdout, String stderr) {
    return map(
        "cmd", cmd, "delta", delta, "end", end, "rc", rc, "start", start,
        "stderr", stderr, "stderr_lines", stderr.isEmpty() ? List.of() : List.of(stderr.split("\n")),
        "stdout", stdout, "stdout_lines", stdout.isEmpty() ? List.of() : List.of(stdout.split("\n")));
  }

  /** demo.yml, as in demo.txt; returns the collector that counted it. */
  static StatsCollector demo(RunListener out) {
    StatsCollector stats = new StatsCollector();
    RunListener l = Listeners.of(stats, out);
    l.playbookStarted(new Events.PlaybookStarted("demo.yml", false, false));
    Emitter e = new Emitter(l, "demo.yml").play("Demo play", "all", LOCALHOST, 1);
    e.task("say hello", "debug", 7).result("localhost", Status.OK, Outcome.ok(map("msg", "hello world")));
    e.task("show var", "debug", 10).result("localhost", Status.OK, Outcome.ok(map("foo", "bar")));
    e.task("run echo", "command", 13)
        .result("localhost", Status.CHANGED, Outcome.changed(commandData(List.of("echo", "hi"),
            "0:00:00.003806", "2026-11-23 00:03:16.643766", 0, "2026-11-23 00:03:16.639960", "hi", "")));
    e.task("make file", "file", 15).result("localhost", Status.CHANGED, Outcome.changed(map("path", "/tmp/f1")));
    e.task("write content", "copy", 19).result("localhost", Status.CHANGED, Outcome.changed(map("dest", "c1")));
    e.task("skipped", "command", 23)
        .result("localhost", Status.SKIPPED, Outcome.skipped("Conditional result was False"));
    e.task("fail ignored", "command", 26)
        .result("localhost", Status.FAILED, new Outcome(true, true, false, "non-zero return code",
            commandData(List.of("/bin/false"), "0:00:00.002957", "2026-11-23 00:07:27.030202", 1,
                "2026-11-23 00:07:27.027245", "", ""), null), true, false);
    e.task("secret", "command", 29)
        .result("localhost", Status.CHANGED, Outcome.changed(map("stdout", "secret")), false, true);
    e.task("secret fail", "command", 32)
        .result("localhost", Status.FAILED,
            new Outcome(true, true, false, "non-zero return code", map("rc", 1), null), true, true);
    e.task("fail hard", "command", 36)
        .result("localhost", Status.FAILED, new Outcome(true, true, false, "non-zero return code",
            commandData(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), "0:00:00.003217",
                "2026-11-23 00:07:27.429711", 3, "2026-11-23 00:07:27.426494", "out", "err"), null));
    l.runFinished(new Events.RunFinished(stats.stats(), Duration.ofSeconds(2), List.of(), false));
    return stats;
  }

  /** verbose-diff.yml run with -v --diff, as in verbose-diff.txt. */
  static StatsCollector verboseDiff(RunListener out) {
    StatsCollector stats = new StatsCollector();
    RunListener l = Listeners.of(stats, out);
    l.playbookStarted(new Events.PlaybookStarted("verbose-diff.yml", false, true));
    Emitter e = new Emitter(l, "verbose-diff.yml").play(null, "all", LOCALHOST, 1);
    e.task("debug", "debug", 4).result("localhost", Status.OK, Outcome.ok(map("msg", "multi line")));
    Map<String, Object> echo = map("ansible_facts", map("discovered_interpreter_python", "/usr/bin/python3"));
    echo.putAll(commandData(List.of("echo", "hi"), "0:00:00.003650", "2026-11-23 00:07:30.331674", 0,
        "2026-11-23 00:07:30.328024", "hi", ""));
    echo.put("msg", "");
    e.task("command", "command", 6).result("localhost", Status.CHANGED, Outcome.changed(echo));
    e.task("command", "command", 7)
        .result("localhost", Status.SKIPPED, Outcome.skipped("Conditional result was False"));
    e.task("secret ok", "command", 9)
        .result("localhost", Status.CHANGED, Outcome.changed(map("stdout", "secret")), false, true);
    e.task("ok file", "file", 12).result("localhost", Status.OK, Outcome.ok(map(
        "path", "/tmp/oracle", "state", "directory", "mode", "0755", "owner", "root", "group", "root",
        "uid", 0, "gid", 0, "size", 4096)));
    e.task("copy", "copy", 14).result("localhost", Status.CHANGED, Outcome.changed(map(
        "dest", "/tmp/oracle/c1", "src",
        "/root/.ansible/tmp/ansible-tmp-1795392450.7215276-15011-211359753184240/source",
        "checksum", "e38242a8682302a97b987712c9d1690506f7c3e7", "md5sum", "936753c4ddd556f0f6289703c3220a89",
        "mode", "0644", "owner", "root", "group", "root", "uid", 0, "gid", 0, "size", 32, "state", "file"))
        .withDiff(new Diff("/tmp/oracle/c1", "line1\nline2\nline3\n",
            "/root/.ansible/tmp/ansible-local-148000xt60lgz/tmpeu61zpzc", "line1\nline2 changed\nline3\nline4\n")));
    e.task("debug", "debug", 17).result("localhost", Status.OK, Outcome.ok(map(
        "msg", Arrays.asList("a", 1, map("b", null, "c", List.of(), "d", Map.of()), true, 1.5, "üñí\t\"q\""))));
    l.runFinished(new Events.RunFinished(stats.stats(), Duration.ofSeconds(1), List.of(), false));
    return stats;
  }

  /** unreachable.yml, as in unreachable.txt. */
  static StatsCollector unreachable(RunListener out) {
    StatsCollector stats = new StatsCollector();
    RunListener l = Listeners.of(stats, out);
    l.playbookStarted(new Events.PlaybookStarted("unreachable.yml", false, false));
    Emitter e = new Emitter(l, "unreachable.yml").play("", "all", List.of("h1"), 1);
    e.task("ping", "ping", 4).result("h1", Status.UNREACHABLE, new Outcome(false, false, false,
        "Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused",
        Map.of(), null));
    l.runFinished(new Events.RunFinished(stats.stats(), Duration.ofSeconds(1), List.of(), false));
    return stats;
  }
}
