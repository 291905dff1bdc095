package jplay.engine.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a module decided for one host, before anything changes there. Either nothing to do ({@link Noop}, with the
 * reason), or commands to run ({@link Change}). The engine runs a change's commands in order, stopping at the
 * first non-zero exit, unless in check mode; then the module's {@code interpret} function turns the results into
 * the {@link Outcome}. Check mode and diff therefore come for free.
 */
public sealed interface Plan {

  /** Nothing to change. {@code outcome} is reported as ok (or skipped, or failed) with its values. */
  record Noop(String reason, Outcome outcome) implements Plan {}

  /**
   * Commands that make the change.
   *
   * @param commands run in order; the first non-zero exit stops the list
   * @param diff what changes, shown with {@code --diff} (null when there is nothing to show)
   * @param checkOutcome reported in check mode instead of running anything
   * @param interpret turns the results of the commands that ran into the outcome (the last one may have failed)
   */
  record Change(
      List<Command> commands, Diff diff, Outcome checkOutcome, Function<List<CommandResult>, Outcome> interpret)
      implements Plan {
    public Change {
      commands = List.copyOf(commands);
    }
  }

  /** Nothing to do: the host is already as asked. */
  static Plan noop(String reason, Map<String, Object> data) {
    return new Noop(reason, Outcome.ok(data));
  }

  /** The task is skipped for this host (e.g. a command in check mode), with why. */
  static Plan skip(String reason) {
    return new Noop(reason, Outcome.skipped(reason));
  }

  /**
   * Run {@code commands}; the task is changed with {@code data} when all succeed, and failed with the failing
   * command's stderr (or stdout) otherwise.
   */
  static Plan change(List<Command> commands, Diff diff, Map<String, Object> data) {
    Outcome done = Outcome.changed(data).withDiff(diff);
    return new Change(commands, diff, done, results -> defaultInterpret(results, done));
  }

  /** The outcome when every command succeeded, else a failure naming the failing command's error. */
  static Outcome defaultInterpret(List<CommandResult> results, Outcome success) {
    for (CommandResult r : results) {
      if (!r.ok()) {
        String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
        return new Outcome(
            false,
            true,
            false,
            err.isEmpty() ? "command failed with exit code " + r.rc() : err,
            Map.of("rc", r.rc(), "stdout", r.stdout(), "stderr", r.stderr()),
            success.diff());
      }
    }
    return success;
  }
}
