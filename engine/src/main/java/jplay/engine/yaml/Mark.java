package jplay.engine.yaml;

/** A place in a source file, 1-based, printed as {@code file:line:column} in every user error. */
public record Mark(String file, int line, int column) {
  /** For values that come from no file (command line, defaults). */
  public static Mark of(String origin) {
    return new Mark(origin, 0, 0);
  }

  @Override
  public String toString() {
    return line <= 0 ? file : file + ":" + line + ":" + column;
  }
}
