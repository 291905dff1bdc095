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
 * PlaybookKeywords.task();  // [name, become, become_user, ..., listen, args]
 * }</pre>
 */
public final class PlaybookKeywords {
  private static final Map<String, ValueType> PLAY =
      table(
          "name", ValueType.STRING,
          "hosts", ValueType.HOSTS,
          "vars", ValueType.VARS,
          "vars_files", ValueType.VARS_FILES,
          "pre_tasks", ValueType.TASKS,
          "roles", ValueType.ROLES,
          "tasks", ValueType.TASKS,
          "post_tasks", ValueType.TASKS,
          "handlers", ValueType.TASKS,
          "become", ValueType.BOOL,
          "become_user", ValueType.STRING,
          "become_method", ValueType.STRING,
          "become_flags", ValueType.STRING,
          "gather_facts", ValueType.BOOL,
          "serial", ValueType.SERIAL,
          "strategy", ValueType.STRATEGY,
          "remote_user", ValueType.STRING,
          "connection", ValueType.STRING,
          "port", ValueType.INT,
          "environment", ValueType.MAPPING,
          "ignore_errors", ValueType.BOOL,
          "ignore_unreachable", ValueType.BOOL,
          "no_log", ValueType.BOOL,
          "check_mode", ValueType.BOOL,
          "diff", ValueType.BOOL,
          "tags", ValueType.TAGS,
          "timeout", ValueType.INT,
          "run_once", ValueType.BOOL,
          "throttle", ValueType.INT,
          "force_handlers", ValueType.BOOL,
          "max_fail_percentage", ValueType.PERCENT,
          "any_errors_fatal", ValueType.BOOL,
          "gather_subset", ValueType.NAMES,
          "gather_timeout", ValueType.INT,
          "fact_path", ValueType.STRING);

  /** Keywords a block passes down to its steps; also valid on tasks and includes. */
  private static final Map<String, ValueType> INHERITED =
      table(
          "become", ValueType.BOOL,
          "become_user", ValueType.STRING,
          "become_method", ValueType.STRING,
          "become_flags", ValueType.STRING,
          "when", ValueType.CONDITION,
          "ignore_errors", ValueType.BOOL,
          "ignore_unreachable", ValueType.BOOL,
          "no_log", ValueType.BOOL,
          "vars", ValueType.VARS,
          "tags", ValueType.TAGS,
          "check_mode", ValueType.BOOL,
          "diff", ValueType.BOOL,
          "environment", ValueType.MAPPING,
          "timeout", ValueType.INT,
          "run_once", ValueType.BOOL,
          "delegate_to", ValueType.STRING,
          "delegate_facts", ValueType.BOOL,
          "any_errors_fatal", ValueType.BOOL,
          "throttle", ValueType.INT);

  private static final Map<String, ValueType> TASK =
      merge(
          table("name", ValueType.STRING),
          INHERITED,
          table(
              "register", ValueType.STRING,
              "changed_when", ValueType.CONDITION,
              "failed_when", ValueType.CONDITION,
              "loop", ValueType.LOOP,
              "loop_control", ValueType.LOOP_CONTROL,
              "until", ValueType.CONDITION,
              "retries", ValueType.INT,
              "delay", ValueType.INT,
              "notify", ValueType.NAMES,
              "listen", ValueType.NAMES,
              "args", ValueType.ARGS));

  private static final Map<String, ValueType> BLOCK =
      merge(
          table(
              "name", ValueType.STRING,
              "block", ValueType.TASKS,
              "rescue", ValueType.TASKS,
              "always", ValueType.TASKS),
          INHERITED);

  /** Keywords of {@code include_tasks}, {@code import_tasks}, {@code include_role} and {@code import_role}. */
  private static final Map<String, ValueType> INCLUDE =
      merge(
          table("name", ValueType.STRING),
          INHERITED,
          table(
              "loop", ValueType.LOOP,
              "loop_control", ValueType.LOOP_CONTROL,
              "args", ValueType.MAPPING));

  /** The {@code with_*} lookups jplay runs, as Ansible's loops of the same name. */
  private static final List<String> LOOKUPS =
      List.of("with_items", "with_list", "with_dict", "with_indexed_items", "with_fileglob", "with_sequence");

  /** The {@code loop_control} settings. */
  static final List<String> LOOP_CONTROL =
      List.of("loop_var", "index_var", "label", "pause", "extended", "extended_allitems");

  /** Ansible's play keywords (ansible-core 2.14 Play attributes) that jplay does not support yet. */
  private static final Set<String> PLAY_UNSUPPORTED =
      Set.of(
          "become_exe", "collections", "debugger", "module_defaults", "order", "vars_prompt");

  /**
   * Ansible's task keywords (Task, Block and Handler attributes) and task-level statements that jplay does not
   * support yet. Keys starting with {@code with_} (Ansible's lookup loops) count as well, but for those above.
   */
  private static final Set<String> TASK_UNSUPPORTED =
      Set.of(
          "async", "poll", "become_exe", "collections", "connection", "debugger", "module_defaults", "port",
          "remote_user", "import_playbook");

  private static final String LOOP_PREFIX = "with_";

  private PlaybookKeywords() {}

  @SafeVarargs
  private static Map<String, ValueType> merge(Map<String, ValueType>... tables) {
    Map<String, ValueType> out = new LinkedHashMap<>();
    for (Map<String, ValueType> t : tables) {
      out.putAll(t);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

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

  /** The block keywords jplay supports: {@code block}, {@code rescue}, {@code always} and what steps inherit. */
  public static List<String> block() {
    return List.copyOf(BLOCK.keySet());
  }

  /** The {@code with_*} loops jplay supports. */
  public static List<String> lookups() {
    return LOOKUPS;
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
    return LOOKUPS.contains(keyword) ? ValueType.WITH : TASK.get(keyword);
  }

  static ValueType blockType(String keyword) {
    return BLOCK.get(keyword);
  }

  static ValueType includeType(String keyword) {
    return LOOKUPS.contains(keyword) ? ValueType.WITH : INCLUDE.get(keyword);
  }

  static boolean inherited(String keyword) {
    return INHERITED.containsKey(keyword);
  }

  static boolean playUnsupported(String keyword) {
    return PLAY_UNSUPPORTED.contains(keyword);
  }

  static boolean taskUnsupported(String keyword) {
    return TASK_UNSUPPORTED.contains(keyword)
        || keyword.startsWith(LOOP_PREFIX) && keyword.length() > 5 && !LOOKUPS.contains(keyword);
  }
}
