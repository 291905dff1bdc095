package jplay.modules;

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
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;

/**
 * This machine as the target: probes and commands really run with {@code /bin/sh -c} in a working directory, the
 * way the engine runs a plan (in order, stopping at the first non-zero exit, then interpret).
 */
final class LocalHost {
  private final Path cwd;

  LocalHost(Path cwd) {
    this.cwd = cwd;
  }

  CommandResult run(Command c) {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", c.script()).directory(cwd.toFile());
    pb.environment().putAll(c.env());
    try {
      Instant start = Instant.now();
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(c.stdin());
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

  /** Plans {@code module} with {@code args} against this machine and applies the plan. */
  Outcome apply(Module module, Map<String, ?> args) {
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
            return fact.parser().apply(run(fact.probe()));
          }

          @Override
          public boolean checkMode() {
            return false;
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
            throw new AssertionError("no expressions on the local test host");
          }

          @Override
          public String render(String template) {
            try {
              return new jplay.engine.template.Templar().renderText(template, vars(), jplay.engine.template.TemplateContext.CURRENT_DIRECTORY, jplay.engine.template.Templar.TextOptions.JINJA2);
            } catch (jplay.engine.template.TemplateException e) {
              throw new jplay.engine.api.ModuleException(e.getMessage());
            }
          }

          @Override
          public Path localPath(String name) {
            return cwd.resolve(name);
          }
        };
    Plan plan = module.plan(ctx);
    if (plan instanceof Plan.Noop noop) {
      return noop.outcome();
    }
    Plan.Change change = (Plan.Change) plan;
    List<CommandResult> results = new ArrayList<>();
    for (Command c : change.commands()) {
      CommandResult r = run(c);
      results.add(r);
      if (!r.ok()) {
        break;
      }
    }
    return change.interpret().apply(results);
  }
}
