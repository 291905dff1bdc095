package jplay.engine.output;

/** How a task ended on one host. */
public enum Status {
  OK,
  CHANGED,
  FAILED,
  SKIPPED,
  UNREACHABLE
}
