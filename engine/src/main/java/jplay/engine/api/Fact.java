package jplay.engine.api;

import java.util.function.Function;

/**
 * Something a module needs to know about the host before it plans: a probe command and a parser of its result.
 * Parsers are pure functions, tested against captured real output.
 *
 * <pre>{@code
 * Fact<PathState> state = Fact.of("path-state " + path, PathState.probe(path), PathState::parse);
 * PathState now = ctx.fact(state);
 * }</pre>
 *
 * <p>A fact may carry a {@link Guess}: what its probe most likely prints, worked out from what an earlier probe of
 * the same kind printed on the host. The engine may then plan the task from the guess and send the probes and the
 * change as one round trip, the change guarded by the probes printing exactly what was guessed (see
 * {@code TaskContext}); when they do not, the change does not run and the task is planned from what they printed.
 *
 * @param key identifies the fact (probe plus arguments); the engine caches a value per host and key within one task
 * @param probe the command; it should succeed (rc 0) in every normal case and describe the state on stdout
 * @param parser turns the probe's result into the value; throws {@link ModuleException} for states it cannot read
 * @param guess what the probe most likely prints, or null for no guess
 */
public record Fact<T>(String key, Command probe, Function<CommandResult, T> parser, Guess guess) {
  public Fact(String key, Command probe, Function<CommandResult, T> parser) {
    this(key, probe, parser, null);
  }

  public static <T> Fact<T> of(String key, Command probe, Function<CommandResult, T> parser) {
    return new Fact<>(key, probe.probe(), parser, null);
  }

  /** This fact with a guess of its probe's output. */
  public Fact<T> withGuess(Guess g) {
    return new Fact<>(key, probe, parser, g);
  }

  /**
   * A guess of a probe's stdout (with exit code 0): {@code fromEarlier} gets the stdout of the latest probe with the
   * same {@code memo} that succeeded on the host (as the same become user), or null when none has yet, and returns
   * the guess, or null for none.
   * Guess only what is cheap to be wrong about, and only for a parser that reads nothing but the stdout when the
   * exit code is 0: a guess that matches is taken as the probe's result. The probe of a fact with a guess prints
   * text without NUL bytes and sets no exit trap (it runs in a command substitution to be compared).
   *
   * <pre>{@code
   * // A new path's probe prints the umask (the same for every path of the host) and "absent".
   * new Fact.Guess("umask", earlier -> (earlier == null ? "umask 0022\n" : umaskLine(earlier)) + "absent\n")
   * }</pre>
   */
  public record Guess(String memo, Function<String, String> fromEarlier) {}
}
