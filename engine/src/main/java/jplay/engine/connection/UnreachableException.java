package jplay.engine.connection;

/**
 * The host cannot be reached or logged into (refused, timed out, host key rejected, authentication failed, the
 * connection dropped). The host is reported UNREACHABLE with this message; other hosts go on.
 */
public final class UnreachableException extends Exception {
  public UnreachableException(String message) {
    super(message);
  }

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
