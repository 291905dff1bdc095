package jplay.engine.api;

/**
 * A native module. It declares its {@link ModuleSpec} once and plans from facts into commands; it never runs
 * anything itself. Register an implementation through {@code META-INF/services/jplay.engine.api.Module}.
 *
 * <pre>{@code
 * public final class Ping implements Module {
 *   public ModuleSpec spec() { return ModuleSpec.builder("ping").aliases("ansible.builtin.ping").build(); }
 *   public Plan plan(ModuleContext ctx) {
 *     ctx.fact(Fact.of("echo", Command.of("echo pong"), r -> r.stdout()));
 *     return Plan.noop("pong", Map.of("ping", "pong"));
 *   }
 * }
 * }</pre>
 */
public interface Module {
  ModuleSpec spec();

  /**
   * Decides what to do on one host, reading facts through {@code ctx}.
   *
   * @throws ModuleException when the host is in a state the module cannot handle; the task fails for that host
   */
  Plan plan(ModuleContext ctx);

  /**
   * Whether {@link #plan} may be called on guessed facts ({@link Fact.Guess}) and its plan thrown away when a guess
   * misses: true only for a plan that reads facts and computes, nothing else (no waiting, nothing written, no
   * reconnecting). The engine then may send a task's probes and its change as one round trip.
   */
  default boolean plansFromGuesses() {
    return false;
  }
}
