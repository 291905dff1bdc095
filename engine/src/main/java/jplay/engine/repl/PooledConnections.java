package jplay.engine.repl;

import java.time.Duration;
import jplay.engine.connection.Connection;
import jplay.engine.connection.ConnectionPool;
import jplay.engine.connection.Target;
import jplay.engine.connection.UnreachableException;
import jplay.engine.run.ConnectionSource;

/**
 * The executor's view of a connection pool. A run closes its source when it ends; a console session runs many
 * times over one pool, so its source leaves the pool open ({@code closeWithRun} false) and the session closes it.
 */
public final class PooledConnections implements ConnectionSource {
  private final ConnectionPool pool;
  private final boolean closeWithRun;

  public PooledConnections(ConnectionPool pool, boolean closeWithRun) {
    this.pool = pool;
    this.closeWithRun = closeWithRun;
  }

  @Override
  public Connection get(Target target) throws UnreachableException, InterruptedException {
    return pool.get(target);
  }

  @Override
  public void discard(Target target) {
    pool.discard(target);
  }

  @Override
  public Connection reopen(Target target, Duration connectTimeout) throws UnreachableException, InterruptedException {
    return pool.reopen(target, connectTimeout);
  }

  @Override
  public void close() {
    if (closeWithRun) {
      pool.close();
    }
  }
}
