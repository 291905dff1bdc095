package jplay.engine.api;

/**
 * Before and after of what a task changes, for {@code --diff}. Text for files, {@code key: value} lines for
 * settings and states.
 */
public record Diff(String beforeHeader, String before, String afterHeader, String after) {
  public static Diff of(String header, String before, String after) {
    return new Diff(header, before, header, after);
  }
}
