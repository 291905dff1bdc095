package jplay.engine.yaml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad input found before any host is touched: one or more {@link SourceError}s, each naming file:line:column.
 * The CLI prints them one per line and exits with code 4.
 */
public final class SourceException extends Exception {
  private final transient List<SourceError> errors;

  public SourceException(List<SourceError> errors) {
    super(errors.stream().map(SourceError::toString).collect(Collectors.joining("\n")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a SourceException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  public SourceException(Mark mark, String message) {
    this(List.of(new SourceError(mark, message)));
  }

  public List<SourceError> errors() {
    return errors;
  }
}
