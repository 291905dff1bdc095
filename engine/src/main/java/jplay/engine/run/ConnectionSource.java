package jplay.engine.run;

import java.time.Duration;
import jplay.engine.connection.Connection;
import jplay.engine.connection.Target;
import jplay.engine.connection.UnreachableException;

/** Where the executor gets its one connection per host; the real one is backed by a connection pool. */
public interface ConnectionSource extends AutoCloseable {
  /** The host's connection, opened on first use and kept for the run. */
  Connection get(Target target) throws UnreachableException, InterruptedException;

  /** Forgets the host's connection (it failed); the next {@link #get} opens a new one. */
  void discard(Target target);

  /**
   * Closes the host's connection and opens a new one in its place, each setup bounded by {@code connectTimeout}
   * (null: the target's own). The default discards and gets again, ignoring the timeout; a pool overrides it.
   */
  default Connection reopen(Target target, Duration connectTimeout) throws UnreachableException, InterruptedException {
    discard(target);
    return get(target);
  }

  @Override
  void close();
}
