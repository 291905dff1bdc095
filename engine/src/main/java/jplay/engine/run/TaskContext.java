package jplay.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.connection.Become;
import jplay.engine.connection.BecomeException;
import jplay.engine.connection.Connection;
import jplay.engine.connection.Target;
import jplay.engine.connection.UnreachableException;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;

/**
 * The {@link ModuleContext} of one task on one host: facts are read through the host's connection, lazily.
 *
 * <p>A task whose facts can all be guessed ({@link Fact.Guess}) may instead be planned from the guesses and sent
 * as one round trip, probes and change together, the change guarded by the probes printing what was guessed
 * ({@link #speculate}). A new file's task then takes one round trip instead of two; when a guess misses, the change
 * does not run and the probes' results serve the usual planning, so a miss costs no round trip either.
 */
final class TaskContext implements ModuleContext {
  /** The host went away while the module was planning; carries the cause up through module code. */
  static final class Unreachable extends RuntimeException {
    final transient UnreachableException cause;

    Unreachable(UnreachableException cause) {
      super(cause.getMessage(), cause);
      this.cause = cause;
    }
  }

  /** A fact without a guess, or a step that cannot be taken on guesses, while planning from guesses. */
  private static final class NoGuess extends RuntimeException {
    NoGuess() {
      super("no guess", null, false, false);
    }
  }

  /** A fact guessed while planning from guesses, with the output guessed and the value parsed from it. */
  private record Guessed(Fact<?> fact, String output, Object value) {}

  /** sudo refused while the module was planning. */
  static final class BecomeRefused extends RuntimeException {
    BecomeRefused(BecomeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private final Args args;
  private final String host;
  private final Target target;
  private final Become become;
  private final ConnectionSource connections;
  private final Map<String, String> environment;
  private final Duration timeout;
  private final boolean check;
  private final boolean diff;
  private final Map<String, Object> vars;
  private final Templar templar;
  private final List<Path> searchDirs;
  private final String module;
  private final int connectionRetries;
  private final Map<String, Object> factCache = new HashMap<>();
  /** The host's memory for guessing; null where nothing is guessed (a delegated task). */
  private final ProbeMemory memory;
  /** While planning from guesses: the facts guessed so far, by key; else null. */
  private Map<String, Guessed> guessing;
  /** A fact could not be guessed during this planning from guesses (even if the module caught the exception). */
  private boolean guessFailed;
  /** Probe results of a speculation that missed, taken by {@link #fact} instead of running the probe again. */
  private final Map<String, CommandResult> ranAhead = new HashMap<>();
  /** Texts rendered for this task ({@link #render}). */
  private final Map<String, String> rendered = new HashMap<>();

  TaskContext(
      Args args,
      String host,
      Target target,
      Become become,
      ConnectionSource connections,
      Map<String, String> environment,
      Duration timeout,
      boolean check,
      boolean diff,
      Map<String, Object> vars,
      Templar templar,
      List<Path> searchDirs,
      String module,
      int connectionRetries,
      ProbeMemory memory) {
    this.args = args;
    this.host = host;
    this.target = target;
    this.become = become;
    this.connections = connections;
    this.environment = environment;
    this.timeout = timeout;
    this.check = check;
    this.diff = diff;
    this.vars = java.util.Collections.unmodifiableMap(vars);
    this.templar = templar;
    this.searchDirs = List.copyOf(searchDirs);
    this.module = module;
    this.connectionRetries = connectionRetries;
    this.memory = memory;
  }

  @Override
  public Args args() {
    return args;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T fact(Fact<T> fact) {
    if (factCache.containsKey(fact.key())) {
      return (T) factCache.get(fact.key());
    }
    if (guessing != null) {
      return guessed(fact);
    }
    CommandResult result = ranAhead.remove(fact.key());
    if (result == null) {
      result = run(fact.probe());
    }
    if (memory != null) {
      memory.remember(fact, becomeUser(), result);
    }
    T value = fact.parser().apply(result);
    factCache.put(fact.key(), value);
    return value;
  }

  @SuppressWarnings("unchecked")
  private <T> T guessed(Fact<T> fact) {
    Guessed known = guessing.get(fact.key());
    if (known != null) {
      return (T) known.value();
    }
    String output = memory.guess(fact, becomeUser());
    if (output == null || fact.probe().stdin().length > 0 || fact.probe().isolated()) {
      guessFailed = true;
      throw new NoGuess();
    }
    Instant now = Instant.now();
    T value = fact.parser().apply(new CommandResult(0, output, "", now, now));
    guessing.put(fact.key(), new Guessed(fact, output, value));
    return value;
  }

  /**
   * The task's outcome from one round trip when its plan could be made from guessed facts: the probes run first,
   * each compared with its guess, and the change only when all of them printed what was guessed. Null when the task
   * is to be planned as usual: a fact without a guess, a plan that changes nothing or cannot go as one batch, or a
   * miss (whose probe results {@link #fact} then takes instead of running the probes again).
   */
  Outcome speculate(Module module) {
    if (memory == null || !module.plansFromGuesses() || !memory.worthTrying(this.module)) {
      return null;
    }
    Plan plan;
    Map<String, Guessed> guessed = new LinkedHashMap<>();
    guessing = guessed;
    guessFailed = false;
    long planning = System.nanoTime();
    try {
      plan = module.plan(this);
    } catch (RuntimeException e) {
      return null; // planned again as usual, which meets the same problem with real facts, or none
    } finally {
      guessing = null;
      planning = System.nanoTime() - planning;
    }
    if (guessFailed || guessed.isEmpty() || !(plan instanceof Plan.Change change) || change.commands().isEmpty()
        || change.commands().stream().anyMatch(Command::isolated)) {
      return null;
    }
    List<Command> probes = guessed.values().stream().map(g -> withTaskEnv(g.fact().probe())).toList();
    List<Command> commands = change.commands().stream().map(this::withTaskEnv).toList();
    List<Command> all = new ArrayList<>(probes);
    all.addAll(commands);
    if (!CommandBatch.fits(all)) {
      return null;
    }
    CommandBatch batch = CommandBatch.speculative(probes, guessed.values().stream().map(Guessed::output).toList(),
        commands);
    CommandResult whole = run(batch.command());
    List<CommandResult> results = batch.split(whole);
    List<Guessed> facts = List.copyOf(guessed.values());
    boolean hit = results.size() > facts.size();
    int finished = Math.min(batch.finished(whole), facts.size());
    for (int i = 0; i < finished; i++) {
      memory.remember(facts.get(i).fact(), becomeUser(), results.get(i));
      if (!hit) {
        ranAhead.put(facts.get(i).fact().key(), results.get(i));
      }
    }
    if (hit) {
      memory.hit(this.module);
      return change.interpret().apply(results.subList(facts.size(), results.size()));
    }
    memory.missed(this.module, planning);
    return null;
  }

  private Command withTaskEnv(Command c) {
    return environment.isEmpty() ? c : c.withEnv(merged(c.env()));
  }

  private String becomeUser() {
    return become == null ? null : become.user();
  }

  /** Runs one command with the task's become, environment and timeout. */
  CommandResult run(Command command) {
    Command c = withTaskEnv(command);
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          Connection connection = attempt == 0 ? connections.get(target) : connections.reopen(target, null);
          return connection.run(c, become, timeout);
        } catch (UnreachableException e) {
          connections.discard(target);
          // A command that may have started is never run again; a failed connect or channel open can be.
          if (!e.beforeCommand() || attempt >= connectionRetries) {
            throw new Unreachable(attempt == 0 ? e : new UnreachableException(
                e.getMessage() + " (after " + (attempt + 1) + " attempts)", e.getCause(), e.beforeCommand()));
          }
          Thread.sleep(1000L << Math.min(attempt, 4));
        }
      }
    } catch (BecomeException e) {
      throw new BecomeRefused(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException("interrupted");
    }
  }

  /**
   * Runs a change's commands in order up to the first failure, as one round trip where {@link CommandBatch} allows;
   * the results of the commands that ran.
   */
  List<CommandResult> runAll(List<Command> commands) {
    if (!CommandBatch.fits(commands)) {
      List<CommandResult> results = new java.util.ArrayList<>();
      for (Command command : commands) {
        CommandResult r = run(command);
        results.add(r);
        if (!r.ok()) {
          break;
        }
      }
      return results;
    }
    List<Command> withEnv = commands.stream().map(this::withTaskEnv).toList();
    CommandBatch batch = CommandBatch.of(withEnv);
    return batch.split(run(batch.command()));
  }

  /** Reopens the host's connection and probes it; unreachable is an empty answer here (see ModuleContext). */
  @Override
  public Optional<CommandResult> reconnect(Command probe, Duration connectTimeout) {
    refuseWhileGuessing();
    Command c = withTaskEnv(probe);
    try {
      Connection connection = connections.reopen(target, connectTimeout);
      return Optional.of(connection.run(c, become, timeout));
    } catch (UnreachableException e) {
      connections.discard(target);
      return Optional.empty();
    } catch (BecomeException e) {
      throw new BecomeRefused(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException("interrupted");
    }
  }

  /** Writes through a temp file in the same folder, renamed into place, so a reader never sees half a file. */
  @Override
  public void writeLocal(Path path, byte[] content) {
    refuseWhileGuessing();
    Path file = path.toAbsolutePath().normalize();
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      // The fetched copy gets the usual rw-r--r--, or keeps the old one's mode.
      jplay.engine.api.LocalFiles.replace(file, content,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (java.io.IOException e) {
      throw new ModuleException("cannot write " + file + " on the controller: "
          + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString()));
    }
  }

  /** What acts on a host or on the controller has no place in a plan made from guesses. */
  private void refuseWhileGuessing() {
    if (guessing != null) {
      guessFailed = true;
      throw new NoGuess();
    }
  }

  private Map<String, String> merged(Map<String, String> commandEnv) {
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(commandEnv);
    return env;
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
    return vars;
  }

  @Override
  public Object evaluate(String expression) {
    try {
      return templar.evaluate(expression, vars);
    } catch (TemplateException e) {
      throw new ModuleException(e.getMessage());
    }
  }

  @Override
  public String render(String template) {
    // Kept for the task: a plan made again after a missed guess renders nothing twice, and sees the same text.
    String done = rendered.get(template);
    if (done != null) {
      return done;
    }
    try {
      done = String.valueOf(templar.renderText(template, vars, jplay.engine.template.TemplateContext.CURRENT_DIRECTORY, jplay.engine.template.Templar.TextOptions.JINJA2));
      rendered.put(template, done);
      return done;
    } catch (TemplateException e) {
      // "line N: ..." lets a module that rendered a file name the line of that file (template: src.j2:N: ...).
      throw new ModuleException(e.line() > 0 ? "line " + e.line() + ": " + e.getMessage() : e.getMessage());
    }
  }

  /**
   * Ansible's search for a controller file: in each base folder (the role's, the task file's, the playbook's), first
   * its {@code templates/} (for the template module) or {@code files/} folder, then the folder itself. A name found
   * nowhere resolves to the first place looked at, so that the error names a sensible path.
   */
  @Override
  public Path localPath(String name) {
    Path p = Path.of(name);
    if (p.isAbsolute()) {
      return p;
    }
    List<Path> candidates = candidates(searchDirs, "template".equals(module) ? "templates" : "files", name);
    for (Path c : candidates) {
      if (java.nio.file.Files.exists(c)) {
        return c;
      }
    }
    return candidates.isEmpty() ? p : candidates.get(0);
  }

  /** {@code base/sub/name} then {@code base/name} for each base, in order. */
  static List<Path> candidates(List<Path> bases, String sub, String name) {
    List<Path> out = new java.util.ArrayList<>();
    for (Path base : bases) {
      out.add(base.resolve(sub).resolve(name));
      out.add(base.resolve(name));
    }
    return out;
  }
}
