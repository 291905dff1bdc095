package jplay.engine.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * One play as written, imports and roles already expanded.
 *
 * <p>Sections run in Ansible's order, each followed by the handlers it notified: {@code pre_tasks}, then
 * {@code roles} and {@code tasks} together, then {@code post_tasks}.
 *
 * @param name the play's name, or null (output then shows the host pattern)
 * @param hosts the host pattern ({@code all}, {@code web:&prod}, ...)
 * @param vars the play's {@code vars}, plain values (may hold templates)
 * @param varsFiles the {@code vars_files} entries: a file name, or a list of names of which the first found is read
 * @param preTasks {@code pre_tasks}
 * @param roles {@code roles}, each a block holding the role's body (its dependencies first)
 * @param body {@code tasks}
 * @param postTasks {@code post_tasks}
 * @param handlers the roles' handlers (each in a block of its role), then the play's {@code handlers}
 * @param keywords the other play keywords, plain values ({@code become}, {@code gather_facts}, {@code serial}, ...)
 * @param mark where the play starts
 * @param dir the folder of the playbook file the play is written in (relative paths start there)
 */
public record Play(
    String name,
    String hosts,
    Map<String, Object> vars,
    List<Object> varsFiles,
    List<Step> preTasks,
    List<Step> roles,
    List<Step> body,
    List<Step> postTasks,
    List<Step> handlers,
    Map<String, Object> keywords,
    Mark mark,
    Path dir) {
  public Play {
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    varsFiles = java.util.Collections.unmodifiableList(new ArrayList<>(varsFiles));
    preTasks = List.copyOf(preTasks);
    roles = List.copyOf(roles);
    body = List.copyOf(body);
    postTasks = List.copyOf(postTasks);
    handlers = List.copyOf(handlers);
    keywords = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keywords));
  }

  public String displayName() {
    return name != null && !name.isBlank() ? name : hosts;
  }

  /**
   * Every module call the play runs, in order, through blocks, roles and static imports (not handlers, not the
   * steps of dynamic includes): for {@code --list-tasks}. {@link Listing} also gives their tags and role names.
   */
  public List<Task> tasks() {
    List<Task> out = new ArrayList<>();
    for (List<Step> section : List.of(preTasks, roles, body, postTasks)) {
      collect(section, out);
    }
    return out;
  }

  private static void collect(List<Step> steps, List<Task> out) {
    for (Step s : steps) {
      if (s instanceof Task t) {
        out.add(t);
      } else if (s instanceof Block b) {
        collect(b.block(), out);
        collect(b.rescue(), out);
        collect(b.always(), out);
      }
    }
  }
}
