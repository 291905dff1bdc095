package jplay.engine.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;

/**
 * One host's memory for guessing probes ({@link Fact.Guess}): the latest output of each kind of probe, per become
 * user, and how guessing has gone lately. A miss costs no round trip, but it plans the task twice: after eight
 * misses in a row (a second run, where every file exists) the host guesses only every fourth time until one hits.
 */
final class ProbeMemory {
  private static final int MISSES_BEFORE_PAUSE = 8;
  private static final int PAUSE = 4;

  private final Map<String, String> latest = new ConcurrentHashMap<>();
  private int missesInARow;
  private int paused;

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

  /** Whether to guess this time. */
  synchronized boolean worthTrying() {
    return missesInARow < MISSES_BEFORE_PAUSE || ++paused % PAUSE == 0;
  }

  synchronized void hit() {
    missesInARow = 0;
  }

  synchronized void missed() {
    missesInARow++;
  }

  private static String key(Fact<?> fact, String becomeUser) {
    return fact.guess().memo() + '\0' + (becomeUser == null ? "" : becomeUser);
  }
}
