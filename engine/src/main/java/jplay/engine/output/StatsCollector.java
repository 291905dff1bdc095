package jplay.engine.output;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the PLAY RECAP numbers from the host results, with Ansible's rules (checked against ansible-core 2.14):
 *
 * <ul>
 *   <li>ok and changed both count as {@code ok}; changed counts as {@code changed} too;
 *   <li>a failure let through by {@code ignore_errors} counts as {@code ok} and {@code ignored}, and as {@code
 *       changed} when its outcome says it changed; any other failure as {@code failed} only;
 *   <li>an unreachable host counts as {@code unreachable}, or as {@code ok} and {@code ignored} when ignored;
 *   <li>a skipped task counts as {@code skipped} only;
 *   <li>a failure inside a {@code block} whose {@code rescue} takes over counts as {@code rescued} only;
 *   <li>an {@code include_tasks} counts as {@code ok} for each host that included the file.
 * </ul>
 *
 * <pre>{@code
 * StatsCollector stats = new StatsCollector();
 * RunListener all = Listeners.of(stats, new HumanOutput(System.out, 0, true, false));
 * // ... run, then:
 * all.runFinished(new Events.RunFinished(stats.stats(), elapsed, timings, false));
 * }</pre>
 */
public final class StatsCollector implements RunListener {
  private final Map<String, Events.HostStats> stats = new LinkedHashMap<>();

  @Override
  public synchronized void hostResult(Events.HostResult r) {
    Events.HostStats s = stats.getOrDefault(r.host(), Events.HostStats.ZERO);
    int ok = s.ok();
    int changed = s.changed();
    int unreachable = s.unreachable();
    int failed = s.failed();
    int skipped = s.skipped();
    int ignored = s.ignored();
    int rescued = s.rescued();
    switch (r.status()) {
      case OK -> ok++;
      case CHANGED -> {
        ok++;
        changed++;
      }
      case SKIPPED -> skipped++;
      case FAILED -> {
        if (r.ignored()) {
          ok++;
          ignored++;
          if (Results.outcome(r).changed()) {
            changed++;
          }
        } else if (r.rescued()) {
          rescued++;
        } else {
          failed++;
        }
      }
      case UNREACHABLE -> {
        if (r.ignored()) {
          ok++;
          ignored++;
        } else {
          unreachable++;
        }
      }
    }
    stats.put(r.host(), new Events.HostStats(ok, changed, unreachable, failed, skipped, rescued, ignored));
  }

  @Override
  public synchronized void included(Events.Included e) {
    for (String h : e.hosts()) {
      Events.HostStats s = stats.getOrDefault(h, Events.HostStats.ZERO);
      stats.put(h, new Events.HostStats(
          s.ok() + 1, s.changed(), s.unreachable(), s.failed(), s.skipped(), s.rescued(), s.ignored()));
    }
  }

  /** A snapshot of the counts, per host in the order hosts first reported a result. */
  public synchronized Map<String, Events.HostStats> stats() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(stats));
  }

  /** One host's counts, {@link Events.HostStats#ZERO} for a host without results. */
  public synchronized Events.HostStats stats(String host) {
    return stats.getOrDefault(host, Events.HostStats.ZERO);
  }
}
