package jplay.engine.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** What a module may ask of the engine while it plans for one host. */
public interface ModuleContext {
  /** The validated arguments, templates already rendered. */
  Args args();

  /** The host's inventory name. */
  String host();

  /** Reads a fact from the host (one round trip, cached for the rest of this task). */
  <T> T fact(Fact<T> fact);

  /** True under {@code --check}: plan as usual, the engine will not run the change. */
  boolean checkMode();

  /** True under {@code --diff}: the module should fill in {@link Plan.Change#diff()} where it can. */
  boolean diffMode();

  /** The host's variables as templates see them (read-only). */
  Map<String, Object> vars();

  /** Evaluates a Jinja2 expression (no braces) against the host's variables, e.g. for {@code debug: var=x}. */
  Object evaluate(String expression);

  /**
   * Renders a Jinja2 template text (a whole file, for the template module) against the host's variables, with the
   * engine's filters and tests, and Jinja2's own whitespace defaults (trim_blocks and lstrip_blocks off): a module
   * that offers those options applies them to the text first.
   *
   * @throws ModuleException when the template cannot be rendered (undefined variable, syntax error)
   */
  String render(String template);

  /** Resolves a controller-side file name as Ansible does: relative to the role's or the playbook's folder. */
  Path localPath(String name);

  /**
   * Closes the host's connection, opens a new one (each attempt bounded by {@code connectTimeout}; null keeps the
   * host's own), and runs {@code probe} on it with the task's become, for modules that wait through a reboot or a
   * restarted sshd ({@code reboot}, {@code wait_for_connection}). A host that cannot be reached, or whose
   * connection drops during the probe, is an answer here, not an error: the result is empty and the host is not
   * marked unreachable, so the module can try again.
   *
   * @throws ModuleException where the engine cannot reconnect (the default: unit-test contexts)
   */
  default Optional<CommandResult> reconnect(Command probe, Duration connectTimeout) {
    throw new ModuleException("reconnecting is not available here");
  }

  /**
   * Writes {@code content} to the controller-side file {@code path} atomically (a temp file renamed into place),
   * creating missing parent directories; for modules that bring files back from the host ({@code fetch}). Only
   * call it when applying a change, never in check mode.
   *
   * @throws ModuleException when the file cannot be written, or where the engine does not allow it (the default)
   */
  default void writeLocal(Path path, byte[] content) {
    throw new ModuleException("writing controller files is not available here");
  }
}
