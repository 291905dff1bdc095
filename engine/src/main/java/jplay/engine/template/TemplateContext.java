package jplay.engine.template;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a template's lookups look: {@code lookup('file', name)} tries {@code dir/files/name}, then
 * {@code dir/name}, for each directory in order ({@code templates/} instead of {@code files/} for
 * {@code lookup('template', ...)}); {@code lookup('pipe', cmd)} runs in the first directory. Absolute names are
 * used as they are. The executor passes the directory of the playbook (a role's directory first, when there is one),
 * as Ansible searches them.
 *
 * <pre>{@code
 * templar.render(value, vars, TemplateContext.of(playbookDir));
 * }</pre>
 */
public record TemplateContext(List<Path> searchPath) {
  /** The current directory: what the overloads without a context use. */
  public static final TemplateContext CURRENT_DIRECTORY = new TemplateContext(List.of(Path.of("")));

  public TemplateContext {
    if (searchPath.isEmpty()) {
      throw new IllegalArgumentException("a template context needs at least one directory");
    }
    searchPath = List.copyOf(searchPath);
  }

  public static TemplateContext of(Path... dirs) {
    return new TemplateContext(List.of(dirs));
  }

  /** The first directory: the one relative paths of {@code pipe} commands start from. */
  public Path baseDir() {
    return searchPath.get(0);
  }
}
