package jplay.engine.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import jplay.engine.api.Module;
import jplay.engine.api.Outcome;
import jplay.engine.inventory.Host;
import jplay.engine.inventory.Inventory;
import jplay.engine.output.Events;
import jplay.engine.output.Events.HostResult;
import jplay.engine.output.Events.HostStats;
import jplay.engine.output.RunListener;
import jplay.engine.output.StatsCollector;
import jplay.engine.output.Status;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.Task;
import jplay.engine.template.Templar;
import jplay.engine.yaml.SourceException;

/**
 * Runs playbooks with Ansible's linear strategy: each task runs on all remaining hosts of the batch in parallel
 * (at most {@code forks} at once), and the next task starts when all have answered. A host that fails or is
 * unreachable leaves the play; the others go on.
 *
 * <pre>{@code
 * RunSummary summary = new PlaybookRunner(modules, inventory, options, listener, connections).run(playbooks);
 * System.exit(summary.exitCode());
 * }</pre>
 */
public final class PlaybookRunner {
  /** The task name Ansible shows for fact gathering. */
  static final String GATHERING_FACTS = "Gathering Facts";

  private final ModuleRegistry modules;
  private final Inventory inventory;
  private final RunOptions options;
  private final RunListener listener;
  private final ConnectionSource connections;
  private final Templar templar = new Templar();
  private final Map<String, HostState> hosts = new LinkedHashMap<>();
  private final StatsCollector stats = new StatsCollector();
  private final List<Events.TaskTiming> timings = new ArrayList<>();
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private volatile ExecutorService pool;

  public PlaybookRunner(
      ModuleRegistry modules,
      Inventory inventory,
      RunOptions options,
      RunListener listener,
      ConnectionSource connections) {
    this.modules = modules;
    this.inventory = inventory;
    this.options = options;
    this.listener = listener;
    this.connections = connections;
  }

  /** Asks the run to stop: no new task starts; the recap is still printed. */
  public void interrupt() {
    interrupted.set(true);
    ExecutorService p = pool;
    if (p != null) {
      // Interrupts the forks: commands in flight are abandoned and their hosts report the interruption.
      p.shutdownNow();
    }
  }

  /**
   * Starts this run knowing what earlier runs learnt about a host: its facts and its registered values. The
   * console runs each line as a run of its own and carries {@code last}, {@code :register}ed results and facts
   * from line to line through here. Call before {@link #run}.
   */
  public void remember(String host, Map<String, Object> facts, Map<String, Object> registered) {
    HostState state = hosts.computeIfAbsent(host, HostState::new);
    state.facts.putAll(facts);
    state.runtimeVars.putAll(registered);
  }

  /** Runs the playbooks in order; host errors are results, not exceptions. */
  public RunSummary run(List<Playbook> playbooks) throws SourceException {
    Instant start = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(options.forks(), daemonThreads());
    this.pool = pool;
    try {
      for (Playbook playbook : playbooks) {
        emit(() -> listener.playbookStarted(
            new Events.PlaybookStarted(playbook.file().toString(), options.check(), options.diff())));
        for (Play play : playbook.plays()) {
          if (interrupted.get()) {
            break;
          }
          runPlay(playbook, play, pool);
        }
      }
    } finally {
      pool.shutdownNow();
      connections.close();
    }
    // Every host that was in a play has a recap line, even one that never got a result.
    Map<String, HostStats> recap = new LinkedHashMap<>();
    hosts.keySet().forEach(h -> recap.put(h, stats.stats(h)));
    Duration elapsed = Duration.between(start, Instant.now());
    Events.RunFinished finished = new Events.RunFinished(recap, elapsed, List.copyOf(timings), interrupted.get());
    emit(() -> listener.runFinished(finished));
    return new RunSummary(recap, interrupted.get());
  }

  private void runPlay(Playbook playbook, Play play, ExecutorService pool) throws SourceException {
    List<String> selected = select(play);
    Map<String, Object> runMagic = new LinkedHashMap<>();
    runMagic.put("playbook_dir", playbook.dir().toString());
    runMagic.put("ansible_check_mode", options.check());
    runMagic.put("ansible_diff_mode", options.diff());
    runMagic.put("ansible_verbosity", options.verbosity());
    runMagic.put("groups", Variables.groups(inventory));
    Variables variables = new Variables(inventory, hosts, options.extraVars(), runMagic);
    for (String h : selected) {
      hosts.computeIfAbsent(h, HostState::new);
    }
    List<List<String>> batches = Batches.split(selected, play.keywords().get("serial"));
    if (batches.isEmpty()) {
      emit(() -> listener.playStarted(new Events.PlayStarted(play.displayName(), play.hosts(), List.of(), play.mark())));
      emit(() -> listener.warning("no hosts matched the pattern '" + play.hosts() + "'; skipping the play"
          + inventory.suggest(play.hosts()).map(s -> " (did you mean '" + s + "'?)").orElse("")));
      return;
    }
    for (List<String> batch : batches) {
      List<String> active = batch.stream().filter(h -> hosts.get(h).active()).toList();
      emit(() -> listener.playStarted(new Events.PlayStarted(play.displayName(), play.hosts(), active, play.mark())));
      Map<String, Object> playMagic = Map.of(
          "ansible_play_hosts", selected.stream().filter(h -> hosts.get(h).active()).toList(),
          "ansible_play_hosts_all", selected,
          "play_hosts", active,
          "ansible_play_batch", active,
          "ansible_play_name", play.displayName());
      List<Task> tasks = new ArrayList<>();
      if (gatherFacts(play)) {
        modules.find("setup").ifPresent(setup -> tasks.add(new Task(
            GATHERING_FACTS, "setup", Map.of(), Map.of(), Map.of(), play.mark())));
      }
      tasks.addAll(play.tasks());
      for (Task task : tasks) {
        if (interrupted.get()) {
          return;
        }
        List<String> running = batch.stream().filter(h -> hosts.get(h).active()).toList();
        if (running.isEmpty()) {
          break;
        }
        runTask(play, task, running, variables, playMagic, pool);
      }
    }
  }

  private void runTask(
      Play play, Task task, List<String> running, Variables variables, Map<String, Object> playMagic,
      ExecutorService pool) {
    Module module = modules.find(task.module())
        .orElseThrow(() -> new IllegalStateException("module " + task.module() + " vanished after the check"));
    emit(() -> listener.taskStarted(
        new Events.TaskStarted(task.displayName(), task.module(), task.mark(), false, running)));
    TaskRunner runner = new TaskRunner(templar, connections, options, baseDir(play, task));
    List<Future<?>> futures = new ArrayList<>();
    for (String h : running) {
      HostState state = hosts.get(h);
      futures.add(pool.submit(() -> {
        HostResult r;
        try {
          r = runner.run(play, task, module, state, variables.forTask(h, play, task, playMagic));
        } catch (RuntimeException e) {
          // A bug in a module must cost one host one task, not the run.
          state.failed = true;
          r = new HostResult(h, task.displayName(), Status.FAILED,
              Outcome.failed("internal error in module " + task.module() + ": " + e, Map.of()),
              Duration.ZERO, false, false, Map.of());
        }
        HostResult result = r;
        stats.hostResult(result);
        synchronized (timings) {
          timings.add(new Events.TaskTiming(task.displayName(), h, task.mark(), result.elapsed()));
        }
        emit(() -> listener.hostResult(result));
      }));
    }
    for (Future<?> f : futures) {
      while (true) {
        try {
          f.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          if (interrupted.get()) {
            return;
          }
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
          interrupted.set(true);
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a task runner failed", e.getCause());
        }
      }
    }
  }

  private java.nio.file.Path baseDir(Play play, Task task) {
    String file = task.mark().file();
    java.nio.file.Path p = java.nio.file.Path.of(file).toAbsolutePath().getParent();
    return p == null ? java.nio.file.Path.of(".") : p;
  }

  private List<String> select(Play play) throws SourceException {
    Set<String> names = new LinkedHashSet<>();
    for (Host h : inventory.select(play.hosts())) {
      names.add(h.name());
    }
    if (options.limit() != null) {
      Set<String> limit = new LinkedHashSet<>();
      for (Host h : inventory.select(options.limit())) {
        limit.add(h.name());
      }
      names.retainAll(limit);
    }
    return List.copyOf(names);
  }

  private boolean gatherFacts(Play play) {
    Object g = play.keywords().get("gather_facts");
    return g == null || g instanceof Boolean b && b || g instanceof String s && HostSettings.isTrue(s);
  }

  private synchronized void emit(Runnable event) {
    event.run();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "jplay-fork-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
