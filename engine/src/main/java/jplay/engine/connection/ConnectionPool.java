package jplay.engine.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One connection per target for the whole run, opened on first use, with a bound on how many are being set up at
 * once (key exchange and login are the expensive part, and sshd's MaxStartups refuses bursts). Thread-safe.
 *
 * <pre>{@code
 * try (ConnectionPool pool = new ConnectionPool(16)) {
 *   CommandResult r = pool.get(target).run(Command.of("hostname"), null, null);
 * }   // closes every connection
 * }</pre>
 *
 * A failed open is not remembered: asking again tries again.
 */
public final class ConnectionPool implements AutoCloseable {
  /** Concurrent connection setups when not told otherwise. */
  public static final int DEFAULT_SETUP_LIMIT = 16;

  /** How a pool opens a connection; replaceable in tests. */
  @FunctionalInterface
  interface Opener {
    Connection open(Target target, Semaphore setup) throws UnreachableException, InterruptedException;
  }

  private final Semaphore setup;
  private final Opener opener;
  private final Map<Target, Slot> slots = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ConnectionPool() {
    this(DEFAULT_SETUP_LIMIT);
  }

  /** @param setupLimit how many connections may be in setup at once (at least 1) */
  public ConnectionPool(int setupLimit) {
    this(setupLimit, Connections::open);
  }

  ConnectionPool(int setupLimit, Opener opener) {
    if (setupLimit < 1) {
      throw new IllegalArgumentException("connection setup limit must be at least 1, got " + setupLimit);
    }
    this.setup = new Semaphore(setupLimit, true);
    this.opener = opener;
  }

  /**
   * The connection for {@code target}, opening it when this is the first use. Concurrent callers for the same
   * target share one opening.
   */
  public Connection get(Target target) throws UnreachableException, InterruptedException {
    if (closed) {
      throw new IllegalStateException("connection pool is closed");
    }
    Slot slot = slots.computeIfAbsent(target, t -> new Slot());
    synchronized (slot) {
      if (slot.connection == null) {
        Connection c = opener.open(target, setup);
        if (closed) {
          c.close();
          throw new IllegalStateException("connection pool is closed");
        }
        slot.connection = c;
      }
      return slot.connection;
    }
  }

  /**
   * Closes the connection of {@code target} and opens a new one in the same slot, its setup bounded by
   * {@code connectTimeout} (null: the target's own). The new connection keeps that bound for its own later
   * reconnects. When the open fails the slot is left empty, so the next {@link #get} or reopen tries again.
   */
  public Connection reopen(Target target, Duration connectTimeout) throws UnreachableException, InterruptedException {
    if (closed) {
      throw new IllegalStateException("connection pool is closed");
    }
    Slot slot = slots.computeIfAbsent(target, t -> new Slot());
    synchronized (slot) {
      if (slot.connection != null) {
        slot.connection.close();
        slot.connection = null;
      }
      Target how = connectTimeout == null ? target : new Target(target.name(), target.address(), target.port(),
          target.user(), target.password(), target.privateKeys(), target.connection(), target.hostKeyPolicy(),
          target.knownHosts(), connectTimeout);
      Connection c = opener.open(how, setup);
      if (closed) {
        c.close();
        throw new IllegalStateException("connection pool is closed");
      }
      slot.connection = c;
      return c;
    }
  }

  /** Closes and forgets the connection of {@code target} (it failed); the next {@link #get} opens a new one. */
  public void discard(Target target) {
    Slot slot = slots.remove(target);
    if (slot == null) {
      return;
    }
    synchronized (slot) {
      if (slot.connection != null) {
        slot.connection.close();
        slot.connection = null;
      }
    }
  }

  /** Closes every connection opened so far; never throws. */
  @Override
  public void close() {
    closed = true;
    List<Connection> open = new ArrayList<>();
    for (Slot s : slots.values()) {
      synchronized (s) {
        if (s.connection != null) {
          open.add(s.connection);
          s.connection = null;
        }
      }
    }
    slots.clear();
    for (Connection c : open) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // close() promises not to throw; one misbehaving connection must not keep the others open.
      }
    }
  }

  private static final class Slot {
    Connection connection;
  }
}
