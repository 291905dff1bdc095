package jplay.modules.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
import jplay.engine.output.Json;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import jplay.modules.testing.LocalTarget;

/**
 * Writes a module fixture from a real run on this machine: the probes run for real and their output becomes the
 * fixture's facts, then the plan's commands run for real and their results become its results. Not a test; run by
 * hand after preparing the files the fixture is about:
 *
 * <pre>
 * java -cp "$CP" jplay.modules.files.CaptureFixture lineinfile '{path: /tmp/cap/hosts, line: x}' [check] [diff]
 * </pre>
 */
final class CaptureFixture {
  private CaptureFixture() {}

  @SuppressWarnings("unchecked")
  public static void main(String[] argv) throws IOException {
    Module module = ModuleRegistry.discover().find(argv[0]).orElseThrow();
    Map<String, Object> raw = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(argv[1]);
    boolean check = List.of(argv).contains("check");
    boolean diff = List.of(argv).contains("diff");
    Args args;
    try {
      args = Args.bind(module.spec(), raw, false);
    } catch (ArgsException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    LocalTarget host = LocalTarget.builder().dir(Path.of(".")).moduleErrorsFail(true).build();
    Map<String, CommandResult> facts = new LinkedHashMap<>();
    ModuleContext ctx =
        new ModuleContext() {
          @Override
          public Args args() {
            return args;
          }

          @Override
          public String host() {
            return "testhost";
          }

          @Override
          public <T> T fact(Fact<T> fact) {
            CommandResult r = host.run(fact.probe());
            facts.put(fact.key(), r);
            return fact.parser().apply(r);
          }

          @Override
          public boolean checkMode() {
            return check;
          }

          @Override
          public boolean diffMode() {
            return diff;
          }

          @Override
          public Map<String, Object> vars() {
            return Map.of();
          }

          @Override
          public Object evaluate(String expression) {
            throw new IllegalStateException("no expressions");
          }

          @Override
          public String render(String template) {
            try {
              return new Templar().renderText(template, Map.of());
            } catch (TemplateException e) {
              throw new ModuleException(e.getMessage());
            }
          }

          @Override
          public Path localPath(String name) {
            return Path.of(name);
          }
        };
    StringBuilder y = new StringBuilder();
    y.append("args: ").append(Json.write(raw)).append('\n');
    if (check) {
      y.append("check_mode: true\n");
    }
    if (diff) {
      y.append("diff_mode: true\n");
    }
    Plan plan;
    try {
      plan = module.plan(ctx);
    } catch (ModuleException e) {
      facts(y, facts);
      y.append("error: ").append(Json.quote(e.getMessage())).append('\n');
      if (!e.data().isEmpty()) {
        y.append("outcome:\n  failed: true\n  data: ").append(Json.write(e.data())).append('\n');
      }
      System.out.print(y);
      return;
    }
    facts(y, facts);
    Outcome outcome;
    if (plan instanceof Plan.Noop noop) {
      y.append("noop: ").append(Json.quote(noop.reason())).append('\n');
      outcome = noop.outcome();
    } else {
      Plan.Change c = (Plan.Change) plan;
      y.append("commands:\n");
      for (Command cmd : c.commands()) {
        y.append("  - ").append(Json.quote(cmd.script())).append('\n');
      }
      if (c.commands().get(0).stdin().length > 0) {
        y.append("stdin: ").append(Json.quote(new String(c.commands().get(0).stdin(), StandardCharsets.UTF_8)))
            .append('\n');
      }
      if (c.diff() != null) {
        y.append("diff:\n  before: ").append(Json.quote(c.diff().before())).append("\n  after: ")
            .append(Json.quote(c.diff().after())).append('\n');
      }
      if (check) {
        outcome = c.checkOutcome();
      } else {
        List<CommandResult> results = new ArrayList<>();
        for (Command cmd : c.commands()) {
          CommandResult r = host.run(cmd);
          results.add(r);
          if (!r.ok()) {
            break;
          }
        }
        y.append("results:\n");
        for (CommandResult r : results) {
          y.append("  - ").append(result(r)).append('\n');
        }
        outcome = c.interpret().apply(results);
      }
    }
    y.append("outcome:\n");
    if (outcome.changed()) {
      y.append("  changed: true\n");
    }
    if (outcome.failed()) {
      y.append("  failed: true\n");
    }
    if (!outcome.msg().isEmpty()) {
      y.append("  msg: ").append(Json.quote(outcome.msg())).append('\n');
    }
    y.append("  data: ").append(Json.write(outcome.data())).append('\n');
    System.out.print(y);
  }

  private static void facts(StringBuilder y, Map<String, CommandResult> facts) {
    if (facts.isEmpty()) {
      return;
    }
    y.append("facts:\n");
    facts.forEach((k, r) -> y.append("  ").append(Json.quote(k)).append(": ").append(result(r)).append('\n'));
  }

  private static String result(CommandResult r) {
    Function<String, String> q = Json::quote;
    return "{rc: " + r.rc() + (r.stdout().isEmpty() ? "" : ", stdout: " + q.apply(r.stdout()))
        + (r.stderr().isEmpty() ? "" : ", stderr: " + q.apply(r.stderr())) + "}";
  }
}
