package jplay.engine.output;

/**
 * Receives the events of a run. All output goes through listeners: the human (Ansible-like) output, JSON lines,
 * the recap and timings. Calls arrive from the executor's threads but never concurrently.
 */
public interface RunListener {
  default void playbookStarted(Events.PlaybookStarted e) {}

  default void playStarted(Events.PlayStarted e) {}

  default void taskStarted(Events.TaskStarted e) {}

  default void hostResult(Events.HostResult e) {}

  /** Something the user should know that is not a failure ([WARNING] in Ansible). */
  default void warning(String message) {}

  default void runFinished(Events.RunFinished e) {}
}
