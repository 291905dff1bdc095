package jplay.engine.api;

import java.time.Duration;
import java.time.Instant;

/** What a {@link Command} did on the target: exit code, output (UTF-8, as produced) and when it ran. */
public record CommandResult(int rc, String stdout, String stderr, Instant start, Instant end) {
  public CommandResult {
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  /** A result for tests and fixtures, with zero duration. */
  public static CommandResult of(int rc, String stdout, String stderr) {
    Instant now = Instant.EPOCH;
    return new CommandResult(rc, stdout, stderr, now, now);
  }

  public boolean ok() {
    return rc == 0;
  }

  public Duration elapsed() {
    return Duration.between(start, end);
  }
}
