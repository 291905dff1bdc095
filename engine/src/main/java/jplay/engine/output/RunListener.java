package jplay.engine.output;

/**
 * Receives the events of a run. All output goes through listeners: the human (Ansible-like) output, JSON lines,
 * the recap and timings. Calls arrive from the executor's threads but never concurrently.
 */
public interface RunListener {
  default void playbookStarted(Events.PlaybookStarted e) {}

  default void playStarted(Events.PlayStarted e) {}

  default void taskStarted(Events.TaskStarted e) {}

  /** A host begins the current task; its {@link #hostResult} follows. */
  default void hostStarted(Events.HostStarted e) {}

  default void hostResult(Events.HostResult e) {}

  /** One item of a looping task; the task's {@link #hostResult} follows once all items are done. */
  default void itemResult(Events.ItemResult e) {}

  /** An {@code until} condition failed and the task is tried again. */
  default void retry(Events.Retry e) {}

  /** {@code include_tasks} brought a file in for some hosts. */
  default void included(Events.Included e) {}

  /** The run stops early: {@code any_errors_fatal} or {@code max_fail_percentage} ended it ("NO MORE HOSTS LEFT"). */
  default void noMoreHosts() {}

  /** Text an action shows to people as it runs, such as {@code pause}'s notice; not a warning. */
  default void message(String text) {}

  /** Something the user should know that is not a failure ([WARNING] in Ansible). */
  default void warning(String message) {}

  default void runFinished(Events.RunFinished e) {}
}
