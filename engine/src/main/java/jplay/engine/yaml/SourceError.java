package jplay.engine.yaml;

/** One mistake in the user's input: where it is, and what is wrong (and what would be right). */
public record SourceError(Mark mark, String message) {
  @Override
  public String toString() {
    return mark + ": " + message;
  }
}
