package jplay.engine.repl;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jplay.engine.api.Outcome;
import jplay.engine.output.Events;
import jplay.engine.output.Json;
import jplay.engine.output.RunListener;
import jplay.engine.output.Status;
import jplay.engine.output.UnifiedDiff;

/**
 * One result per host, as {@code ansible} prints them (its {@code minimal} callback, or {@code oneline} with
 * {@code -o}): {@code web1 | SUCCESS => {...}}, and for command and shell {@code web1 | CHANGED | rc=0 >>} followed
 * by what the command printed. Used by {@code jplay adhoc} and the console; no banners, no recap.
 *
 * <p>Beyond Ansible: hosts still running when the run is interrupted are reported as {@code web1 | INTERRUPTED},
 * and on a terminal a live count (done, failed, pending) stands on the last line while a task runs.
 */
public final class AdhocOutput implements RunListener {
  /** Ansible's MODULE_NO_JSON: modules whose output is shown as text rather than as a result dictionary. */
  private static final Set<String> NO_JSON = Set.of(
      "command", "shell", "raw", "ansible.builtin.command", "ansible.builtin.shell", "ansible.builtin.raw",
      "ansible.legacy.command", "ansible.legacy.shell", "ansible.legacy.raw");

  private static final Set<String> DEBUG_ALLOWED = Set.of("msg", "exception", "warnings", "deprecations");
  private static final Set<String> DEBUG_HIDDEN = Set.of("changed", "failed", "skipped", "invocation", "skip_reason");

  private final PrintStream out;
  private final PrintStream err;
  private final boolean oneLine;
  private final boolean color;
  private final boolean diff;
  private final boolean progress;
  private final Set<String> pending = new LinkedHashSet<>();
  private final Set<String> warned = new LinkedHashSet<>();
  private String module;
  private int total;
  private int done;
  private int failed;
  private boolean statusShown;
  private boolean closed;
  private boolean interrupting;

  /**
   * @param oneLine Ansible's {@code -o}
   * @param diff show diffs of changed results ({@code --diff})
   * @param progress keep a live count on the last line (only on an interactive terminal)
   */
  public AdhocOutput(PrintStream out, PrintStream err, boolean oneLine, boolean color, boolean diff, boolean progress) {
    this.out = out;
    this.err = err;
    this.oneLine = oneLine;
    this.color = color;
    this.diff = diff;
    this.progress = progress;
  }

  /**
   * The run is being interrupted: hosts whose command is cut short answer "failed: interrupted"; they are shown
   * as {@code host | INTERRUPTED}, as the hosts that do not answer at all.
   */
  public synchronized void interrupting() {
    interrupting = true;
  }

  @Override
  public synchronized void taskStarted(Events.TaskStarted e) {
    module = e.module();
    pending.clear();
    pending.addAll(e.hosts());
    total = e.hosts().size();
    done = 0;
    failed = 0;
    status();
  }

  @Override
  public synchronized void hostResult(Events.HostResult r) {
    if (closed || !pending.remove(r.host())) {
      // A late answer from a host already reported as interrupted: the prompt has moved on.
      return;
    }
    done++;
    if (r.status() == Status.FAILED || r.status() == Status.UNREACHABLE) {
      failed++;
    }
    clearStatus();
    Outcome o = r.outcome() == null ? new Outcome(false, false, false, "", Map.of(), null) : r.outcome();
    for (Object w : o.data().get("warnings") instanceof List<?> l && !r.noLog() ? l : List.of()) {
      warning(String.valueOf(w));
    }
    boolean changed = r.status() == Status.CHANGED || o.changed();
    if (diff && o.diff() != null && changed && !r.noLog()
        && (r.status() == Status.OK || r.status() == Status.CHANGED)) {
      out.print(UnifiedDiff.text(o.diff()));
    }
    Map<String, Object> result = display(r, o, changed, module);
    String h = r.host();
    if (interrupting && r.status() == Status.FAILED) {
      print(h + " | INTERRUPTED", "0;31");
      status();
      return;
    }
    boolean text = NO_JSON.contains(module) && !r.noLog();
    switch (r.status()) {
      case OK, CHANGED -> {
        String state = changed ? "CHANGED" : "SUCCESS";
        String code = changed ? "0;33" : "0;32";
        if (text) {
          print(command(h, state, result), code);
        } else {
          print(h + " | " + state + " => " + dump(result), code);
        }
      }
      case FAILED -> {
        if (text && !oneLine) {
          print(command(h, "FAILED", result), "0;31");
        } else {
          print(h + " | FAILED! => " + dump(result), "0;31");
        }
      }
      case SKIPPED -> print(h + " | SKIPPED", "0;36");
      case UNREACHABLE -> print(oneLine ? h + " | UNREACHABLE!: " + o.msg() : h + " | UNREACHABLE! => " + dump(result),
          "1;31");
    }
    status();
  }

  @Override
  public synchronized void warning(String message) {
    if (!warned.add(message)) {
      return;
    }
    clearStatus();
    out.flush();
    err.println(paint("[WARNING]: " + message, "1;35"));
    err.flush();
    status();
  }

  @Override
  public synchronized void runFinished(Events.RunFinished e) {
    clearStatus();
    if (e.interrupted()) {
      for (String h : pending) {
        print(h + " | INTERRUPTED", "0;31");
      }
    }
    pending.clear();
    closed = true;
    out.flush();
  }

  /** The text form of Ansible's minimal/oneline callbacks for command, shell and raw. */
  private String command(String host, String state, Map<String, Object> result) {
    String stdout = str(result.get("stdout"));
    String stderr = str(result.get("stderr"));
    Object rc = result.getOrDefault("rc", -1);
    if (oneLine) {
      String line = host + " | " + state + " | rc=" + rc + " | (stdout) " + escape(stdout);
      return stderr.isEmpty() ? line : line + " (stderr) " + escape(stderr);
    }
    String body = stdout + stderr + str(result.get("msg"));
    // Ansible appends a newline and prints without another one when the text already ends with one.
    String buf = host + " | " + state + " | rc=" + rc + " >>\n" + body + "\n";
    return buf.substring(0, buf.length() - 1);
  }

  private String dump(Map<String, Object> result) {
    return oneLine ? Json.pretty(result, 0).replace("\n", "") : Json.pretty(result, 4);
  }

  /**
   * The result dictionary Ansible shows: the module's data without its internal keys, {@code changed}, the
   * message, {@code unreachable}; keys sorted. Mirrors the human output's (jplay.engine.output.Results) at
   * verbosity 0, with debug's rule that only what was asked for is shown.
   */
  static Map<String, Object> display(Events.HostResult r, Outcome o, boolean changed, String module) {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean debug = "debug".equals(module) || "ansible.builtin.debug".equals(module);
    if (r.noLog()) {
      m.put("censored", "the output has been hidden due to the fact that 'no_log: true' was specified for this"
          + " result");
      m.put("changed", changed);
      return sorted(m);
    }
    o.data().forEach((k, v) -> {
      if (!k.startsWith("_ansible_") && !k.startsWith("_jplay_") && !k.equals("failed") && !k.equals("skipped")
          && !k.equals("warnings")) {
        m.put(k, v);
      }
    });
    m.put("changed", changed);
    if (r.status() == Status.SKIPPED) {
      if (!o.msg().isEmpty()) {
        m.put("skip_reason", o.msg());
      }
    } else if (!o.msg().isEmpty()) {
      m.put("msg", o.msg());
    }
    if (r.status() == Status.UNREACHABLE) {
      m.put("unreachable", true);
    }
    if (debug && r.status() != Status.FAILED && r.status() != Status.UNREACHABLE) {
      if (m.containsKey("msg")) {
        m.keySet().removeIf(k -> !DEBUG_ALLOWED.contains(k));
      } else {
        m.keySet().removeAll(DEBUG_HIDDEN);
      }
    }
    return sorted(m);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sorted(Map<String, Object> map) {
    return (Map<String, Object>) jplay.engine.output.Json.sortKeys(map);
  }

  private void print(String text, String code) {
    out.println(paint(text, code));
    out.flush();
  }

  private String paint(String s, String code) {
    if (!color) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    String[] lines = s.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      sb.append("\033[").append(code).append('m').append(lines[i]).append("\033[0m");
      if (i + 1 < lines.length) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The live count on the last line: erased before anything is printed, drawn again after. */
  private void status() {
    if (!progress || closed || total < 2 || pending.isEmpty()) {
      return;
    }
    out.print("\r\033[K[" + done + "/" + total + " done, " + failed + " failed, " + pending.size() + " pending]");
    out.flush();
    statusShown = true;
  }

  private void clearStatus() {
    if (statusShown) {
      out.print("\r\033[K");
      statusShown = false;
    }
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  private static String escape(String s) {
    return s.replace("\n", "\\n").replace("\r", "\\r");
  }
}
