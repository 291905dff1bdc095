package jplay.engine.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import jplay.engine.api.Args;
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
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Role;
import jplay.engine.playbook.Tags;
import jplay.engine.playbook.Task;
import jplay.engine.template.Templar;
import jplay.engine.template.TemplateException;
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

  /** The answer to {@code --step}'s question before each task. */
  public enum StepAnswer {
    /** Run this task. */
    YES,
    /** Leave this task out. */
    NO,
    /** Run this task and all the following without asking. */
    CONTINUE
  }

  /** Asks whether to run a task under {@code --step}; given the task's name as output shows it. */
  @FunctionalInterface
  public interface StepPrompt {
    StepAnswer ask(String task);
  }

  private final ModuleRegistry modules;
  private volatile Inventory inventory;
  private final RunOptions options;
  private final RunListener listener;
  private final ConnectionSource connections;
  private final Templar templar = new Templar();
  private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
  private final List<String> hostOrder = java.util.Collections.synchronizedList(new ArrayList<>());
  private final StatsCollector stats = new StatsCollector();
  private final List<Events.TaskTiming> timings = new ArrayList<>();
  private final AtomicBoolean interrupted = new AtomicBoolean();
  /** How long an interrupted run waits for its forks to stop their commands. */
  private static final long SETTLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
  private volatile ExecutorService pool;
  private boolean aborted;
  private StepPrompt stepPrompt = PlaybookRunner::askOnTerminal;

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

  /** Replaces how {@code --step} asks (the default reads a line from the terminal). */
  public PlaybookRunner stepPrompt(StepPrompt prompt) {
    this.stepPrompt = prompt;
    return this;
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

  /** What the plays of a run share: settings, host states, the pool, the output. */
  final class Shared {
    final ModuleRegistry modules = PlaybookRunner.this.modules;
    final RunOptions options = PlaybookRunner.this.options;
    final RunListener listener = PlaybookRunner.this.listener;
    final ConnectionSource connections = PlaybookRunner.this.connections;
    final Templar templar = PlaybookRunner.this.templar;
    final Map<String, HostState> hosts = PlaybookRunner.this.hosts;
    final AtomicBoolean interrupted = PlaybookRunner.this.interrupted;
    final Tags tags = new Tags(options.tags(), options.skipTags());
    final PlaybookParser parser = new PlaybookParser(modules, options.rolesPath());
    final ExecutorService pool;
    final Variables variables;
    volatile String startAt = options.startAtTask();
    volatile boolean aborted;
    private volatile boolean stepping = options.step();

    Shared(ExecutorService pool, Variables variables) {
      this.pool = pool;
      this.variables = variables;
    }

    void emit(Runnable event) {
      PlaybookRunner.this.emit(event);
    }

    Inventory inventory() {
      return PlaybookRunner.this.inventory;
    }

    /**
     * {@code meta: refresh_inventory}: reads the inventory sources again. As in Ansible, the running play keeps its
     * hosts; its later tasks see the new groups and variables, and later plays select from the new inventory.
     */
    void refreshInventory() throws SourceException {
      synchronized (PlaybookRunner.this) {
        Inventory fresh = PlaybookRunner.this.inventory.reload();
        PlaybookRunner.this.inventory = fresh;
        variables.inventory(fresh);
      }
    }

    /** Counts, times and shows one host's result. */
    void report(HostResult result, Task task) {
      stats.hostResult(result);
      synchronized (timings) {
        timings.add(new Events.TaskTiming(result.task(), result.host(), task.mark(), result.elapsed()));
      }
      emit(() -> listener.hostResult(result));
    }

    /** An include_tasks brought a file in: counted as ok for its hosts, as Ansible does. */
    void included(Events.Included e) {
      stats.included(e);
      emit(() -> listener.included(e));
    }

    /** {@code --step}: whether to run the task. */
    synchronized boolean step(String task) {
      if (!stepping) {
        return true;
      }
      StepAnswer a = stepPrompt.ask(task);
      if (a == StepAnswer.CONTINUE) {
        stepping = false;
      }
      return a != StepAnswer.NO;
    }

    /** Waits for the forks; on Ctrl-C, only as long as they take to stop their commands on the targets. */
    void await(List<Future<?>> futures) {
      for (Future<?> f : futures) {
        while (true) {
          try {
            f.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            break;
          } catch (java.util.concurrent.TimeoutException e) {
            if (interrupted.get()) {
              settle(futures);
              return;
            }
          } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            interrupted.set(true);
            settle(futures);
            return;
          } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a task runner failed", e.getCause());
          }
        }
      }
    }

    /**
     * The run was interrupted: the forks were told to stop (their commands get a signal on the target, see
     * Exchange). Give them a few seconds to do so, else the process would exit with those commands still running
     * on the hosts; a fork stuck on a dead link is not waited for longer than that.
     */
    private void settle(List<Future<?>> futures) {
      long deadline = System.nanoTime() + SETTLE_NANOS;
      for (Future<?> f : futures) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          f.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException
            | java.util.concurrent.CancellationException e) {
          // Stopped, failed or still stuck: either way the run ends now.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Runs the playbooks in order; host errors are results, not exceptions. */
  public RunSummary run(List<Playbook> playbooks) throws SourceException {
    Instant start = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(options.forks(), daemonThreads("jplay-fork-"));
    this.pool = pool;
    try {
      for (Playbook playbook : playbooks) {
        if (aborted) {
          break;
        }
        emit(() -> listener.playbookStarted(
            new Events.PlaybookStarted(playbook.file().toString(), options.check(), options.diff())));
        Map<String, Object> runMagic = new LinkedHashMap<>();
        runMagic.put("playbook_dir", playbook.dir().toString());
        runMagic.put("ansible_check_mode", options.check());
        runMagic.put("ansible_diff_mode", options.diff());
        runMagic.put("ansible_verbosity", options.verbosity());
        Shared shared = new Shared(pool, new Variables(inventory, hosts, options.extraVars(), runMagic, templar));
        shared.aborted = aborted;
        for (Play play : playbook.plays()) {
          if (interrupted.get() || aborted) {
            break;
          }
          runPlay(shared, play);
          aborted |= shared.aborted;
        }
      }
    } finally {
      pool.shutdownNow();
      connections.close();
    }
    // Every host that was in a play has a recap line, even one that never got a result.
    Map<String, HostStats> recap = new LinkedHashMap<>();
    List<String> order;
    synchronized (hostOrder) {
      order = List.copyOf(hostOrder);
    }
    order.forEach(h -> recap.put(h, stats.stats(h)));
    stats.stats().forEach(recap::putIfAbsent);
    Duration elapsed = Duration.between(start, Instant.now());
    Events.RunFinished finished = new Events.RunFinished(recap, elapsed, List.copyOf(timings), interrupted.get());
    emit(() -> listener.runFinished(finished));
    Set<String> failed = new LinkedHashSet<>();
    Set<String> unreachable = new LinkedHashSet<>();
    hosts.forEach((name, state) -> {
      if (state.unreachable) {
        unreachable.add(name);
      } else if (state.failed) {
        failed.add(name);
      }
    });
    return new RunSummary(recap, interrupted.get(), failed, unreachable);
  }

  /**
   * Keywords of the play itself that Ansible renders once, before the play runs (its post_validate), with the
   * play's variables and extra vars. Keywords the tasks inherit (become, ignore_errors, ...) stay templates here
   * and are rendered per task and host, with the task's variables; so do gather_subset, gather_timeout and
   * fact_path, which are the fact gathering's arguments (Ansible renders them per host too).
   */
  private static final List<String> PLAY_KEYWORDS = List.of("serial", "max_fail_percentage", "any_errors_fatal",
      "gather_facts", "force_handlers", "strategy");

  /** The play with its name, hosts and play keywords rendered; a template error names the play. */
  private Play rendered(Shared shared, Play play) throws SourceException {
    boolean any = Args.holdsTemplate(play.name()) || Args.holdsTemplate(play.hosts())
        || PLAY_KEYWORDS.stream().anyMatch(k -> Args.holdsTemplate(play.keywords().get(k)));
    if (!any) {
      return play;
    }
    List<Role> roles = new ArrayList<>();
    PlayRun.collectRoles(play.roles(), roles);
    Map<String, Object> vars = shared.variables.forPlay(play.vars(), roles);
    String what = "name";
    try {
      String name = play.name() == null ? null : String.valueOf(Variables.resolved(templar.render(play.name(), vars)));
      what = "hosts";
      Object hostsValue = Variables.resolved(templar.render(play.hosts(), vars));
      String hostsPattern = hostsValue instanceof List<?> l
          ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(hostsValue);
      Map<String, Object> keywords = new LinkedHashMap<>(play.keywords());
      for (String k : PLAY_KEYWORDS) {
        if (keywords.get(k) != null) {
          what = k;
          keywords.put(k, Variables.resolved(templar.render(keywords.get(k), vars)));
        }
      }
      return new Play(name, hostsPattern, play.vars(), play.varsFiles(), play.preTasks(), play.roles(), play.body(),
          play.postTasks(), play.handlers(), keywords, play.mark(), play.dir());
    } catch (TemplateException | RuntimeException e) {
      throw new SourceException(play.mark(), "the play's '" + what + "' cannot be rendered: " + e.getMessage()
          + " (only extra vars (-e), the play's vars and its roles' defaults and vars are known this early)");
    }
  }

  private void runPlay(Shared shared, Play given) throws SourceException {
    Play play = rendered(shared, given);
    List<String> selected = select(play);
    for (String h : selected) {
      if (hosts.putIfAbsent(h, new HostState(h)) == null) {
        hostOrder.add(h);
      }
      // meta: end_host and clear_host_errors hold for one play only.
      hosts.get(h).ended = false;
    }
    List<List<String>> batches = Batches.split(selected, play.keywords().get("serial"));
    if (batches.isEmpty()) {
      emit(() -> listener.playStarted(new Events.PlayStarted(play.displayName(), play.hosts(), List.of(), play.mark())));
      emit(() -> listener.warning("no hosts matched the pattern '" + play.hosts() + "'; skipping the play"
          + inventory.suggest(play.hosts()).map(s -> " (did you mean '" + s + "'?)").orElse("")));
      return;
    }
    for (List<String> batch : batches) {
      if (interrupted.get()) {
        return;
      }
      List<String> active = batch.stream().filter(h -> hosts.get(h).active()).toList();
      PlayRun run = new PlayRun(shared, play, selected, batch);
      if (!active.isEmpty()) {
        run.readStaticVarsFiles();
      }
      emit(() -> listener.playStarted(new Events.PlayStarted(play.displayName(), play.hosts(), active, play.mark())));
      if (active.isEmpty()) {
        continue;
      }
      run.run();
      if (run.aborted()) {
        // any_errors_fatal or max_fail_percentage: Ansible ends the whole run, not just the play.
        shared.aborted = true;
        emit(listener::noMoreHosts);
        return;
      }
      if (run.endedPlay()) {
        return;
      }
    }
  }

  private List<String> select(Play play) throws SourceException {
    Set<String> names = new LinkedHashSet<>();
    Inventory inventory = this.inventory;
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

  /**
   * The play's host pattern, rendered when it is a template ({@code hosts: "{{ target }}"} with {@code -e
   * target=web}), as Ansible does, from the extra vars and the play's own vars. An undefined name stops the run
   * before any host is contacted, instead of quietly matching no host.
   */
  private synchronized void emit(Runnable event) {
    event.run();
  }

  /** Ansible's --step question, on the terminal: y runs the task, c runs it and stops asking, anything else skips. */
  private static StepAnswer askOnTerminal(String task) {
    System.out.print("Perform task: TASK: " + task + " (N)o/(y)es/(c)ontinue: ");
    System.out.flush();
    try {
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
      String line = in.readLine();
      String a = line == null ? "" : line.strip().toLowerCase(java.util.Locale.ROOT);
      return a.startsWith("y") ? StepAnswer.YES : a.startsWith("c") ? StepAnswer.CONTINUE : StepAnswer.NO;
    } catch (java.io.IOException e) {
      return StepAnswer.NO;
    }
  }

  static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
