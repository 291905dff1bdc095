package jplay.engine.api;

import java.util.List;
import java.util.stream.Collectors;

/** Module arguments that do not fit the module's spec; one {@link Problem} per mistake, all reported at once. */
public final class ArgsException extends Exception {
  /**
   * One mistake.
   *
   * @param key the parameter the problem is about, as the user wrote it; null when it is about the whole call
   * @param message what is wrong and, where possible, what would be right
   */
  public record Problem(String key, String message) {}

  private final transient List<Problem> problems;

  public ArgsException(List<Problem> problems) {
    super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
