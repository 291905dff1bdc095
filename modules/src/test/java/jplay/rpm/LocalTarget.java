package jplay.rpm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;

/**
 * This machine as a module's target, for tests against the real tools (rpm, dnf, firewall-offline-cmd): probes and
 * planned commands run with {@code /bin/sh -c} the way the engine runs a plan (in order, stopping at the first
 * non-zero exit, then interpret), with extra environment variables (a PATH with wrappers, say) on every command.
 */
public final class LocalTarget {
  private final Map<String, String> env;

  /** What one task did: its outcome, the plan's commands (empty for a noop) and its diff. */
  public record Run(Outcome outcome, List<Command> commands, Diff diff) {
    public boolean changed() {
      return outcome.changed();
    }
  }

  public LocalTarget(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public CommandResult run(Command c) {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", c.script());
    pb.environment().putAll(env);
    pb.environment().putAll(c.env());
    try {
      Instant start = Instant.now();
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(c.stdin());
      }
      // Read stderr on the side: a chatty command filling one pipe must not block on the other.
      var err = new java.util.concurrent.CompletableFuture<String>();
      Thread t =
          new Thread(
              () -> {
                try {
                  err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  err.complete("");
                }
              });
      t.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      t.join();
      return new CommandResult(rc, out, err.join(), start, Instant.now());
    } catch (IOException e) {
      throw new AssertionError("cannot run /bin/sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public Run apply(Module module, Map<String, ?> args) {
    return apply(module, args, false);
  }

  /** Plans {@code module} with {@code args} against this machine and, unless in check mode, applies the plan. */
  public Run apply(Module module, Map<String, ?> args, boolean checkMode) {
    Args bound;
    try {
      bound = Args.bind(module.spec(), new LinkedHashMap<>(args), false);
    } catch (ArgsException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    ModuleContext ctx =
        new ModuleContext() {
          @Override
          public Args args() {
            return bound;
          }

          @Override
          public String host() {
            return "localhost";
          }

          @Override
          public <T> T fact(Fact<T> fact) {
            return fact.parser().apply(run(fact.probe()));
          }

          @Override
          public boolean checkMode() {
            return checkMode;
          }

          @Override
          public boolean diffMode() {
            return true;
          }

          @Override
          public Map<String, Object> vars() {
            return Map.of();
          }

          @Override
          public Object evaluate(String expression) {
            throw new AssertionError("no expressions on the local test target");
          }

          @Override
          public String render(String template) {
            throw new AssertionError("no templates on the local test target");
          }

          @Override
          public Path localPath(String name) {
            return Path.of(name);
          }
        };
    Plan plan = module.plan(ctx);
    if (plan instanceof Plan.Noop noop) {
      return new Run(noop.outcome(), List.of(), null);
    }
    Plan.Change change = (Plan.Change) plan;
    if (checkMode) {
      return new Run(change.checkOutcome(), change.commands(), change.diff());
    }
    List<CommandResult> results = new ArrayList<>();
    for (Command c : change.commands()) {
      CommandResult r = run(c);
      results.add(r);
      if (!r.ok()) {
        break;
      }
    }
    return new Run(change.interpret().apply(results), change.commands(), change.diff());
  }
}
