package jplay.engine.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One use of a role: its folder and files, and the parameters it was given ({@code roles: [{role: x, port: 80}]}).
 *
 * @param name the role's name, shown before its task names ({@code TASK [web : install]})
 * @param dir the role's folder; {@code files/}, {@code templates/} and {@code tasks/} are found under it
 * @param defaults {@code defaults/main.yml}, the lowest variables of all
 * @param vars {@code vars/main.yml}, above play and vars_files variables
 * @param params the parameters of this use, above almost everything (below extra vars)
 * @param handlers {@code handlers/main.yml}, as steps
 * @param once the role runs at most once per host in a play with the same parameters (a {@code roles:} entry or a
 *     dependency; not an explicit {@code include_role} or {@code import_role}), as Ansible deduplicates roles
 */
public record Role(
    String name,
    Path dir,
    Map<String, Object> defaults,
    Map<String, Object> vars,
    Map<String, Object> params,
    List<Step> handlers,
    boolean once) {
  public Role {
    defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    handlers = List.copyOf(handlers);
  }

  /** What makes two uses of a role the same run: its folder and its parameters. */
  public String runKey() {
    return dir.toAbsolutePath().normalize() + " " + new java.util.TreeMap<>(params);
  }

  /** Each use of a role is its own: identity, not contents (its steps may refer back to it). */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "Role[" + name + " " + dir + "]";
  }
}
