package jplay.engine.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * A dynamic include ({@code include_tasks} or {@code include_role}), resolved for each host while the play runs:
 * its {@code when} and loop are evaluated once for the include, not for each included task.
 *
 * @param action {@code include_tasks} or {@code include_role}
 * @param target the file or role name as written (may hold a template)
 * @param options the include's own options ({@code tasks_from}, {@code vars_from}, {@code apply}, {@code public}, ...)
 * @param keywords the task keywords on the include ({@code when}, {@code loop}, {@code vars}, {@code tags}, ...)
 * @param searchDirs where a relative file name is looked for, in order
 * @param role the role the include is written in, or null
 * @param preloaded the included steps when the target has no template (checked before the run), else null
 * @param mark where the include is written
 */
public record Include(
    String action,
    String target,
    Map<String, Object> options,
    Map<String, Object> keywords,
    List<Path> searchDirs,
    Role role,
    List<Step> preloaded,
    Mark mark)
    implements Step {
  public static final String TASKS = "include_tasks";
  public static final String ROLE = "include_role";

  public Include {
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    keywords = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keywords));
    searchDirs = List.copyOf(searchDirs);
    preloaded = preloaded == null ? null : List.copyOf(preloaded);
  }

  /** The name shown in output: the include's name, else {@code include_tasks} / {@code include_role : NAME}. */
  public String displayName() {
    Object name = keywords.get("name");
    if (name instanceof String s && !s.isBlank()) {
      return s;
    }
    return action.equals(ROLE) ? ROLE + " : " + target : action;
  }
}
