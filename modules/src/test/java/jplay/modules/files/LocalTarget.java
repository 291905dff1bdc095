package jplay.modules.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;

/**
 * This machine as the target of the file modules: probes and commands run for real with {@code /bin/sh -c} in a
 * working directory, as the engine runs a plan (in order, stopping at the first failure, then interpret; in check
 * mode nothing runs). Controller-side files resolve against {@code base}.
 */
final class LocalTarget {
  private final Path cwd;
  private final Path base;
  private final Map<String, Object> vars;

  LocalTarget(Path cwd) {
    this(cwd, cwd, Map.of());
  }

  LocalTarget(Path cwd, Path base, Map<String, Object> vars) {
    this.cwd = cwd;
    this.base = base;
    this.vars = vars;
  }

  /** What one task did: the plan and the outcome (the check outcome in check mode). */
  record Run(Plan plan, Outcome outcome) {
    boolean changed() {
      return outcome.changed();
    }

    String diffAfter() {
      return plan instanceof Plan.Change c && c.diff() != null ? c.diff().after() : null;
    }

    String diffBefore() {
      return plan instanceof Plan.Change c && c.diff() != null ? c.diff().before() : null;
    }
  }

  CommandResult run(Command c) {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", c.script()).directory(cwd.toFile());
    pb.environment().putAll(c.env());
    try {
      Instant start = Instant.now();
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(c.stdin());
      } catch (IOException e) {
        // As the engine: a script that exits without reading its stdin is not an error in itself.
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      return new CommandResult(rc, out, err, start, Instant.now());
    } catch (IOException e) {
      throw new AssertionError("cannot run /bin/sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  Outcome apply(Module module, Map<String, ?> args) {
    return run(module, args, false).outcome();
  }

  /** Plans and, unless {@code check}, applies; a module error becomes a failed outcome, as the engine does. */
  Run run(Module module, Map<String, ?> args, boolean check) {
    Args bound;
    try {
      bound = Args.bind(module.spec(), args, false);
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
            return fact.parser().apply(LocalTarget.this.run(fact.probe()));
          }

          @Override
          public boolean checkMode() {
            return check;
          }

          @Override
          public boolean diffMode() {
            return true;
          }

          @Override
          public Map<String, Object> vars() {
            return vars;
          }

          @Override
          public Object evaluate(String expression) {
            throw new AssertionError("no expressions on the local test target");
          }

          @Override
          public String render(String template) {
            try {
              return new Templar().renderText(template, vars);
            } catch (TemplateException e) {
              throw new ModuleException(e.getMessage());
            }
          }

          @Override
          public Path localPath(String name) {
            return base.resolve(name);
          }
        };
    Plan plan;
    try {
      plan = module.plan(ctx);
    } catch (ModuleException e) {
      return new Run(null, Outcome.failed(e.getMessage(), e.data()));
    }
    if (plan instanceof Plan.Noop noop) {
      return new Run(plan, noop.outcome());
    }
    Plan.Change change = (Plan.Change) plan;
    if (check) {
      return new Run(plan, change.checkOutcome());
    }
    List<CommandResult> results = new ArrayList<>();
    for (Command c : change.commands()) {
      CommandResult r = run(c);
      results.add(r);
      if (!r.ok()) {
        break;
      }
    }
    return new Run(plan, change.interpret().apply(results));
  }
}
