package jplay.engine.connection;

/** sudo refused: a password is needed but none was given, or it was wrong. The task fails with this message. */
public final class BecomeException extends Exception {
  public BecomeException(String message) {
    super(message);
  }
}
