package jplay.engine.run;

import java.util.Map;
import jplay.engine.output.Events.HostStats;

/** The outcome of a run, and the exit code it maps to (Ansible's contract). */
public record RunSummary(Map<String, HostStats> stats, boolean interrupted) {
  public static final int OK = 0;
  public static final int HOST_FAILED = 2;
  public static final int HOST_UNREACHABLE = 4;
  public static final int BAD_OPTIONS = 5;
  public static final int INTERRUPTED = 99;
  public static final int INTERNAL_ERROR = 250;

  /** 99 if interrupted, else 4 if any host was unreachable, else 2 if any failed, else 0 — as ansible-playbook. */
  public int exitCode() {
    if (interrupted) {
      return INTERRUPTED;
    }
    if (stats.values().stream().anyMatch(s -> s.unreachable() > 0)) {
      return HOST_UNREACHABLE;
    }
    if (stats.values().stream().anyMatch(s -> s.failed() > 0)) {
      return HOST_FAILED;
    }
    return OK;
  }
}
