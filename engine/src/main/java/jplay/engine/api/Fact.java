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
 * @param key identifies the fact (probe plus arguments); the engine caches a value per host and key within one task
 * @param probe the command; it should succeed (rc 0) in every normal case and describe the state on stdout
 * @param parser turns the probe's result into the value; throws {@link ModuleException} for states it cannot read
 */
public record Fact<T>(String key, Command probe, Function<CommandResult, T> parser) {
  public static <T> Fact<T> of(String key, Command probe, Function<CommandResult, T> parser) {
    return new Fact<>(key, probe.probe(), parser);
  }
}
