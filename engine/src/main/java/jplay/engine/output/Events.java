package jplay.engine.output;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Outcome;
import jplay.engine.yaml.Mark;

/** The events of a run, as records; {@link RunListener} receives them in order. */
public final class Events {
  private Events() {}

  public record PlaybookStarted(String path, boolean checkMode, boolean diffMode) {}

  public record PlayStarted(String name, String pattern, List<String> hosts, Mark mark) {}

  /** A task (or a handler) is about to run on {@code hosts}. */
  public record TaskStarted(String name, String module, Mark mark, boolean handler, List<String> hosts) {}

  /**
   * One host's result for the current task.
   *
   * @param ignored the task failed but {@code ignore_errors} let the host go on ("...ignoring")
   * @param noLog the task's values must not be shown ({@code no_log})
   * @param verboseArgs the module arguments (masked), shown at high verbosity
   */
  public record HostResult(
      String host,
      String task,
      Status status,
      Outcome outcome,
      Duration elapsed,
      boolean ignored,
      boolean noLog,
      Map<String, Object> verboseArgs) {}

  /** Per-host counts for the PLAY RECAP, as Ansible's. */
  public record HostStats(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
    public static final HostStats ZERO = new HostStats(0, 0, 0, 0, 0, 0, 0);
  }

  public record TaskTiming(String task, String host, Mark mark, Duration elapsed) {}

  /**
   * The run ended.
   *
   * @param stats per host, in inventory order
   * @param elapsed wall time of the whole run
   * @param timings every task on every host, for the "slowest tasks" summary
   * @param interrupted the run was stopped by Ctrl-C or SIGTERM
   */
  public record RunFinished(
      Map<String, HostStats> stats, Duration elapsed, List<TaskTiming> timings, boolean interrupted) {}
}
