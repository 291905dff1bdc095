package jplay.engine.connection;

import java.time.Duration;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;

/**
 * A live link to one host, opened once and used for the whole run: one channel (or process) per command.
 * Implementations are thread-safe for one command at a time per host (the executor never runs two at once on a
 * host).
 */
public interface Connection extends AutoCloseable {
  /**
   * Runs {@code command} on the host with {@code /bin/sh -c}, feeding its stdin, with {@code become} applied when
   * not null. A non-zero exit is a normal result, not an exception.
   *
   * @param timeout how long the command may run; null for no limit. On expiry the command is stopped and the
   *     result has rc 124 and a stderr that says it timed out after how long
   * @throws UnreachableException when the host cannot be reached, or the connection dropped
   * @throws BecomeException when sudo refused (wrong or missing password)
   */
  CommandResult run(Command command, Become become, Duration timeout)
      throws UnreachableException, BecomeException, InterruptedException;

  /** Closes the link; never throws. */
  @Override
  void close();
}
