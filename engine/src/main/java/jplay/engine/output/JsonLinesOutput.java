package jplay.engine.output;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jplay.engine.api.Outcome;
import jplay.engine.yaml.Mark;

/**
 * One JSON object per line per event, for machines ({@code jq}, log shippers, CI). Every object has an {@code
 * event} field:
 *
 * <pre>
 * {"event": "playbook_start", "path": "site.yml", "check": false, "diff": false}
 * {"event": "play_start", "name": "web", "pattern": "web", "hosts": ["w1"], "file": "site.yml", "line": 1, "column": 3}
 * {"event": "task_start", "name": "install", "module": "dnf", "handler": false, "hosts": ["w1"], "file": ...,
 *  "line": ..., "column": ...}
 * {"event": "host_result", "host": "w1", "task": "install", "status": "changed", "changed": true, "failed": false,
 *  "ignored": false, "msg": "", "data": {...}, "diff": {...}, "args": {...}, "elapsed_ms": 1234}
 * {"event": "warning", "msg": "..."}
 * {"event": "run_end", "stats": {"w1": {"ok": 2, "changed": 1, ...}}, "elapsed_ms": 5678, "interrupted": false}
 * </pre>
 *
 * <p>A {@code no_log} result carries neither {@code msg}, {@code data}, {@code diff} nor {@code args}, only {@code
 * "censored"} with Ansible's message. {@code diff} and {@code args} appear only when there is one. Keys starting with
 * {@code _ansible_} in the data are internal and left out.
 */
public final class JsonLinesOutput implements RunListener {
  private final PrintStream out;

  public JsonLinesOutput(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void playbookStarted(Events.PlaybookStarted e) {
    Map<String, Object> m = event("playbook_start");
    m.put("path", e.path());
    m.put("check", e.checkMode());
    m.put("diff", e.diffMode());
    emit(m);
  }

  @Override
  public synchronized void playStarted(Events.PlayStarted e) {
    Map<String, Object> m = event("play_start");
    m.put("name", e.name());
    m.put("pattern", e.pattern());
    m.put("hosts", e.hosts());
    mark(m, e.mark());
    emit(m);
  }

  @Override
  public synchronized void taskStarted(Events.TaskStarted e) {
    Map<String, Object> m = event("task_start");
    m.put("name", e.name());
    m.put("module", e.module());
    m.put("handler", e.handler());
    m.put("hosts", e.hosts());
    mark(m, e.mark());
    emit(m);
  }

  @Override
  public synchronized void hostResult(Events.HostResult r) {
    Outcome o = Results.outcome(r);
    Map<String, Object> m = event("host_result");
    m.put("host", r.host());
    m.put("task", r.task());
    m.put("status", r.status().name().toLowerCase(Locale.ROOT));
    m.put("changed", Results.changed(r));
    m.put("failed", r.status() == Status.FAILED);
    m.put("ignored", r.ignored());
    if (r.noLog()) {
      m.put("censored", Results.CENSORED);
    } else {
      m.put("msg", o.msg());
      Map<String, Object> data = new LinkedHashMap<>();
      o.data().forEach((k, v) -> {
        if (!k.startsWith("_ansible_")) {
          data.put(k, v);
        }
      });
      m.put("data", data);
      if (o.diff() != null) {
        m.put("diff", Results.diffMap(o.diff()));
      }
      if (r.verboseArgs() != null && !r.verboseArgs().isEmpty()) {
        m.put("args", r.verboseArgs());
      }
    }
    m.put("elapsed_ms", millis(r.elapsed()));
    emit(m);
  }

  @Override
  public synchronized void warning(String message) {
    Map<String, Object> m = event("warning");
    m.put("msg", message);
    emit(m);
  }

  @Override
  public synchronized void runFinished(Events.RunFinished e) {
    Map<String, Object> stats = new LinkedHashMap<>();
    e.stats().forEach((host, s) -> {
      Events.HostStats t = s == null ? Events.HostStats.ZERO : s;
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("ok", t.ok());
      h.put("changed", t.changed());
      h.put("unreachable", t.unreachable());
      h.put("failed", t.failed());
      h.put("skipped", t.skipped());
      h.put("rescued", t.rescued());
      h.put("ignored", t.ignored());
      stats.put(host, h);
    });
    Map<String, Object> m = event("run_end");
    m.put("stats", stats);
    m.put("elapsed_ms", millis(e.elapsed()));
    m.put("interrupted", e.interrupted());
    emit(m);
  }

  private static Map<String, Object> event(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", name);
    return m;
  }

  private static void mark(Map<String, Object> m, Mark mark) {
    if (mark != null) {
      m.put("file", mark.file());
      m.put("line", mark.line());
      m.put("column", mark.column());
    }
  }

  private static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  private void emit(Map<String, Object> m) {
    // One print per event, so a line is never split by another writer to the same stream.
    out.print(Json.write(m) + "\n");
    out.flush();
  }
}
