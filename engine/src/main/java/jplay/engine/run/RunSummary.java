package jplay.engine.run;

import java.util.Map;
import java.util.Set;
import jplay.engine.output.Events.HostStats;

/**
 * The outcome of a run, and the exit code it maps to (Ansible's contract).
 *
 * @param failed the hosts that ended the run failed (a rescued failure, an ignored one, or one forgiven by
 *     {@code meta: clear_host_errors} does not count), as Ansible's failed hosts
 * @param unreachable the hosts that ended the run unreachable
 */
public record RunSummary(
    Map<String, HostStats> stats, boolean interrupted, Set<String> failed, Set<String> unreachable) {
  public static final int OK = 0;
  public static final int HOST_FAILED = 2;
  public static final int HOST_UNREACHABLE = 4;
  public static final int BAD_OPTIONS = 5;
  public static final int INTERRUPTED = 99;
  public static final int INTERNAL_ERROR = 250;

  public RunSummary {
    failed = Set.copyOf(failed);
    unreachable = Set.copyOf(unreachable);
  }

  /** A summary whose failed and unreachable hosts are those with such counts in the recap. */
  public RunSummary(Map<String, HostStats> stats, boolean interrupted) {
    this(stats, interrupted,
        Set.copyOf(stats.entrySet().stream().filter(e -> e.getValue().failed() > 0).map(Map.Entry::getKey).toList()),
        Set.copyOf(stats.entrySet().stream().filter(e -> e.getValue().unreachable() > 0).map(Map.Entry::getKey)
            .toList()));
  }

  /** 99 if interrupted, else 4 if any host was unreachable, else 2 if any failed, else 0 — as ansible-playbook. */
  public int exitCode() {
    if (interrupted) {
      return INTERRUPTED;
    }
    if (!unreachable.isEmpty()) {
      return HOST_UNREACHABLE;
    }
    if (!failed.isEmpty()) {
      return HOST_FAILED;
    }
    return OK;
  }
}
