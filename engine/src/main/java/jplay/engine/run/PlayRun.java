package jplay.engine.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.output.Events;
import jplay.engine.output.Events.HostResult;
import jplay.engine.output.Status;
import jplay.engine.playbook.Actions;
import jplay.engine.playbook.Block;
import jplay.engine.playbook.Include;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Role;
import jplay.engine.playbook.Step;
import jplay.engine.playbook.Task;
import jplay.engine.template.TemplateException;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * One batch of one play: walks its sections, blocks and includes with the hosts that are still in, runs each task
 * on them (lockstep under the linear strategy, each host on its own under {@code strategy: free}), and runs the
 * notified handlers after each section and at {@code meta: flush_handlers}.
 */
final class PlayRun {
  private final PlaybookRunner.Shared shared;
  private final Play play;
  private final List<String> selected;
  private final List<String> batch;
  private final Variables.PlayScope scope;
  private final TaskRunner runner;
  private final boolean free;
  /** Handlers in definition order; include_role may add a role's. */
  private final List<Handler> handlers = Collections.synchronizedList(new ArrayList<>());
  private final Set<Path> handlerRoles = ConcurrentHashMap.newKeySet();
  private final Map<Handler, Set<String>> pending = new LinkedHashMap<>();
  private final Set<Object> bannered = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, Object>> varsFiles = new ConcurrentHashMap<>();
  private final Set<String> rolesRun = ConcurrentHashMap.newKeySet();
  private volatile boolean endPlay;
  private volatile boolean endBatch;
  private volatile boolean aborted;
  /** The roles whose defaults and vars the whole play sees: roles:, import_role, and include_role with public. */
  private final List<Role> roles = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A handler and the levels it sits in (its role), with every name it answers to. */
  private record Handler(Task task, List<Frame> frames, Set<String> names, Set<String> topics) {}

  PlayRun(PlaybookRunner.Shared shared, Play play, List<String> selected, List<String> batch) {
    this.shared = shared;
    this.play = play;
    this.selected = selected;
    this.batch = batch;
    this.free = "free".equals(play.keywords().get("strategy"));
    // Roles of `roles:` and of static import_role anywhere in the play: Ansible exposes their defaults to the
    // whole play at parse time (include_role, being dynamic, is not a block here and stays private).
    List<Role> found = new ArrayList<>();
    for (List<Step> section : List.of(play.preTasks(), play.roles(), play.body(), play.postTasks())) {
      collectRoles(section, found);
    }
    roles.addAll(found);
    this.scope = new Variables.PlayScope(play.vars(), roles, this::varsFilesOf, new Magic());
    this.runner = new TaskRunner(shared.templar, shared.connections, shared.options,
        shared.variables, scope, e -> shared.emit(() -> shared.listener.itemResult(e)),
        e -> shared.emit(() -> shared.listener.retry(e)), m -> shared.emit(() -> shared.listener.message(m)));
    addHandlers(play.handlers(), List.of());
  }

  static void collectRoles(List<Step> steps, List<Role> out) {
    for (Step s : steps) {
      if (s instanceof Block b) {
        if (b.role() != null && !out.contains(b.role())) {
          out.add(b.role());
        }
        collectRoles(b.block(), out);
      }
    }
  }

  private void addHandlers(List<Step> steps, List<Frame> frames) {
    for (Step s : steps) {
      if (s instanceof Block b) {
        if (b.role() != null) {
          handlerRoles.add(b.role().dir().toAbsolutePath().normalize());
        }
        addHandlers(b.block(), Frame.with(frames, Frame.of(b, false)));
      } else if (s instanceof Task t) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> topics = new LinkedHashSet<>();
        Role r = Frame.role(frames);
        if (t.name() != null) {
          names.add(t.name());
          if (r != null) {
            names.add(r.name() + " : " + t.name());
          }
        }
        if (t.keywords().get("listen") instanceof List<?> l) {
          l.forEach(x -> topics.add(String.valueOf(x)));
        }
        handlers.add(new Handler(t, frames, names, topics));
      }
    }
  }

  /** The play's magic variables, computed when a template reads them: hosts come and go. */
  private final class Magic extends AbstractMap<String, Object> {
    @Override
    public Set<Entry<String, Object>> entrySet() {
      Map<String, Object> m = new LinkedHashMap<>();
      List<String> activeBatch = batch.stream().filter(h -> shared.hosts.get(h).active()).toList();
      m.put("ansible_play_hosts", selected.stream().filter(h -> shared.hosts.get(h).active()).toList());
      m.put("ansible_play_hosts_all", selected);
      m.put("play_hosts", activeBatch);
      m.put("ansible_play_batch", activeBatch);
      m.put("ansible_play_name", play.displayName());
      List<String> roleNames = new ArrayList<>();
      scope.roles().forEach(r -> roleNames.add(r.name()));
      m.put("ansible_play_role_names", roleNames);
      return m.entrySet();
    }
  }

  void run() {
    if (free) {
      runFree();
    } else {
      runSections(batch);
    }
  }

  private void runSections(List<String> hosts) {
    if (gatherFacts()) {
      // The play's gather_subset, gather_timeout and fact_path are the implicit setup's arguments, as in Ansible.
      Map<String, Object> args = new LinkedHashMap<>();
      for (String k : List.of("gather_subset", "gather_timeout", "fact_path")) {
        Object v = play.keywords().get(k);
        if (v != null) {
          args.put(k, k.equals("gather_subset") && v instanceof String s ? List.of(s.split("\\s*,\\s*")) : v);
        }
      }
      shared.modules.find("setup").ifPresent(setup -> runTask(new Task(PlaybookRunner.GATHERING_FACTS, "setup",
          args, Map.of(), Map.of("tags", List.of("always")), play.mark()), List.of(), hosts, false));
    }
    List<Step> main = new ArrayList<>(play.roles());
    main.addAll(play.body());
    for (List<Step> section : List.of(play.preTasks(), main, play.postTasks())) {
      if (stopped()) {
        break;
      }
      runSteps(section, List.of(), hosts);
      if (!shared.interrupted.get() && !aborted) {
        flush(hosts);
      }
    }
  }

  /** {@code strategy: free}: every host walks the play on its own, as fast as it goes. */
  private void runFree() {
    ExecutorService walkers = Executors.newFixedThreadPool(
        Math.max(1, Math.min(shared.options.forks(), batch.size())), PlaybookRunner.daemonThreads("jplay-free-"));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String h : batch) {
        futures.add(walkers.submit(() -> runSections(List.of(h))));
      }
      shared.await(futures);
    } finally {
      walkers.shutdownNow();
    }
  }

  private boolean stopped() {
    return shared.interrupted.get() || endPlay || endBatch || aborted;
  }

  boolean endedPlay() {
    return endPlay;
  }

  boolean aborted() {
    return aborted;
  }

  private List<String> active(List<String> hosts) {
    return hosts.stream().filter(h -> shared.hosts.get(h).active()).toList();
  }

  private void runSteps(List<Step> steps, List<Frame> frames, List<String> hosts) {
    for (Step step : steps) {
      if (stopped()) {
        return;
      }
      List<String> live = active(hosts);
      if (live.isEmpty()) {
        return;
      }
      if (step instanceof Task t) {
        runTask(t, frames, live, false);
      } else if (step instanceof Block b) {
        runBlock(b, frames, live);
      } else if (step instanceof Include i) {
        runInclude(i, frames, live);
      }
    }
  }

  /**
   * Ansible's block semantics: hosts that fail in {@code block} run {@code rescue} (and count as rescued, not
   * failed, if it succeeds); every host that entered runs {@code always}, and one that failed without being rescued
   * stays failed after it.
   */
  private void runBlock(Block b, List<Frame> frames, List<String> hosts) {
    if (b.role() != null && b.role().once()) {
      // Ansible runs a role (a roles: entry or a dependency) once per host and play for the same parameters.
      String key = b.role().runKey();
      hosts = hosts.stream().filter(h -> rolesRun.add(h + " " + key)).toList();
      if (hosts.isEmpty()) {
        return;
      }
    }
    runSteps(b.block(), Frame.with(frames, Frame.of(b, !b.rescue().isEmpty())), hosts);
    List<String> failed = hosts.stream()
        .filter(h -> shared.hosts.get(h).failed && !shared.hosts.get(h).unreachable).toList();
    if (!b.rescue().isEmpty() && !failed.isEmpty() && !stopped()) {
      failed.forEach(h -> shared.hosts.get(h).failed = false);
      runSteps(b.rescue(), Frame.with(frames, Frame.of(b, false)), failed);
    }
    if (!b.always().isEmpty() && !shared.interrupted.get() && !aborted) {
      List<String> stillFailed = hosts.stream().filter(h -> shared.hosts.get(h).failed).toList();
      List<String> always = hosts.stream()
          .filter(h -> !shared.hosts.get(h).unreachable && !shared.hosts.get(h).ended).toList();
      stillFailed.forEach(h -> shared.hosts.get(h).failed = false);
      runSteps(b.always(), Frame.with(frames, Frame.of(b, false)), always);
      stillFailed.forEach(h -> shared.hosts.get(h).failed = true);
    }
  }

  // ---- tasks ----

  private boolean selected(Map<String, Object> own, List<Frame> frames) {
    return shared.tags.selects(Frame.tags(own, frames, play));
  }

  /** {@code --start-at-task}: tasks are left out until the first one whose name matches. */
  private boolean reachedStart(String name, Task t) {
    String start = shared.startAt;
    if (start == null) {
      return true;
    }
    synchronized (shared) {
      if (shared.startAt == null) {
        return true;
      }
      if (start.equals(name) || start.equals(t.displayName()) || Glob.matches(start, name)) {
        shared.startAt = null;
        return true;
      }
      return false;
    }
  }

  private void runTask(Task t, List<Frame> frames, List<String> hosts, boolean handler) {
    String name = Frame.displayName(t, frames);
    boolean gather = t.name() != null && t.name().equals(PlaybookRunner.GATHERING_FACTS) && frames.isEmpty();
    if (!handler && !selected(t.keywords(), frames)) {
      return;
    }
    if (!handler && !gather && !reachedStart(name, t)) {
      return;
    }
    if (!handler && !gather && !shared.step(name)) {
      return;
    }
    if (t.module().equals(Actions.META)) {
      runMeta(t, frames, hosts, name);
      return;
    }
    Module module = Actions.isAction(t.module()) ? null : shared.modules.find(t.module())
        .orElseThrow(() -> new IllegalStateException("module " + t.module() + " vanished after the check"));
    Map<String, Object> kw = Frame.effective(t.keywords(), frames, play);
    renderTaskLevel(kw, t, frames, module, name, hosts);
    List<String> targets = hosts;
    boolean runOnce = t.module().equals(Actions.PAUSE) || isTrue(kw.get("run_once"));
    if (runOnce && !hosts.isEmpty()) {
      targets = List.of(hosts.get(0));
    }
    List<String> shown = targets;
    startBanner(t, name, module, handler, shown);
    TaskRunner.Call call = new TaskRunner.Call(play, t, frames, module, name, kw, searchDirs(t, frames));
    Semaphore throttle = throttle(kw);
    boolean rescuable = Frame.rescuable(frames);
    List<HostResult> results = Collections.synchronizedList(new ArrayList<>());
    List<String> all = hosts;
    boolean once = runOnce;
    List<Runnable> work = new ArrayList<>();
    for (String h : targets) {
      HostState state = shared.hosts.get(h);
      work.add(() -> {
        HostResult r = runOne(call, state, rescuable, once ? all : List.of(h), throttle);
        results.add(r);
      });
    }
    if (free || work.size() == 1 && Thread.currentThread().getName().startsWith("jplay-free-")) {
      work.forEach(Runnable::run);
    } else {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable w : work) {
        futures.add(shared.pool.submit(w));
      }
      shared.await(futures);
    }
    afterTask(kw, results, hosts, once);
  }

  private void startBanner(Object key, String name, Module module, boolean handler, List<String> hosts) {
    if (free && !bannered.add(key)) {
      return;
    }
    String moduleName = module == null ? (key instanceof Task t ? t.module() : null) : module.spec().name();
    Task task = key instanceof Task t ? t : null;
    shared.emit(() -> shared.listener.taskStarted(new Events.TaskStarted(name, moduleName,
        task == null ? play.mark() : task.mark(), handler, hosts)));
  }

  /**
   * Keywords that decide how a task is spread over its hosts (run_once, throttle, any_errors_fatal): Ansible's
   * strategy renders them once, with the task's variables of the first host. A template that cannot be rendered
   * leaves the keyword unset, with a warning that says where.
   */
  private void renderTaskLevel(Map<String, Object> kw, Task t, List<Frame> frames, Module module, String name,
      List<String> hosts) {
    if (hosts.isEmpty() || TASK_LEVEL.stream().noneMatch(k -> jplay.engine.api.Args.holdsTemplate(kw.get(k)))) {
      return;
    }
    TaskRunner.Call call = new TaskRunner.Call(play, t, frames, module, name, kw, List.of());
    for (String k : TASK_LEVEL) {
      if (jplay.engine.api.Args.holdsTemplate(kw.get(k))) {
        try {
          kw.put(k, Variables.resolved(shared.templar.render(kw.get(k), runner.vars(call, hosts.get(0), Map.of()))));
        } catch (TemplateException | RuntimeException e) {
          shared.emit(() -> shared.listener.warning(t.mark() + ": '" + k + "' left unset: " + e.getMessage()));
          kw.remove(k);
        }
      }
    }
  }

  private static final List<String> TASK_LEVEL = List.of("run_once", "throttle", "any_errors_fatal");

  private static Semaphore throttle(Map<String, Object> kw) {
    Object t = kw.get("throttle");
    if (t instanceof Number n && n.intValue() > 0) {
      return new Semaphore(n.intValue());
    }
    if (t instanceof String s && s.strip().matches("[0-9]+") && Integer.parseInt(s.strip()) > 0) {
      return new Semaphore(Integer.parseInt(s.strip()));
    }
    return null;
  }

  /** One host's run of the task, its changes applied (to all play hosts under run_once), its result reported. */
  private HostResult runOne(TaskRunner.Call call, HostState state, boolean rescuable, List<String> applyTo,
      Semaphore throttle) {
    TaskRunner.Done done;
    try {
      if (throttle != null) {
        throttle.acquire();
      }
      try {
        shared.emit(() -> shared.listener.hostStarted(new Events.HostStarted(state.name, call.name())));
        done = runner.run(call, state, rescuable);
      } finally {
        if (throttle != null) {
          throttle.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shared.interrupted.set(true);
      done = new TaskRunner.Done(new HostResult(state.name, call.name(), Status.FAILED,
          Outcome.failed("interrupted", Map.of()), Duration.ZERO, false, false, Map.of()), Map.of(), Set.of(),
          Map.of(), null, List.of(), null, null);
    } catch (RuntimeException e) {
      // A bug in a module must cost one host one task, not the run.
      state.failed = true;
      done = new TaskRunner.Done(new HostResult(state.name, call.name(), Status.FAILED,
          Outcome.failed("internal error in " + call.task().module() + ": " + e, Map.of()), Duration.ZERO, false,
          false, Map.of()), Map.of(), Set.of(), Map.of(), null, List.of(), null, null);
    }
    for (String h : applyTo) {
      HostState target = shared.hosts.get(h);
      HostState varsTarget = done.varsHost() == null ? target
          : shared.hosts.computeIfAbsent(done.varsHost(), HostState::new);
      synchronized (varsTarget.runtimeVars) {
        varsTarget.runtimeVars.putAll(done.vars());
      }
      varsTarget.templated.removeAll(done.vars().keySet());
      varsTarget.templated.addAll(done.templated());
      if (done.varsHost() != null && done.registered() != null) {
        synchronized (target.runtimeVars) {
          target.runtimeVars.putAll(done.registered());
        }
        target.templated.removeAll(done.registered().keySet());
      }
      if (!done.facts().isEmpty()) {
        HostState factsTarget = done.factsHost() == null ? target
            : shared.hosts.computeIfAbsent(done.factsHost(), HostState::new);
        factsTarget.facts.putAll(done.facts());
      }
    }
    HostResult result = done.result();
    if (result.rescued()) {
      Map<String, Object> failedTask = new LinkedHashMap<>();
      failedTask.put("name", call.task().name() == null ? "" : call.task().name());
      failedTask.put("action", call.task().module());
      failedTask.put("args", call.task().args());
      failedTask.put("path", call.task().mark().toString());
      synchronized (state.runtimeVars) {
        state.runtimeVars.put("ansible_failed_task", failedTask);
        state.runtimeVars.put("ansible_failed_result", TaskRunner.registered(result.outcome()));
      }
      state.templated.remove("ansible_failed_task");
      state.templated.remove("ansible_failed_result");
    }
    if (!done.handlers().isEmpty()) {
      notifyHandlers(done.handlers(), state.name);
    }
    shared.report(result, call.task());
    return result;
  }

  private void afterTask(Map<String, Object> kw, List<HostResult> results, List<String> hosts, boolean once) {
    List<HostResult> hard = results.stream()
        .filter(r -> (r.status() == Status.FAILED || r.status() == Status.UNREACHABLE) && !r.ignored() && !r.rescued())
        .toList();
    if (once && results.stream().anyMatch(r -> r.status() == Status.FAILED && !r.ignored())) {
      // Ansible fails every host when a run_once task fails.
      hosts.forEach(h -> shared.hosts.get(h).failed = true);
    }
    if (!hard.isEmpty() && isTrue(kw.get("any_errors_fatal"))) {
      aborted = true;
      return;
    }
    Object pct = play.keywords().get("max_fail_percentage");
    if (pct != null && !batch.isEmpty()) {
      long failed = batch.stream().filter(h -> shared.hosts.get(h).failed || shared.hosts.get(h).unreachable).count();
      double limit = Double.parseDouble(String.valueOf(pct).replace("%", "").strip());
      if (failed * 100.0 / batch.size() > limit) {
        aborted = true;
      }
    }
  }

  // ---- handlers ----

  private void notifyHandlers(List<String> names, String host) {
    synchronized (pending) {
      for (String n : names) {
        boolean found = false;
        synchronized (handlers) {
          // Of handlers with the same name the last one defined answers, as Ansible documents ("only the last
          // one loaded into the play can be notified"): a role listed twice runs its second instance's handler,
          // with that instance's vars and conditions. Every listener of a topic answers.
          for (int i = handlers.size() - 1; i >= 0; i--) {
            Handler h = handlers.get(i);
            if (h.names().contains(n) && !found || h.topics().contains(n)) {
              pending.computeIfAbsent(h, k -> new LinkedHashSet<>()).add(host);
              found |= h.names().contains(n);
            }
          }
          if (!found && handlers.stream().noneMatch(h -> h.topics().contains(n))) {
            shared.emit(() -> shared.listener.warning("The requested handler '" + n + "' was not found in either the"
                + " main handlers list nor in the listening handlers list"));
          }
        }
      }
    }
  }

  /**
   * Runs the notified handlers in the order they are defined, each on the hosts that notified it; handlers that
   * notify others make another round. A host that failed is left out unless {@code force_handlers}.
   */
  private void flush(List<String> hosts) {
    boolean force = shared.options.forceHandlers() || isTrue(play.keywords().get("force_handlers"));
    while (!shared.interrupted.get()) {
      Handler next = null;
      List<String> targets = List.of();
      synchronized (pending) {
        List<Handler> ordered;
        synchronized (handlers) {
          ordered = new ArrayList<>(handlers);
        }
        for (Handler h : ordered) {
          Set<String> notified = pending.get(h);
          if (notified == null) {
            continue;
          }
          List<String> mine = hosts.stream().filter(notified::contains).toList();
          if (mine.isEmpty()) {
            continue;
          }
          notified.removeAll(mine);
          if (notified.isEmpty()) {
            pending.remove(h);
          }
          targets = mine.stream().filter(x -> {
            HostState s = shared.hosts.get(x);
            return s.active() || force && !s.unreachable && !s.ended;
          }).toList();
          if (!targets.isEmpty()) {
            next = h;
            break;
          }
        }
      }
      if (next == null) {
        return;
      }
      // Forced handlers run on failed hosts, which stay failed.
      List<String> wereFailed = targets.stream().filter(x -> shared.hosts.get(x).failed).toList();
      wereFailed.forEach(x -> shared.hosts.get(x).failed = false);
      runTask(next.task(), next.frames(), targets, true);
      wereFailed.forEach(x -> shared.hosts.get(x).failed = true);
    }
  }

  // ---- meta ----

  private void runMeta(Task t, List<Frame> frames, List<String> hosts, String name) {
    String what = String.valueOf(t.args().get(ModuleSpec.RAW_PARAMS)).strip();
    startBanner(t, name, null, false, hosts);
    List<String> where = new ArrayList<>();
    for (String h : hosts) {
      TaskRunner.Call call = new TaskRunner.Call(play, t, frames, null, name, Map.of(), List.of());
      try {
        Map<String, Object> vars = runner.vars(call, h, Map.of());
        boolean holds = true;
        for (Object c : Frame.conditions(t.keywords(), frames)) {
          holds &= shared.templar.condition(c, vars);
        }
        if (holds) {
          where.add(h);
        }
      } catch (TemplateException | RuntimeException e) {
        shared.emit(() -> shared.listener.warning(t.mark() + ": meta " + what + " on " + h + ": " + e.getMessage()));
      }
    }
    if (where.isEmpty()) {
      return;
    }
    switch (what) {
      case "flush_handlers" -> flush(where);
      case "end_play" -> endPlay = true;
      case "end_batch" -> endBatch = true;
      case "end_host" -> where.forEach(h -> shared.hosts.get(h).ended = true);
      case "clear_host_errors" -> batch.forEach(h -> {
        // As Ansible: the error is forgiven for the plays to come, but a failed host does not rejoin this one.
        HostState s = shared.hosts.get(h);
        if (s.failed || s.unreachable) {
          s.failed = false;
          s.unreachable = false;
          s.ended = true;
        }
      });
      case "clear_facts" -> where.forEach(h -> shared.hosts.get(h).facts.clear());
      case "reset_connection" -> where.forEach(h -> {
        HostState s = shared.hosts.get(h);
        if (s.target != null) {
          shared.connections.discard(s.target);
        }
      });
      case "refresh_inventory" -> {
        try {
          shared.refreshInventory();
        } catch (jplay.engine.yaml.SourceException e) {
          // The old inventory stays: the run goes on with what it had, and says why the new one was not taken.
          shared.emit(() -> shared.listener.warning(t.mark() + ": meta: refresh_inventory kept the inventory it"
              + " had: " + e.getMessage()));
        }
      }
      default -> { }
    }
  }

  // ---- includes ----

  /** One thing an include brings in for some hosts: a file or a role, with the include's parameters. */
  private record Inclusion(String target, Map<String, Object> params, String label, boolean exposed) {}

  private void runInclude(Include inc, List<Frame> frames, List<String> hosts) {
    if (!selected(inc.keywords(), frames)) {
      return;
    }
    boolean role = inc.action().equals(Include.ROLE);
    String name = inc.displayName();
    startBanner(inc, name, null, false, hosts);
    Map<Inclusion, List<String>> groups = new LinkedHashMap<>();
    Task asTask = new Task(inc.keywords().get("name") == null ? null : String.valueOf(inc.keywords().get("name")),
        inc.action(), Map.of(), Map.of(), withoutWhenAndLoop(inc.keywords()), inc.mark());
    for (String h : hosts) {
      TaskRunner.Call call = new TaskRunner.Call(play, asTask, frames, null, name, inc.keywords(), List.of());
      try {
        Map<String, Object> vars = runner.vars(call, h, Map.of());
        String loopKey = Loops.keyword(inc.keywords());
        List<Map<String, Object>> itemVars = new ArrayList<>();
        if (loopKey == null) {
          itemVars.add(Map.of());
        } else {
          Map<String, Object> control = inc.keywords().get("loop_control") instanceof Map<?, ?> m ? cast(m) : Map.of();
          String loopVar = control.get("loop_var") == null ? "item" : String.valueOf(control.get("loop_var"));
          int i = 0;
          for (Object item : Loops.items(loopKey, inc.keywords().get(loopKey), vars, shared.templar,
              searchDirs(asTask, frames))) {
            Map<String, Object> iv = new LinkedHashMap<>();
            iv.put(loopVar, item);
            iv.put("ansible_loop_var", loopVar);
            if (control.get("index_var") != null) {
              iv.put(String.valueOf(control.get("index_var")), i);
            }
            itemVars.add(iv);
            i++;
          }
        }
        boolean any = false;
        for (Map<String, Object> iv : itemVars) {
          Map<String, Object> v = iv.isEmpty() ? vars : runner.vars(call, h, iv);
          boolean holds = true;
          for (Object c : Frame.conditions(inc.keywords(), frames)) {
            holds &= shared.templar.condition(c, v);
          }
          if (!holds) {
            continue;
          }
          any = true;
          String target = String.valueOf(Variables.resolved(shared.templar.render(inc.target(), v)));
          Map<String, Object> params = new LinkedHashMap<>();
          if (inc.keywords().get("vars") instanceof Map<?, ?> m) {
            params.putAll(cast(shared.templar.render(m, v)));
          }
          params.putAll(iv);
          String label = iv.isEmpty() ? null : PyRepr.str(iv.get(String.valueOf(iv.get("ansible_loop_var"))));
          // include_role's `public` (a template, as in Ansible): the role's defaults and vars stay visible to the
          // rest of the play after the include. False by default; import_role is always public.
          boolean exposed = role && isTrue(Variables.resolved(shared.templar.render(inc.options().get("public"), v)));
          groups.computeIfAbsent(new Inclusion(target, params, label, exposed), k -> new ArrayList<>()).add(h);
        }
        if (!any) {
          HostResult r = new HostResult(h, name, Status.SKIPPED, new Outcome(false, false, true,
              "Conditional result was False", Map.of(), null), Duration.ZERO, false, false, Map.of());
          shared.report(r, asTask);
        }
      } catch (TemplateException | RuntimeException e) {
        failInclude(h, name, asTask, frames, e.getMessage());
      }
    }
    for (Map.Entry<Inclusion, List<String>> g : groups.entrySet()) {
      if (stopped()) {
        return;
      }
      List<String> who = active(g.getValue());
      if (who.isEmpty()) {
        continue;
      }
      Inclusion what = g.getKey();
      try {
        List<Step> steps;
        Role includedRole = null;
        Path file = null;
        if (role) {
          Block body = inc.preloaded() != null && what.target().equals(inc.target())
              ? (Block) inc.preloaded().get(0) : loadRole(inc, what.target());
          includedRole = body.role();
          steps = List.of(body);
          if (what.exposed() && includedRole != null && !roles.contains(includedRole)) {
            roles.add(includedRole);
          }
        } else {
          file = resolveFile(inc, what.target());
          checkCycle(file, frames);
          steps = inc.preloaded() != null && what.target().equals(inc.target()) ? inc.preloaded()
              : shared.parser.parseTaskFile(file, inc.role(), play.dir(), chain(frames));
          Path shownFile = file.toAbsolutePath().normalize();
          shared.included(new Events.Included(shownFile.toString(), who, what.label()));
        }
        Map<String, Object> kw = withoutWhenAndLoop(inc.keywords());
        kw.remove("tags");
        kw.remove("vars");
        kw.remove("name");
        if (inc.options().get("apply") instanceof Map<?, ?> apply) {
          kw.putAll(cast(apply));
        }
        Frame f = new Frame(kw, null, what.params(), false, file == null ? null : file.toAbsolutePath().normalize());
        if (includedRole != null) {
          // The role's own frame comes from its body block; this one carries the include's params.
          f = new Frame(kw, null, what.params(), false, null);
        }
        runSteps(steps, Frame.with(frames, f), who);
      } catch (SourceException | RuntimeException e) {
        for (String h : who) {
          failInclude(h, name, asTask, frames, e.getMessage());
        }
      }
    }
  }

  private void failInclude(String h, String name, Task asTask, List<Frame> frames, String message) {
    HostState s = shared.hosts.get(h);
    boolean rescuable = Frame.rescuable(frames);
    s.failed = true;
    HostResult r = new HostResult(h, name, Status.FAILED, Outcome.failed(asTask.mark() + ": " + message, Map.of()),
        Duration.ZERO, false, false, Map.of(), rescuable, false, null);
    shared.report(r, asTask);
  }

  private static Map<String, Object> withoutWhenAndLoop(Map<String, Object> keywords) {
    Map<String, Object> kw = new LinkedHashMap<>(keywords);
    kw.keySet().removeIf(k -> k.equals("when") || k.equals("loop") || k.equals("loop_control") || k.startsWith("with_"));
    return kw;
  }

  private Path resolveFile(Include inc, String name) {
    for (Path d : inc.searchDirs()) {
      Path p = d.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("the task file '" + name + "' was not found (looked in " + inc.searchDirs() + ")");
  }

  private static void checkCycle(Path file, List<Frame> frames) {
    Path key = file.toAbsolutePath().normalize();
    List<String> chain = new ArrayList<>();
    boolean seen = false;
    for (Frame f : frames) {
      if (f.file() != null) {
        if (f.file().equals(key)) {
          seen = true;
        }
        if (seen) {
          chain.add(f.file().toString());
        }
      }
    }
    if (seen) {
      chain.add(key.toString());
      throw new IllegalStateException("include cycle: " + String.join(" -> ", chain));
    }
  }

  private static List<String> chain(List<Frame> frames) {
    List<String> out = new ArrayList<>();
    for (Frame f : frames) {
      if (f.file() != null) {
        out.add(f.file().toString());
      }
    }
    return out;
  }

  private Block loadRole(Include inc, String name) {
    List<Step> roleHandlers = new ArrayList<>();
    try {
      Block body = shared.parser.parseRole(name, inc.options(), play.dir(), inc.role(), inc.mark(), roleHandlers);
      for (Step s : roleHandlers) {
        if (s instanceof Block b && b.role() != null
            && handlerRoles.add(b.role().dir().toAbsolutePath().normalize())) {
          addHandlers(List.of(b), List.of());
        }
      }
      return body;
    } catch (SourceException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  // ---- files and variables ----

  /** The base folders for controller files of a task: its role's, its file's, the playbook's. */
  private List<Path> searchDirs(Task t, List<Frame> frames) {
    List<Path> dirs = new ArrayList<>();
    Role r = Frame.role(frames);
    if (r != null) {
      dirs.add(r.dir());
      dirs.add(r.dir().resolve("tasks"));
    }
    Path parent = Path.of(t.mark().file()).toAbsolutePath().getParent();
    if (parent != null && !dirs.contains(parent)) {
      dirs.add(parent);
    }
    Path pd = play.dir().toAbsolutePath();
    if (!dirs.contains(pd)) {
      dirs.add(pd);
    }
    return dirs;
  }

  /**
   * The {@code vars_files} whose names hold no template, read before the play's first task, as Ansible does: a
   * missing or broken file stops the run (exit 4) before any host is contacted, instead of failing every host.
   * Templated names ({@code vars/{{ ansible_os_family }}.yml}) may need this play's facts and are read when a
   * task first needs them.
   */
  void readStaticVarsFiles() throws SourceException {
    for (Object entry : play.varsFiles()) {
      List<?> alternatives = entry instanceof List<?> l ? l : List.of(entry);
      if (alternatives.stream().anyMatch(a -> jplay.engine.api.Args.holdsTemplate(String.valueOf(a)))) {
        continue;
      }
      Path found = alternatives.stream().map(a -> play.dir().resolve(String.valueOf(a)))
          .filter(Files::isRegularFile).findFirst().orElse(null);
      if (found == null) {
        throw new SourceException(play.mark(), "vars_files: none of " + alternatives + " was found in " + play.dir());
      }
      try {
        varsFiles.computeIfAbsent(found.toAbsolutePath().normalize().toString(), k -> readVars(k));
      } catch (IllegalStateException e) {
        if (e.getCause() instanceof SourceException se) {
          throw se;
        }
        throw new SourceException(play.mark(), "vars_files: " + e.getMessage());
      }
    }
  }

  /** The host's {@code vars_files} values: names rendered with the host's variables, the first file found read. */
  private Map<String, Object> varsFilesOf(String host) {
    if (play.varsFiles().isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> vars = null;
    for (Object entry : play.varsFiles()) {
      List<?> alternatives = entry instanceof List<?> l ? l : List.of(entry);
      Path found = null;
      for (Object a : alternatives) {
        String name = String.valueOf(a);
        if (jplay.engine.api.Args.holdsTemplate(name)) {
          if (vars == null) {
            vars = shared.variables.forTask(host, new Variables.PlayScope(play.vars(), List.of(), h -> Map.of(),
                Map.of()), List.of(), Map.of(), Map.of());
          }
          try {
            name = String.valueOf(Variables.resolved(shared.templar.render(name, vars)));
          } catch (TemplateException e) {
            throw new IllegalStateException("vars_files: " + e.getMessage(), e);
          }
        }
        Path p = play.dir().resolve(name);
        if (Files.isRegularFile(p)) {
          found = p;
          break;
        }
      }
      if (found == null) {
        throw new IllegalStateException("vars_files: none of " + alternatives + " was found in " + play.dir());
      }
      out.putAll(varsFiles.computeIfAbsent(found.toAbsolutePath().normalize().toString(), k -> readVars(k)));
    }
    return out;
  }

  private static String kind(Node n) {
    return n instanceof Node.Seq ? "list" : "single value";
  }

  private static Map<String, Object> readVars(String file) {
    try {
      Optional<Node> doc = YamlLoader.load(Path.of(file));
      if (doc.isEmpty() || doc.get() instanceof Node.Scalar s && s.value() == null) {
        return Map.of();
      }
      if (!(doc.get() instanceof Node.MapNode m)) {
        SourceException e = new SourceException(doc.get().mark(),
            "a vars file must be a mapping of variable names to values, not a " + kind(doc.get()));
        throw new IllegalStateException(e.getMessage(), e);
      }
      return cast(m.toPlain());
    } catch (SourceException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private boolean gatherFacts() {
    Object g = play.keywords().get("gather_facts");
    return g == null || isTrue(g);
  }

  static boolean isTrue(Object v) {
    return v instanceof Boolean b ? b : v != null && HostSettings.isTrue(String.valueOf(v));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object m) {
    return (Map<String, Object>) m;
  }
}
