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
 * {"event": "host_start", "host": "w1", "task": "install"}
 * {"event": "host_result", "host": "w1", "task": "install", "status": "changed", "changed": true, "failed": false,
 *  "ignored": false, "msg": "", "data": {...}, "diff": {...}, "args": {...}, "elapsed_ms": 1234}
 * {"event": "item_result", "host": "w1", "task": "users", "status": "ok", "item": "alice", "changed": false, ...}
 * {"event": "retry", "host": "w1", "task": "wait", "retries_left": 2}
 * {"event": "included", "file": "/site/extra.yml", "hosts": ["w1"], "item": null}
 * {"event": "message", "msg": "Pausing for 5 seconds"}
 * {"event": "no_more_hosts"}
 * {"event": "warning", "msg": "..."}
 * {"event": "run_end", "stats": {"w1": {"ok": 2, "changed": 1, ...}}, "elapsed_ms": 5678, "interrupted": false}
 * </pre>
 *
 * <p>{@code host_result} also carries {@code "rescued": true} (a failure a {@code rescue} section took over),
 * {@code "loop": true} (the items were reported as {@code item_result} events) and {@code delegated_to} when the
 * task ran elsewhere; each only when it applies.
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
  public synchronized void hostStarted(Events.HostStarted e) {
    Map<String, Object> m = event("host_start");
    m.put("host", e.host());
    m.put("task", e.task());
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
    if (r.rescued()) {
      m.put("rescued", true);
    }
    if (r.loop()) {
      m.put("loop", true);
    }
    if (r.delegatedTo() != null) {
      m.put("delegated_to", r.delegatedTo());
    }
    body(m, o, r.noLog(), r.verboseArgs());
    m.put("elapsed_ms", millis(r.elapsed()));
    emit(m);
  }

  @Override
  public synchronized void itemResult(Events.ItemResult r) {
    Map<String, Object> m = event("item_result");
    m.put("host", r.host());
    m.put("task", r.task());
    m.put("status", r.status().name().toLowerCase(Locale.ROOT));
    m.put("item", r.noLog() ? null : r.label());
    m.put("changed", r.outcome() != null && r.outcome().changed());
    m.put("failed", r.status() == Status.FAILED);
    if (r.delegatedTo() != null) {
      m.put("delegated_to", r.delegatedTo());
    }
    body(m, Results.outcome(
        new Events.HostResult(r.host(), r.task(), r.status(), r.outcome(), null, false, false, Map.of())),
        r.noLog(), Map.of());
    emit(m);
  }

  @Override
  public synchronized void retry(Events.Retry e) {
    Map<String, Object> m = event("retry");
    m.put("host", e.host());
    m.put("task", e.task());
    m.put("retries_left", e.retriesLeft());
    emit(m);
  }

  @Override
  public synchronized void included(Events.Included e) {
    Map<String, Object> m = event("included");
    m.put("file", e.file());
    m.put("hosts", e.hosts());
    m.put("item", e.label());
    emit(m);
  }

  @Override
  public synchronized void noMoreHosts() {
    emit(event("no_more_hosts"));
  }

  @Override
  public synchronized void message(String text) {
    Map<String, Object> m = event("message");
    m.put("msg", text);
    emit(m);
  }

  private static void body(Map<String, Object> m, Outcome o, boolean noLog, Map<String, Object> args) {
    if (noLog) {
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
        m.put("diff", jplay.engine.vault.Vault.current().redact(Results.diffMap(o.diff()))); // vault values hidden
      }
      if (args != null && !args.isEmpty()) {
        m.put("args", args);
      }
    }
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
