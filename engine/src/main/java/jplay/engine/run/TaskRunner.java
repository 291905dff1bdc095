package jplay.engine.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.connection.Become;
import jplay.engine.connection.Target;
import jplay.engine.output.Events;
import jplay.engine.output.Events.HostResult;
import jplay.engine.output.Status;
import jplay.engine.playbook.Actions;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Role;
import jplay.engine.playbook.Task;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * Runs one task on one host: evaluates {@code when}, walks the loop's items, renders and validates the arguments,
 * lets the module plan (reading facts over the connection of the host, or of the {@code delegate_to} host), runs
 * the plan's commands unless in check mode, applies {@code changed_when}, {@code failed_when} and {@code until};
 * engine actions ({@code set_fact}, {@code assert}, ...) are carried out here. It changes no host state itself: the
 * variables and facts the task sets come back in {@link Done} for the play to apply (to one host, or to all of them
 * under {@code run_once}).
 */
final class TaskRunner {
  /** Ansible's defaults for {@code until}: 3 attempts, 5 seconds apart. */
  static final int DEFAULT_RETRIES = 3;

  static final int DEFAULT_DELAY = 5;

  /**
   * One task as the play calls it.
   *
   * @param name the name shown in output ({@code role : name} inside a role)
   * @param module the module, or null for an engine action
   * @param keywords the keywords the task sees: the play's, its levels', its own
   * @param searchDirs where controller-side files are looked for ({@code src}, {@code include_vars}, fileglob)
   */
  record Call(
      Play play, Task task, List<Frame> frames, Module module, String name, Map<String, Object> keywords,
      List<Path> searchDirs) {}

  /**
   * What a task did on a host.
   *
   * @param vars variables to set on the host (registered result, set_fact, include_vars)
   * @param templated which of {@code vars} came from files and may hold templates
   * @param facts facts to set
   * @param factsHost where the facts go: the host itself, or the delegated one under {@code delegate_facts}
   * @param handlers the handler names to notify (the task changed)
   * @param varsHost where {@code vars} go when not the host itself: the delegated host, for set_fact under
   *     {@code delegate_facts}; the registered result then stays with the host, in {@code registered}
   * @param registered the registered result when {@code varsHost} is set, else null
   */
  record Done(
      HostResult result, Map<String, Object> vars, Set<String> templated, Map<String, Object> facts,
      String factsHost, List<String> handlers, String varsHost, Map<String, Object> registered) {}

  private final Templar templar;
  private final ConnectionSource connections;
  private final RunOptions options;
  private final Variables variables;
  private final Variables.PlayScope scope;
  private final Consumer<Events.ItemResult> items;
  private final Consumer<Events.Retry> retries;
  private final Consumer<String> messages;

  TaskRunner(
      Templar templar, ConnectionSource connections, RunOptions options, Variables variables,
      Variables.PlayScope scope, Consumer<Events.ItemResult> items, Consumer<Events.Retry> retries,
      Consumer<String> messages) {
    this.templar = templar;
    this.connections = connections;
    this.options = options;
    this.variables = variables;
    this.scope = scope;
    this.items = items;
    this.retries = retries;
    this.messages = messages;
  }

  /** The variables a host sees for the call, with per-item extras. */
  Map<String, Object> vars(Call call, String host, Map<String, Object> extra) {
    Object own = call.task().keywords().get("vars");
    @SuppressWarnings("unchecked")
    Map<String, Object> taskVars = own instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    return variables.forTask(host, scope, call.frames(), taskVars, extra);
  }

  /** What one attempt (or the whole until loop) gave, with what it changes. */
  private record Attempt(Outcome outcome, Map<String, Object> shownArgs, String delegatedTo, Changes changes) {}

  private static final class Changes {
    final Map<String, Object> vars = new LinkedHashMap<>();
    final Set<String> templated = new LinkedHashSet<>();
    final Map<String, Object> facts = new LinkedHashMap<>();
    String factsHost;

    void add(Changes other) {
      vars.putAll(other.vars);
      templated.removeAll(other.vars.keySet());
      templated.addAll(other.templated);
      facts.putAll(other.facts);
      if (other.factsHost != null) {
        factsHost = other.factsHost;
      }
    }
  }

  Done run(Call call, HostState host, boolean rescuable) {
    // The debug log (--log-file) names the host and task of each command, and leaves out no_log tasks' commands.
    try (jplay.engine.log.RunLog.Scope scope = jplay.engine.log.RunLog.task(host.name, call.name())) {
      return runTask(call, host, rescuable);
    }
  }

  private Done runTask(Call call, HostState host, boolean rescuable) {
    Instant start = Instant.now();
    Task task = call.task();
    Map<String, Object> kw = call.keywords();
    Map<String, Object> vars = Map.of();
    boolean noLog = false;
    Outcome outcome;
    Status status;
    boolean ignored = false;
    boolean loop = false;
    Map<String, Object> shownArgs = Map.of();
    String delegatedTo = null;
    Changes changes = new Changes();
    String loopKey = Loops.keyword(task.keywords());
    try {
      vars = vars(call, host.name, Map.of());
      noLog = bool(kw.get("no_log"), vars, false);
      jplay.engine.log.RunLog.noLog(noLog);
      if (loopKey == null) {
        if (!conditionsHold(call, vars)) {
          outcome = new Outcome(false, false, true, "Conditional result was False",
              Map.of("false_condition", falseCondition(call, vars)), null);
          register(task, changes, outcome);
          return done(call, host, Status.SKIPPED, outcome, start, false, noLog, shownArgs, false, null, changes, List.of(), false);
        }
        Attempt a = attempt(call, host, vars);
        outcome = a.outcome();
        shownArgs = a.shownArgs();
        delegatedTo = a.delegatedTo();
        changes.add(a.changes());
      } else {
        outcome = loop(call, host, vars, loopKey, noLog, changes);
        // Only now: a loop whose items could not be computed reports its failure as an ordinary task's.
        loop = !outcome.skipped() || outcome.data().get("results") instanceof List<?> l && !l.isEmpty();
      }
      register(task, changes, outcome);
      if (outcome.skipped()) {
        status = Status.SKIPPED;
      } else if (outcome.failed()) {
        status = Status.FAILED;
        ignored = bool(kw.get("ignore_errors"), vars, false);
      } else {
        status = outcome.changed() ? Status.CHANGED : Status.OK;
      }
    } catch (TaskContext.Unreachable e) {
      outcome = new Outcome(false, false, false, e.getMessage(), Map.of("unreachable", true), null);
      boolean ignoreUnreachable = bool(kw.get("ignore_unreachable"), vars, false);
      if (!ignoreUnreachable) {
        host.unreachable = true;
      }
      return done(call, host, Status.UNREACHABLE, outcome, start, ignoreUnreachable, noLog, shownArgs, false,
          delegatedTo, changes, List.of(), false);
    } catch (TemplateException e) {
      outcome = Outcome.failed(TemplateErrors.message(task, e), Map.of());
      status = Status.FAILED;
      ignored = bool(kw.get("ignore_errors"), vars, false);
      register(task, changes, outcome);
    } catch (ArgsException e) {
      outcome = Outcome.failed(argsMessage(task, e), Map.of());
      status = Status.FAILED;
      ignored = bool(kw.get("ignore_errors"), vars, false);
    } catch (ModuleException | TaskContext.BecomeRefused | IllegalArgumentException | IllegalStateException e) {
      Map<String, Object> data = e instanceof ModuleException me ? me.data() : Map.of();
      outcome = Outcome.failed(e.getMessage(), data);
      status = Status.FAILED;
      ignored = bool(kw.get("ignore_errors"), vars, false);
      register(task, changes, outcome);
    }
    if (status == Status.FAILED && !ignored) {
      host.failed = true;
    }
    List<String> notify = List.of();
    if (!outcome.failed() && outcome.changed() && kw.get("notify") != null) {
      notify = notifyNames(task, vars);
    }
    boolean rescued = status == Status.FAILED && !ignored && rescuable;
    return done(call, host, status, outcome, start, ignored, noLog, shownArgs, loop, delegatedTo, changes, notify,
        rescued);
  }

  private List<String> notifyNames(Task task, Map<String, Object> vars) {
    List<String> out = new ArrayList<>();
    if (task.keywords().get("notify") instanceof List<?> l) {
      for (Object n : l) {
        try {
          out.add(String.valueOf(Variables.resolved(templar.render(n, vars))));
        } catch (TemplateException e) {
          out.add(String.valueOf(n));
        }
      }
    }
    return out;
  }

  /** Every item in turn: each reported as it finishes, then the task as a whole ({@code results}). */
  private Outcome loop(Call call, HostState host, Map<String, Object> vars, String loopKey, boolean noLog,
      Changes changes) throws TemplateException {
    Task task = call.task();
    List<Object> list = Loops.items(loopKey, task.keywords().get(loopKey), vars, templar, call.searchDirs());
    Map<String, Object> control = loopControl(task);
    String loopVar = control.get("loop_var") == null ? "item" : String.valueOf(control.get("loop_var"));
    String indexVar = control.get("index_var") == null ? null : String.valueOf(control.get("index_var"));
    boolean extended = control.get("extended") != null && bool(control.get("extended"), vars, false);
    double pause = control.get("pause") == null ? 0 : number(templar.render(control.get("pause"), vars));
    if (list.isEmpty()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("results", List.of());
      data.put("skipped_reason", "No items in the list");
      return new Outcome(false, false, true, "No items in the list", data, null);
    }
    List<Object> results = new ArrayList<>();
    boolean anyChanged = false;
    boolean anyFailed = false;
    boolean allSkipped = true;
    // As Ansible's loop: an item sees what the items before it set (set_fact values, the registered result).
    Map<String, Object> carry = new LinkedHashMap<>();
    String register = task.keywords().get("register") == null ? null : String.valueOf(task.keywords().get("register"));
    for (int i = 0; i < list.size(); i++) {
      if (i > 0 && pause > 0) {
        sleep(pause);
      }
      Object item = list.get(i);
      Map<String, Object> extra = new LinkedHashMap<>(carry);
      extra.put(loopVar, item);
      extra.put("ansible_loop_var", loopVar);
      if (indexVar != null) {
        extra.put(indexVar, i);
        extra.put("ansible_index_var", indexVar);
      }
      if (extended) {
        extra.put("ansible_loop", extendedLoop(list, i));
      }
      Map<String, Object> iv = vars(call, host.name, extra);
      Outcome o;
      String delegatedTo = null;
      try {
        if (!conditionsHold(call, iv)) {
          o = new Outcome(false, false, true, "Conditional result was False",
              Map.of("false_condition", falseCondition(call, iv)), null);
        } else {
          Attempt a = attempt(call, host, iv);
          o = a.outcome();
          delegatedTo = a.delegatedTo();
          changes.add(a.changes());
          carry.putAll(a.changes().vars);
        }
      } catch (TaskContext.Unreachable e) {
        throw e;
      } catch (TemplateException e) {
        o = Outcome.failed(TemplateErrors.message(task, e), Map.of());
      } catch (ArgsException e) {
        o = Outcome.failed(argsMessage(task, e), Map.of());
      } catch (ModuleException | TaskContext.BecomeRefused | IllegalArgumentException | IllegalStateException e) {
        o = Outcome.failed(e.getMessage(), e instanceof ModuleException me ? me.data() : Map.of());
      }
      String label = label(control, item, iv);
      Map<String, Object> data = new LinkedHashMap<>(o.data());
      data.put(loopVar, item);
      data.put("ansible_loop_var", loopVar);
      if (indexVar != null) {
        data.put(indexVar, i);
        data.put("ansible_index_var", indexVar);
      }
      data.put("_ansible_item_label", label);
      Outcome shown = new Outcome(o.changed(), o.failed(), o.skipped(), o.msg(), data, o.diff());
      Status st = o.skipped() ? Status.SKIPPED : o.failed() ? Status.FAILED : o.changed() ? Status.CHANGED : Status.OK;
      items.accept(new Events.ItemResult(host.name, call.name(), st, shown, label, noLog, delegatedTo));
      Map<String, Object> entry = registered(shown);
      entry.remove("_ansible_item_label");
      results.add(entry);
      if (register != null) {
        carry.put(register, entry);
      }
      anyChanged |= o.changed();
      anyFailed |= o.failed();
      allSkipped &= o.skipped();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("results", results);
    if (allSkipped) {
      data.put("skipped_reason", "All items skipped");
      return new Outcome(false, false, true, "All items skipped", data, null);
    }
    data.put("skipped", false);
    if (!anyFailed) {
      // Ansible's loop result says "failed" only when an item failed.
      data.put("_ansible_loop_result", true);
    }
    return new Outcome(anyChanged, anyFailed, false, anyFailed ? "One or more items failed" : "All items completed",
        data, null);
  }

  private static Map<String, Object> extendedLoop(List<Object> list, int i) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("allitems", list);
    l.put("index", i + 1);
    l.put("index0", i);
    l.put("revindex", list.size() - i);
    l.put("revindex0", list.size() - i - 1);
    l.put("first", i == 0);
    l.put("last", i == list.size() - 1);
    l.put("length", list.size());
    l.put("previtem", i > 0 ? list.get(i - 1) : null);
    l.put("nextitem", i + 1 < list.size() ? list.get(i + 1) : null);
    return l;
  }

  private String label(Map<String, Object> control, Object item, Map<String, Object> vars) {
    if (control.get("label") != null) {
      try {
        return PyRepr.str(Variables.resolved(templar.render(control.get("label"), vars)));
      } catch (TemplateException e) {
        return String.valueOf(control.get("label"));
      }
    }
    return PyRepr.str(item);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> loopControl(Task task) {
    Object c = task.keywords().get("loop_control");
    return c instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** One run of the task (retried while {@code until} does not hold). */
  private Attempt attempt(Call call, HostState host, Map<String, Object> vars) throws TemplateException, ArgsException {
    Task task = call.task();
    Object until = task.keywords().get("until");
    if (until == null) {
      return once(call, host, vars);
    }
    // Ansible runs the task once, then up to 'retries' more times.
    int tries = 1 + Math.max(0, task.keywords().get("retries") == null ? DEFAULT_RETRIES
        : (int) number(templar.render(task.keywords().get("retries"), vars)));
    double delay = task.keywords().get("delay") == null ? DEFAULT_DELAY
        : number(templar.render(task.keywords().get("delay"), vars));
    Attempt last = null;
    for (int attempt = 1; attempt <= tries; attempt++) {
      last = once(call, host, vars);
      Map<String, Object> withResult = new LinkedHashMap<>(vars);
      Map<String, Object> reg = registered(last.outcome());
      reg.put("attempts", attempt);
      if (task.keywords().get("register") != null) {
        withResult.put(String.valueOf(task.keywords().get("register")), reg);
      }
      if (templar.condition(until, withResult)) {
        return withAttempts(last, attempt, false);
      }
      if (attempt < tries) {
        retries.accept(new Events.Retry(host.name, call.name(), tries - attempt, last.outcome()));
        sleep(delay);
      }
    }
    return withAttempts(last, tries, true);
  }

  private static Attempt withAttempts(Attempt a, int attempts, boolean failed) {
    Outcome o = a.outcome();
    Map<String, Object> data = new LinkedHashMap<>(o.data());
    data.put("attempts", attempts);
    Outcome out = new Outcome(o.changed(), o.failed() || failed, o.skipped(), o.msg(), data, o.diff());
    return new Attempt(out, a.shownArgs(), a.delegatedTo(), a.changes());
  }

  /** The task run once on the host (or on its delegate): module or engine action, then changed_when/failed_when. */
  private Attempt once(Call call, HostState host, Map<String, Object> vars) throws TemplateException, ArgsException {
    Task task = call.task();
    Map<String, Object> kw = call.keywords();
    Changes changes = new Changes();
    String delegate = null;
    if (kw.get("delegate_to") != null) {
      delegate = String.valueOf(Variables.resolved(templar.render(kw.get("delegate_to"), vars))).strip();
      if (delegate.isEmpty() || delegate.equals(host.name)) {
        delegate = null;
      }
    }
    Outcome outcome;
    Map<String, Object> shownArgs = Map.of();
    if (call.module() == null) {
      outcome = action(call, host, vars, changes);
    } else {
      Args args = bind(call.module(), task, vars);
      shownArgs = jplay.engine.vault.Vault.current().redact(args.masked()); // vault values stay hidden
      boolean check = bool(kw.get("check_mode"), vars, options.check());
      boolean diff = bool(kw.get("diff"), vars, options.diff());
      Map<String, Object> connVars = renderConnectionVars(vars);
      Target target;
      int retries;
      if (delegate == null) {
        target = host.target != null ? host.target : HostSettings.target(host.name, connVars, call.play().keywords(), options);
        host.target = target;
        retries = HostSettings.connectionRetries(host.name, connVars, options);
      } else {
        Map<String, Object> delegateVars = renderConnectionVars(delegateVars(delegate, vars));
        target = HostSettings.target(delegate, delegateVars, call.play().keywords(), options);
        retries = HostSettings.connectionRetries(delegate, delegateVars, options);
      }
      Become become = HostSettings.become(connVars, Map.of(), rendered(kw, BECOME_KEYWORDS, vars), options);
      TaskContext ctx = new TaskContext(
          args, host.name, target, become, connections, environment(kw, vars), timeout(kw, vars), check, diff,
          Variables.resolvedView(vars), templar, call.searchDirs(), call.module().spec().name(), retries,
          delegate == null ? host.probes : null);
      outcome = execute(call.module(), ctx, check);
      Object facts = outcome.data().get("ansible_facts");
      if (facts instanceof Map<?, ?> m && !outcome.failed()) {
        m.forEach((k, v) -> changes.facts.put(String.valueOf(k), v));
        if (Boolean.TRUE.equals(outcome.data().get("_jplay_set_fact"))) {
          m.forEach((k, v) -> changes.vars.put(String.valueOf(k), v));
        }
      }
    }
    if (delegate != null && bool(kw.get("delegate_facts"), vars, false)) {
      changes.factsHost = delegate;
    }
    outcome = applyConditions(task, vars, outcome);
    return new Attempt(outcome, shownArgs, delegate, changes);
  }

  /** The connection variables of a delegated host: its own inventory variables, rendered with the task's. */
  private Map<String, Object> delegateVars(String delegate, Map<String, Object> vars) {
    Map<String, Object> out = new LinkedHashMap<>(vars);
    out.keySet().removeIf(k -> k.startsWith("ansible_") && !k.equals("ansible_facts"));
    out.putAll(variables.inventory().hostVars(delegate));
    return out;
  }

  private static final List<String> BECOME_KEYWORDS = List.of("become", "become_user", "become_method", "become_flags");

  /** {@code kw} with the named keywords rendered with the task's variables (Ansible templates them per host). */
  private Map<String, Object> rendered(Map<String, Object> kw, List<String> names, Map<String, Object> vars)
      throws TemplateException {
    if (names.stream().noneMatch(k -> Args.holdsTemplate(kw.get(k)))) {
      return kw;
    }
    Map<String, Object> out = new LinkedHashMap<>(kw);
    for (String k : names) {
      if (Args.holdsTemplate(out.get(k))) {
        out.put(k, Variables.resolved(templar.render(out.get(k), vars)));
      }
    }
    return out;
  }

  // ---- engine actions ----

  private Outcome action(Call call, HostState host, Map<String, Object> vars, Changes changes)
      throws TemplateException, ArgsException {
    Task task = call.task();
    switch (task.module()) {
      case Actions.SET_FACT:
        return setFact(task, vars, changes);
      case Actions.ASSERT:
        return assertThat(task, vars);
      case Actions.FAIL: {
        Args args = bindAction(task, vars);
        return Outcome.failed(String.valueOf(args.raw("msg")), Map.of());
      }
      case Actions.INCLUDE_VARS:
        return includeVars(call, vars, changes);
      case Actions.PAUSE:
        return pause(task, vars);
      default:
        throw new IllegalStateException("the action " + task.module() + " is run by the play, not per host");
    }
  }

  private Args bindAction(Task task, Map<String, Object> vars) throws TemplateException, ArgsException {
    ModuleSpec spec = Actions.specs().stream().filter(s -> s.name().equals(task.module())).findFirst().orElseThrow();
    Map<String, Object> rendered = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : task.args().entrySet()) {
      // assert's conditions are expressions, evaluated one by one: not rendered here.
      Object v = e.getKey().equals("that") ? e.getValue() : Variables.resolved(templar.render(e.getValue(), vars));
      if (!Variables.OMIT.equals(v)) {
        rendered.put(e.getKey(), v);
      }
    }
    return Args.bind(spec, rendered, false);
  }

  private Outcome setFact(Task task, Map<String, Object> vars, Changes changes) throws TemplateException {
    Map<String, Object> values = new LinkedHashMap<>();
    boolean cacheable = false;
    for (Map.Entry<String, Object> e : task.args().entrySet()) {
      if (e.getKey().equals("cacheable")) {
        cacheable = bool(e.getValue(), vars, false);
        continue;
      }
      String name = String.valueOf(Variables.resolved(templar.render(e.getKey(), vars)));
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new ModuleException("The variable name '" + name + "' is not valid. Variables must start with a letter"
            + " or underscore character, and contain only letters, numbers and underscores.");
      }
      values.put(name, deepResolve(templar.render(e.getValue(), vars)));
    }
    changes.vars.putAll(values);
    if (cacheable) {
      changes.facts.putAll(values);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ansible_facts", values);
    return Outcome.ok(data);
  }

  /** A rendered value with no lazy variable left inside it: what set_fact stores must not change later. */
  private static Object deepResolve(Object value) {
    Object v = Variables.resolved(value);
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), deepResolve(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(deepResolve(x)));
      return out;
    }
    return v;
  }

  private Outcome assertThat(Task task, Map<String, Object> vars) throws TemplateException, ArgsException {
    Args args = bindAction(task, vars);
    Object that = args.raw("that");
    List<?> conditions = that instanceof List<?> l ? l : List.of(that);
    for (Object c : conditions) {
      if (!templar.condition(c, vars)) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("assertion", c);
        data.put("evaluated_to", false);
        data.put("_ansible_verbose_always", true);
        Object msg = args.has("fail_msg") ? args.raw("fail_msg") : "Assertion failed";
        return new Outcome(false, true, false, String.valueOf(msg), data, null);
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (!args.bool("quiet")) {
      data.put("_ansible_verbose_always", true);
    }
    Object msg = args.has("success_msg") ? args.raw("success_msg") : "All assertions passed";
    return new Outcome(false, false, false, String.valueOf(msg), data, null);
  }

  private Outcome includeVars(Call call, Map<String, Object> vars, Changes changes)
      throws TemplateException, ArgsException {
    Args args = bindAction(call.task(), vars);
    String name = args.has("file") ? args.str("file") : args.optStr(ModuleSpec.RAW_PARAMS).orElse(null);
    if (name == null || name.isBlank()) {
      throw new ModuleException("include_vars needs a file name");
    }
    List<Path> dirs = new ArrayList<>();
    Role role = Frame.role(call.frames());
    if (role != null) {
      dirs.add(role.dir().resolve("vars"));
    }
    dirs.addAll(call.searchDirs());
    Path found = null;
    for (Path d : Path.of(name).isAbsolute() ? List.of(Path.of("/")) : dirs) {
      Path p = d.resolve(name);
      if (Files.isRegularFile(p)) {
        found = p;
        break;
      }
    }
    if (found == null) {
      throw new ModuleException("Could not find or access '" + name + "' (looked in " + dirs + ")");
    }
    Optional<Node> doc;
    try {
      doc = YamlLoader.load(found);
    } catch (SourceException e) {
      throw new ModuleException(e.getMessage());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    if (doc.isPresent() && doc.get() instanceof Node.MapNode m) {
      m.entries().forEach(e -> values.put(e.key().text(), e.value().toPlain()));
    } else if (doc.isPresent() && !(doc.get() instanceof Node.Scalar s && s.value() == null)) {
      throw new ModuleException(found + ": a vars file must be a mapping of variable names to values");
    }
    Map<String, Object> set = args.has("name") ? Map.of(args.str("name"), values) : values;
    changes.vars.putAll(set);
    set.forEach((k, v) -> {
      if (Args.holdsTemplate(v)) {
        changes.templated.add(k);
      }
    });
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ansible_facts", set);
    data.put("ansible_included_var_files", List.of(found.toAbsolutePath().toString()));
    return Outcome.ok(data);
  }

  private Outcome pause(Task task, Map<String, Object> vars) throws TemplateException, ArgsException {
    Args args = bindAction(task, vars);
    long seconds = args.has("minutes") ? args.integer("minutes") * 60L : args.integer("seconds");
    String unit = args.has("minutes") ? "minutes" : "seconds";
    long shown = args.has("minutes") ? args.integer("minutes") : seconds;
    if (args.has("prompt")) {
      messages.accept(args.str("prompt"));
    }
    messages.accept("Pausing for " + shown + " " + unit);
    Instant start = Instant.now();
    sleep(seconds);
    Instant stop = Instant.now();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("delta", (int) Duration.between(start, stop).toSeconds());
    data.put("echo", args.bool("echo"));
    data.put("rc", 0);
    data.put("start", start.toString());
    data.put("stop", stop.toString());
    data.put("stderr", "");
    data.put("stdout", "Paused for " + (args.has("minutes") ? shown + ".0 minutes" : seconds + ".0 seconds"));
    data.put("user_input", "");
    return Outcome.ok(data);
  }

  private static void sleep(double seconds) {
    if (seconds <= 0) {
      return;
    }
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException("interrupted");
    }
  }

  private static double number(Object v) {
    Object r = Variables.resolved(v);
    if (r instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(r).strip());
    } catch (NumberFormatException e) {
      throw new ModuleException("'" + r + "' is not a number");
    }
  }

  // ---- modules ----

  /** Plans and runs a module's task: from guesses first (one round trip) where it can, else as usual. */
  static Outcome execute(Module module, TaskContext ctx, boolean check) {
    Outcome speculated = check ? null : ctx.speculate(module);
    if (speculated != null) {
      return speculated;
    }
    Plan plan = module.plan(ctx);
    if (plan instanceof Plan.Noop noop) {
      return noop.outcome();
    }
    Plan.Change change = (Plan.Change) plan;
    if (check) {
      return change.checkOutcome();
    }
    return change.interpret().apply(ctx.runAll(change.commands()));
  }

  private Args bind(Module module, Task task, Map<String, Object> vars) throws TemplateException, ArgsException {
    Map<String, Object> rendered = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : task.args().entrySet()) {
      Object value = deepResolve(templar.render(e.getValue(), vars));
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

  private boolean conditionsHold(Call call, Map<String, Object> vars) throws TemplateException {
    for (Object c : Frame.conditions(call.task().keywords(), call.frames())) {
      if (!templar.condition(c, vars)) {
        return false;
      }
    }
    return true;
  }

  private String falseCondition(Call call, Map<String, Object> vars) {
    for (Object c : Frame.conditions(call.task().keywords(), call.frames())) {
      try {
        if (!templar.condition(c, vars)) {
          return String.valueOf(c);
        }
      } catch (TemplateException e) {
        return String.valueOf(c);
      }
    }
    return "";
  }

  private Outcome applyConditions(Task task, Map<String, Object> vars, Outcome outcome) throws TemplateException {
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

  private static void register(Task task, Changes changes, Outcome outcome) {
    Object name = task.keywords().get("register");
    if (name != null) {
      changes.vars.put(String.valueOf(name), registered(outcome));
      changes.templated.remove(String.valueOf(name));
    }
  }

  /** A result as {@code register} stores it, with Ansible's keys. */
  static Map<String, Object> registered(Outcome o) {
    Map<String, Object> r = new LinkedHashMap<>(o.data());
    r.remove("_jplay_set_fact");
    r.remove("_ansible_verbose_always");
    r.put("changed", o.changed());
    if (r.remove("_ansible_loop_result") == null) {
      r.put("failed", o.failed());
    }
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
      // Connection settings are scalars; results such as ansible_failed_task are never rendered again.
      Object v = Variables.resolved(e.getValue());
      if (e.getKey().startsWith("ansible_") && !(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
        out.put(e.getKey(), deepResolve(templar.render(v, vars)));
      }
    }
    return out;
  }

  private Map<String, String> environment(Map<String, Object> kw, Map<String, Object> vars) throws TemplateException {
    Object env = kw.get("environment");
    if (env == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    // One mapping, or the levels' mappings (play, blocks, task) merged in order: the innermost wins.
    for (Object level : env instanceof List<?> l ? l : List.of(env)) {
      Object rendered = deepResolve(templar.render(level, vars));
      if (!(rendered instanceof Map<?, ?> m)) {
        throw new ModuleException("'environment' must be a mapping of variable names to values");
      }
      m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    }
    return out;
  }

  private Duration timeout(Map<String, Object> kw, Map<String, Object> vars) throws TemplateException {
    Object t = kw.get("timeout");
    if (t == null) {
      return options.taskTimeout();
    }
    Object rendered = Variables.resolved(templar.render(t, vars));
    try {
      long seconds = Long.parseLong(String.valueOf(rendered).trim());
      return seconds <= 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new ModuleException("'timeout' must be a number of seconds, not '" + rendered + "'");
    }
  }

  boolean bool(Object value, Map<String, Object> vars, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      Object v = Variables.resolved(templar.render(value, vars));
      return v instanceof Boolean b ? b : HostSettings.isTrue(String.valueOf(v));
    } catch (TemplateException e) {
      return fallback;
    }
  }

  private static Done done(
      Call call, HostState host, Status status, Outcome outcome, Instant start, boolean ignored, boolean noLog,
      Map<String, Object> args, boolean loop, String delegatedTo, Changes changes, List<String> notify,
      boolean rescued) {
    HostResult r = new HostResult(host.name, call.name(), status, outcome, Duration.between(start, Instant.now()),
        ignored, noLog, args, rescued, loop, delegatedTo);
    String register = call.task().keywords().get("register") == null ? null
        : String.valueOf(call.task().keywords().get("register"));
    if (changes.factsHost != null && call.task().module().equals(Actions.SET_FACT)) {
      // set_fact under delegate_facts sets the variables on the delegated host; the result stays here.
      Map<String, Object> vars = new LinkedHashMap<>(changes.vars);
      Map<String, Object> registered = new LinkedHashMap<>();
      if (register != null && vars.containsKey(register)) {
        registered.put(register, vars.remove(register));
      }
      return new Done(r, vars, changes.templated, changes.facts, changes.factsHost, notify, changes.factsHost,
          registered);
    }
    return new Done(r, changes.vars, changes.templated, changes.facts, changes.factsHost, notify, null, null);
  }
}
