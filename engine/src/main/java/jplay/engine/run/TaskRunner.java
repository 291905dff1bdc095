package jplay.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.connection.Become;
import jplay.engine.connection.Target;
import jplay.engine.output.Events.HostResult;
import jplay.engine.output.Status;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Task;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;
import jplay.engine.yaml.Mark;

/**
 * Runs one task on one host: evaluates {@code when}, renders and validates the arguments, lets the module plan
 * (reading facts over the host's connection), runs the plan's commands unless in check mode, then applies
 * {@code changed_when}, {@code failed_when}, {@code register} and {@code ignore_errors}.
 */
final class TaskRunner {
  private final Templar templar;
  private final ConnectionSource connections;
  private final RunOptions options;
  private final Path baseDir;

  TaskRunner(Templar templar, ConnectionSource connections, RunOptions options, Path baseDir) {
    this.templar = templar;
    this.connections = connections;
    this.options = options;
    this.baseDir = baseDir;
  }

  HostResult run(Play play, Task task, Module module, HostState host, Map<String, Object> vars) {
    Instant start = Instant.now();
    Map<String, Object> kw = effectiveKeywords(play, task);
    boolean noLog = bool(kw.get("no_log"), vars, false);
    Outcome outcome;
    Status status;
    boolean ignored = false;
    Map<String, Object> shownArgs = Map.of();
    try {
      if (!templar.condition(task.keywords().get("when"), vars)) {
        outcome = new Outcome(false, false, true, "Conditional result was False",
            Map.of("false_condition", String.valueOf(task.keywords().get("when"))), null);
        register(task, host, outcome);
        return result(host, task, Status.SKIPPED, outcome, start, false, noLog, shownArgs);
      }
      Args args = bind(module, task, vars);
      shownArgs = args.masked();
      boolean check = bool(kw.get("check_mode"), vars, options.check());
      boolean diff = bool(kw.get("diff"), vars, options.diff());
      Map<String, Object> connVars = renderConnectionVars(vars);
      Target target = host.target != null ? host.target : HostSettings.target(host.name, connVars, play.keywords(), options);
      host.target = target;
      Become become = HostSettings.become(connVars, play.keywords(), task.keywords(), options);
      TaskContext ctx = new TaskContext(
          args, host.name, target, become, connections, environment(kw, vars), timeout(kw, vars), check, diff,
          vars, templar, baseDir);
      outcome = execute(module, ctx, check);
      outcome = applyConditions(task, host, vars, outcome);
      register(task, host, outcome);
      if (outcome.skipped()) {
        status = Status.SKIPPED;
      } else if (outcome.failed()) {
        status = Status.FAILED;
        ignored = bool(kw.get("ignore_errors"), vars, false);
      } else {
        status = outcome.changed() ? Status.CHANGED : Status.OK;
      }
    } catch (TaskContext.Unreachable e) {
      host.unreachable = true;
      outcome = new Outcome(false, false, false, e.getMessage(), Map.of("unreachable", true), null);
      return result(host, task, Status.UNREACHABLE, outcome, start, false, noLog, shownArgs);
    } catch (TemplateException e) {
      outcome = Outcome.failed(task.mark() + ": " + e.getMessage(), Map.of());
      status = Status.FAILED;
      ignored = bool(kw.get("ignore_errors"), vars, false);
      register(task, host, outcome);
    } catch (ArgsException e) {
      outcome = Outcome.failed(argsMessage(task, e), Map.of());
      status = Status.FAILED;
      ignored = bool(kw.get("ignore_errors"), vars, false);
    } catch (ModuleException | TaskContext.BecomeRefused | IllegalArgumentException e) {
      Map<String, Object> data = e instanceof ModuleException me ? me.data() : Map.of();
      outcome = Outcome.failed(e.getMessage(), data);
      status = Status.FAILED;
      ignored = bool(kw.get("ignore_errors"), vars, false);
      register(task, host, outcome);
    }
    if (status == Status.FAILED && !ignored) {
      host.failed = true;
    }
    return result(host, task, status, outcome, start, ignored, noLog, shownArgs);
  }

  private Outcome execute(Module module, TaskContext ctx, boolean check) {
    Plan plan = module.plan(ctx);
    if (plan instanceof Plan.Noop noop) {
      return noop.outcome();
    }
    Plan.Change change = (Plan.Change) plan;
    if (check) {
      return change.checkOutcome();
    }
    List<CommandResult> results = new ArrayList<>();
    for (var command : change.commands()) {
      CommandResult r = ctx.run(command);
      results.add(r);
      if (!r.ok()) {
        break;
      }
    }
    return change.interpret().apply(results);
  }

  private Args bind(Module module, Task task, Map<String, Object> vars) throws TemplateException, ArgsException {
    Map<String, Object> rendered = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : task.args().entrySet()) {
      Object value = templar.render(e.getValue(), vars);
      if (!Variables.OMIT.equals(value)) {
        rendered.put(e.getKey(), value);
      }
    }
    return Args.bind(module.spec(), rendered, false);
  }

  private static String argsMessage(Task task, ArgsException e) {
    List<String> lines = new ArrayList<>();
    for (ArgsException.Problem p : e.problems()) {
      Mark m = p.key() == null ? task.mark() : task.argMarks().getOrDefault(p.key(), task.mark());
      lines.add(m + ": " + p.message());
    }
    return String.join("; ", lines);
  }

  private Outcome applyConditions(Task task, HostState host, Map<String, Object> vars, Outcome outcome)
      throws TemplateException {
    Object changedWhen = task.keywords().get("changed_when");
    Object failedWhen = task.keywords().get("failed_when");
    if (changedWhen == null && failedWhen == null || outcome.skipped()) {
      return outcome;
    }
    Map<String, Object> withResult = new LinkedHashMap<>(vars);
    String register = (String) task.keywords().get("register");
    if (register != null) {
      withResult.put(register, registered(outcome));
    }
    Outcome out = outcome;
    if (changedWhen != null) {
      boolean changed = templar.condition(changedWhen, withResult);
      out = new Outcome(changed, out.failed(), false, out.msg(), out.data(), out.diff());
      if (register != null) {
        withResult.put(register, registered(out));
      }
    }
    if (failedWhen != null) {
      boolean failed = templar.condition(failedWhen, withResult);
      Map<String, Object> data = new LinkedHashMap<>(out.data());
      data.put("failed_when_result", failed);
      String msg = failed ? (out.msg().isEmpty() ? "failed_when condition is true" : out.msg()) : out.msg();
      out = new Outcome(out.changed(), failed, false, failed ? msg : "", data, out.diff());
    }
    return out;
  }

  private static void register(Task task, HostState host, Outcome outcome) {
    Object name = task.keywords().get("register");
    if (name != null) {
      host.runtimeVars.put(String.valueOf(name), registered(outcome));
    }
    Object facts = outcome.data().get("ansible_facts");
    if (facts instanceof Map<?, ?> m && !outcome.failed()) {
      m.forEach((k, v) -> host.facts.put(String.valueOf(k), v));
      // set_fact values are also plain variables, above play vars.
      if (Boolean.TRUE.equals(outcome.data().get("_jplay_set_fact"))) {
        m.forEach((k, v) -> host.runtimeVars.put(String.valueOf(k), v));
      }
    }
  }

  /** A result as {@code register} stores it, with Ansible's keys. */
  static Map<String, Object> registered(Outcome o) {
    Map<String, Object> r = new LinkedHashMap<>(o.data());
    r.remove("_jplay_set_fact");
    r.put("changed", o.changed());
    r.put("failed", o.failed());
    if (o.skipped()) {
      r.put("skipped", true);
      r.put("skip_reason", o.msg());
    } else if (!o.msg().isEmpty()) {
      r.put("msg", o.msg());
    }
    return r;
  }

  private Map<String, Object> renderConnectionVars(Map<String, Object> vars) throws TemplateException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : vars.entrySet()) {
      if (e.getKey().startsWith("ansible_")) {
        out.put(e.getKey(), templar.render(e.getValue(), vars));
      }
    }
    return out;
  }

  private Map<String, String> environment(Map<String, Object> kw, Map<String, Object> vars) throws TemplateException {
    Object env = kw.get("environment");
    if (env == null) {
      return Map.of();
    }
    Object rendered = templar.render(env, vars);
    if (!(rendered instanceof Map<?, ?> m)) {
      throw new ModuleException("'environment' must be a mapping of variable names to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  private Duration timeout(Map<String, Object> kw, Map<String, Object> vars) throws TemplateException {
    Object t = kw.get("timeout");
    if (t == null) {
      return options.taskTimeout();
    }
    Object rendered = templar.render(t, vars);
    try {
      long seconds = Long.parseLong(String.valueOf(rendered).trim());
      return seconds <= 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new ModuleException("'timeout' must be a number of seconds, not '" + rendered + "'");
    }
  }

  /** Play keywords overlaid by the task's: the keywords that apply to both levels. */
  private static Map<String, Object> effectiveKeywords(Play play, Task task) {
    Map<String, Object> kw = new LinkedHashMap<>();
    for (String k : List.of("no_log", "check_mode", "diff", "environment", "ignore_errors", "timeout")) {
      Object v = task.keywords().containsKey(k) ? task.keywords().get(k) : play.keywords().get(k);
      if (v != null) {
        kw.put(k, v);
      }
    }
    return kw;
  }

  private boolean bool(Object value, Map<String, Object> vars, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      Object v = templar.render(value, vars);
      return v instanceof Boolean b ? b : HostSettings.isTrue(String.valueOf(v));
    } catch (TemplateException e) {
      return fallback;
    }
  }

  private static HostResult result(
      HostState host, Task task, Status status, Outcome outcome, Instant start, boolean ignored, boolean noLog,
      Map<String, Object> args) {
    return new HostResult(
        host.name, task.displayName(), status, outcome, Duration.between(start, Instant.now()), ignored, noLog, args);
  }
}
