package jplay.engine.playbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The play and task keywords jplay understands, each with the type of value it takes, and the Ansible keywords it
 * knows but does not support yet (so they fail loudly instead of being ignored). Supporting a keyword means adding
 * a row here and giving it meaning in the executor.
 *
 * <pre>{@code
 * PlaybookKeywords.task();  // [name, become, become_user, ..., args]
 * }</pre>
 */
public final class PlaybookKeywords {
  private static final Map<String, ValueType> PLAY =
      table(
          "name", ValueType.STRING,
          "hosts", ValueType.HOSTS,
          "vars", ValueType.VARS,
          "tasks", ValueType.TASKS,
          "become", ValueType.BOOL,
          "become_user", ValueType.STRING,
          "become_method", ValueType.STRING,
          "become_flags", ValueType.STRING,
          "gather_facts", ValueType.BOOL,
          "serial", ValueType.SERIAL,
          "remote_user", ValueType.STRING,
          "connection", ValueType.STRING,
          "port", ValueType.INT,
          "environment", ValueType.MAPPING,
          "ignore_errors", ValueType.BOOL,
          "no_log", ValueType.BOOL,
          "check_mode", ValueType.BOOL,
          "diff", ValueType.BOOL,
          "tags", ValueType.TAGS,
          "timeout", ValueType.INT,
          "max_fail_percentage", ValueType.PERCENT,
          "any_errors_fatal", ValueType.BOOL);

  private static final Map<String, ValueType> TASK =
      table(
          "name", ValueType.STRING,
          "become", ValueType.BOOL,
          "become_user", ValueType.STRING,
          "become_method", ValueType.STRING,
          "become_flags", ValueType.STRING,
          "when", ValueType.CONDITION,
          "register", ValueType.STRING,
          "ignore_errors", ValueType.BOOL,
          "changed_when", ValueType.CONDITION,
          "failed_when", ValueType.CONDITION,
          "no_log", ValueType.BOOL,
          "vars", ValueType.VARS,
          "tags", ValueType.TAGS,
          "check_mode", ValueType.BOOL,
          "diff", ValueType.BOOL,
          "environment", ValueType.MAPPING,
          "timeout", ValueType.INT,
          "args", ValueType.ARGS);

  /** Ansible's play keywords (ansible-core 2.14 Play attributes) that jplay does not support yet. */
  private static final Set<String> PLAY_UNSUPPORTED =
      Set.of(
          "become_exe", "collections", "debugger", "fact_path", "force_handlers", "gather_subset", "gather_timeout",
          "handlers", "ignore_unreachable", "module_defaults", "order", "post_tasks", "pre_tasks", "roles",
          "run_once", "strategy", "throttle", "vars_files", "vars_prompt", "import_playbook");

  /**
   * Ansible's task keywords (Task, Block and Handler attributes) and task-level statements that jplay does not
   * support yet. Keys starting with {@code with_} (Ansible's lookup loops) count as well.
   */
  private static final Set<String> TASK_UNSUPPORTED =
      Set.of(
          "action", "local_action", "loop", "loop_control", "until", "retries", "delay", "notify", "listen",
          "block", "rescue", "always", "delegate_to", "delegate_facts", "run_once", "async", "poll", "throttle",
          "any_errors_fatal", "become_exe", "collections", "connection", "debugger", "ignore_unreachable",
          "module_defaults", "port", "remote_user", "include", "include_tasks", "import_tasks", "include_role",
          "import_role", "import_playbook");

  private static final String LOOP_PREFIX = "with_";

  private PlaybookKeywords() {}

  private static Map<String, ValueType> table(Object... rows) {
    Map<String, ValueType> out = new LinkedHashMap<>();
    for (int i = 0; i < rows.length; i += 2) {
      out.put((String) rows[i], (ValueType) rows[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The play keywords jplay supports, in documentation order. */
  public static List<String> play() {
    return List.copyOf(PLAY.keySet());
  }

  /** The task keywords jplay supports, in documentation order; a task also holds exactly one module call. */
  public static List<String> task() {
    return List.copyOf(TASK.keySet());
  }

  /** Ansible play keywords jplay rejects with "not supported yet", sorted. */
  public static List<String> unsupportedPlay() {
    return PLAY_UNSUPPORTED.stream().sorted().toList();
  }

  /** Ansible task keywords jplay rejects with "not supported yet", sorted (plus every {@code with_*} loop). */
  public static List<String> unsupportedTask() {
    return TASK_UNSUPPORTED.stream().sorted().toList();
  }

  /** What a supported keyword's value must be, for docs: "a boolean (yes/no, true/false)". */
  public static String expected(String keyword, boolean inTask) {
    ValueType t = (inTask ? TASK : PLAY).get(keyword);
    if (t == null) {
      throw new IllegalArgumentException("not a supported " + (inTask ? "task" : "play") + " keyword: " + keyword);
    }
    return t.expected();
  }

  static ValueType playType(String keyword) {
    return PLAY.get(keyword);
  }

  static ValueType taskType(String keyword) {
    return TASK.get(keyword);
  }

  static boolean playUnsupported(String keyword) {
    return PLAY_UNSUPPORTED.contains(keyword);
  }

  static boolean taskUnsupported(String keyword) {
    return TASK_UNSUPPORTED.contains(keyword) || keyword.startsWith(LOOP_PREFIX) && keyword.length() > 5;
  }
}
