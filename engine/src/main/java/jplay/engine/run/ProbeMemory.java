package jplay.engine.run;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;

/**
 * One host's memory for guessing probes ({@link Fact.Guess}): the latest output of each kind of probe, per become
 * user, and how guessing has gone lately. A miss costs no round trip, but the task is planned twice: a module whose
 * guessed plans took a while (a large template, a large file to copy) and missed {@value #MISSES_BEFORE_PAUSE} times
 * in a row (a second run, where every file exists) is guessed for only every {@value #PAUSE}th time until one hits.
 */
final class ProbeMemory {
  static final int MISSES_BEFORE_PAUSE = 4;
  static final int PAUSE = 8;
  /** A guessed plan that took less than this costs less than the round trip it may save: its miss is not counted. */
  static final long COSTLY_PLAN_NANOS = 1_000_000;

  private final Map<String, String> latest = new ConcurrentHashMap<>();
  /** Per module: costly misses in a row, and how many chances were skipped since. */
  private final Map<String, int[]> streaks = new HashMap<>();

  /** Keeps {@code r}'s stdout for guessing when {@code fact} has a guess and its probe succeeded. */
  void remember(Fact<?> fact, String becomeUser, CommandResult r) {
    if (fact.guess() != null && r.rc() == 0) {
      latest.put(key(fact, becomeUser), r.stdout());
    }
  }

  /** The guess of {@code fact}'s output, or null when it has none. */
  String guess(Fact<?> fact, String becomeUser) {
    return fact.guess() == null ? null : fact.guess().fromEarlier().apply(latest.get(key(fact, becomeUser)));
  }

  /** Whether to plan {@code module}'s task from guesses this time. */
  synchronized boolean worthTrying(String module) {
    int[] s = streaks.get(module);
    return s == null || s[0] < MISSES_BEFORE_PAUSE || ++s[1] % PAUSE == 0;
  }

  synchronized void hit(String module) {
    streaks.remove(module);
  }

  /** A miss of {@code module}'s guessed plan, which took {@code planNanos} to make. */
  synchronized void missed(String module, long planNanos) {
    if (planNanos >= COSTLY_PLAN_NANOS) {
      streaks.computeIfAbsent(module, m -> new int[2])[0]++;
    }
  }

  private static String key(Fact<?> fact, String becomeUser) {
    return fact.guess().memo() + '\0' + (becomeUser == null ? "" : becomeUser);
  }
}
