package jplay.engine.output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jplay.engine.api.Diff;
import jplay.engine.api.Outcome;

/**
 * Turns a {@link Events.HostResult} into the result dictionary Ansible would print for it, so that the human
 * output and the JSON events agree on what a result "is".
 */
final class Results {
  private Results() {}

  static final String CENSORED =
      "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

  /**
   * Ansible's own marker for "always show this result, pretty-printed" (its debug action sets it). Any module may
   * set it in its outcome data; keys starting with {@code _ansible_} are never shown.
   */
  static final String VERBOSE_ALWAYS = "_ansible_verbose_always";

  private static final Set<String> DEBUG_MODULES = Set.of("debug", "ansible.builtin.debug", "ansible.legacy.debug");
  private static final Set<String> DEBUG_ALLOWED = Set.of("msg", "exception", "warnings", "deprecations");
  private static final Set<String> DEBUG_HIDDEN = Set.of("changed", "failed", "skipped", "invocation", "skip_reason");

  static boolean isDebug(String module) {
    return module != null && DEBUG_MODULES.contains(module);
  }

  static Outcome outcome(Events.HostResult r) {
    return r.outcome() != null ? r.outcome() : new Outcome(false, false, false, "", Map.of(), null);
  }

  static boolean changed(Events.HostResult r) {
    return r.status() == Status.CHANGED || outcome(r).changed();
  }

  /**
   * Whether the result is shown even at verbosity 0, pretty-printed: a debug task's, or any result whose data
   * holds {@code _ansible_verbose_always: true}; never one that failed, was skipped or is censored.
   */
  static boolean verboseAlways(Events.HostResult r, String module) {
    if (r.noLog() || (r.status() != Status.OK && r.status() != Status.CHANGED)) {
      return false;
    }
    return isDebug(module) || Boolean.TRUE.equals(outcome(r).data().get(VERBOSE_ALWAYS));
  }

  /** The warnings a module returned in its data under {@code warnings}, which Ansible shows as [WARNING] lines. */
  static List<String> warnings(Events.HostResult r) {
    if (r.noLog() || !(outcome(r).data().get("warnings") instanceof List<?> list)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object w : list) {
      out.add(String.valueOf(w));
    }
    return out;
  }

  /**
   * The result as Ansible shows it: the module's data, {@code changed}, {@code msg} (or {@code skip_reason}),
   * {@code unreachable}; at verbosity 3 and more the arguments as {@code invocation} and the diff; keys sorted at
   * every level. A censored result keeps only {@code censored} and {@code changed}.
   */
  static Map<String, Object> display(Events.HostResult r, String module, int verbosity) {
    Outcome o = outcome(r);
    boolean debug = isDebug(module);
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.noLog()) {
      m.put("censored", CENSORED);
      if (!debug) {
        m.put("changed", changed(r));
      }
      return sorted(m);
    }
    for (Map.Entry<String, Object> e : o.data().entrySet()) {
      String k = e.getKey();
      // Ansible strips its internal keys and moves "failed"/"skipped" into the line's prefix; warnings are shown
      // as [WARNING] lines of their own.
      if (!k.startsWith("_ansible_") && !k.equals("failed") && !k.equals("skipped") && !k.equals("warnings")) {
        m.put(k, e.getValue());
      }
    }
    m.put("changed", changed(r));
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
    if (verbosity >= 3) {
      if (r.verboseArgs() != null && !r.verboseArgs().isEmpty()) {
        m.put("invocation", Map.of("module_args", r.verboseArgs()));
      }
      if (o.diff() != null) {
        // A file's content shown only because of -vvv: vault values in it stay hidden.
        m.put("diff", jplay.engine.vault.Vault.current().redact(diffMap(o.diff())));
      }
    }
    if (debug) {
      // Ansible's debug shows what it was asked to show: the msg alone, or the variable alone.
      if (m.containsKey("msg")) {
        m.keySet().removeIf(k -> !DEBUG_ALLOWED.contains(k));
      } else {
        m.keySet().removeAll(DEBUG_HIDDEN);
      }
    }
    return sorted(m);
  }

  static Map<String, Object> diffMap(Diff d) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (d.beforeHeader() != null) {
      m.put("before_header", d.beforeHeader());
    }
    m.put("before", d.before() == null ? "" : d.before());
    if (d.afterHeader() != null) {
      m.put("after_header", d.afterHeader());
    }
    m.put("after", d.after() == null ? "" : d.after());
    return m;
  }

  /** A copy with every map's keys sorted, as Ansible's {@code json.dumps(sort_keys=True)}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> sorted(Map<String, Object> map) {
    return (Map<String, Object>) Json.sortKeys(map);
  }
}
