package jplay.engine.run;

import jplay.engine.connection.Connection;
import jplay.engine.connection.Target;
import jplay.engine.connection.UnreachableException;

/** Where the executor gets its one connection per host; the real one is backed by a connection pool. */
public interface ConnectionSource extends AutoCloseable {
  /** The host's connection, opened on first use and kept for the run. */
  Connection get(Target target) throws UnreachableException, InterruptedException;

  /** Forgets the host's connection (it failed); the next {@link #get} opens a new one. */
  void discard(Target target);

  @Override
  void close();
}
