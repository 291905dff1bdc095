package jplay.engine.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting, in one place. Every value that reaches a command line goes through {@link #quote}.
 *
 * <pre>{@code
 * Shell.join(List.of("mkdir", "-p", path))   // mkdir -p '/tmp/it'"'"'s here'
 * }</pre>
 */
public final class Shell {
  private Shell() {}

  /** The value as one shell word: unchanged when it is plainly safe, else in single quotes. */
  public static String quote(String value) {
    if (value.isEmpty()) {
      return "''";
    }
    if (value.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return value;
    }
    return "'" + value.replace("'", "'\"'\"'") + "'";
  }

  /** The words quoted and joined by spaces, ready to run as one command. */
  public static String join(List<String> words) {
    return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}
