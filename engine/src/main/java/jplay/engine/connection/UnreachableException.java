package jplay.engine.connection;

/**
 * The host cannot be reached or logged into (refused, timed out, host key rejected, authentication failed, the
 * connection dropped). The host is reported UNREACHABLE with this message; other hosts go on.
 *
 * <p>{@link #beforeCommand()} tells whether the failure came before any command started (connecting, logging in,
 * opening a channel): then trying again cannot run anything twice, so the executor may retry.
 */
public final class UnreachableException extends Exception {
  private final boolean beforeCommand;

  public UnreachableException(String message) {
    this(message, null, false);
  }

  public UnreachableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /** @param beforeCommand true when no command had started on the host, so a retry is safe */
  public UnreachableException(String message, Throwable cause, boolean beforeCommand) {
    super(message, cause);
    this.beforeCommand = beforeCommand;
  }

  /** True when the failure came before any command started on the host (safe to retry). */
  public boolean beforeCommand() {
    return beforeCommand;
  }
}
