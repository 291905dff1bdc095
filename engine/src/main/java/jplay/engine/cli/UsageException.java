package jplay.engine.cli;

/** The options make no sense together, or a file they name is missing: exit code 5. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
