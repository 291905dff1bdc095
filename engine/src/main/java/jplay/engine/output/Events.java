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
   * One host begins the current task (it got a fork, and its {@code throttle} slot): for progress shown while
   * tasks run long. Its {@link HostResult} follows when it is done.
   */
  public record HostStarted(String host, String task) {}

  /**
   * One host's result for the current task.
   *
   * @param ignored the task failed but {@code ignore_errors} let the host go on ("...ignoring")
   * @param noLog the task's values must not be shown ({@code no_log})
   * @param verboseArgs the module arguments (masked), shown at high verbosity
   * @param rescued the task failed inside a {@code block} whose {@code rescue} takes the host over: counted as
   *     {@code rescued}, not {@code failed}, in the recap (Ansible's rule)
   * @param loop the task ran over a loop: its items were reported one by one ({@link ItemResult}), so the
   *     overall result line is left out, as Ansible does (but "skipping" and "...ignoring" are shown)
   * @param delegatedTo the host the task ran on for this one ({@code delegate_to}), or null: shown as
   *     {@code [web1 -> db1]}
   */
  public record HostResult(
      String host,
      String task,
      Status status,
      Outcome outcome,
      Duration elapsed,
      boolean ignored,
      boolean noLog,
      Map<String, Object> verboseArgs,
      boolean rescued,
      boolean loop,
      String delegatedTo) {
    public HostResult(
        String host,
        String task,
        Status status,
        Outcome outcome,
        Duration elapsed,
        boolean ignored,
        boolean noLog,
        Map<String, Object> verboseArgs) {
      this(host, task, status, outcome, elapsed, ignored, noLog, verboseArgs, false, false, null);
    }
  }

  /**
   * One item of a looping task on one host, reported as it finishes ({@code ok: [web1] => (item=a)}); the
   * recap counts the task once, through its {@link HostResult}.
   *
   * @param label how the item is shown: {@code loop_control.label} or the item itself, as Python prints it
   */
  public record ItemResult(
      String host,
      String task,
      Status status,
      Outcome outcome,
      String label,
      boolean noLog,
      String delegatedTo) {}

  /**
   * An {@code until} condition did not hold yet: the task runs again after {@code delay}.
   *
   * @param retriesLeft how many more attempts there are
   */
  public record Retry(String host, String task, int retriesLeft, Outcome outcome) {}

  /**
   * A task file was included for some hosts ({@code include_tasks}); Ansible counts it as ok for each of them.
   *
   * @param file the included file, as resolved
   * @param hosts the hosts that include it (with this item)
   * @param label the loop item it was included for, or null
   */
  public record Included(String file, List<String> hosts, String label) {}

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
