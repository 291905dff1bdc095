package jplay.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.connection.Become;
import jplay.engine.connection.BecomeException;
import jplay.engine.connection.Connection;
import jplay.engine.connection.Target;
import jplay.engine.connection.UnreachableException;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;

/** The {@link ModuleContext} of one task on one host: facts are read through the host's connection, lazily. */
final class TaskContext implements ModuleContext {
  /** The host went away while the module was planning; carries the cause up through module code. */
  static final class Unreachable extends RuntimeException {
    final transient UnreachableException cause;

    Unreachable(UnreachableException cause) {
      super(cause.getMessage(), cause);
      this.cause = cause;
    }
  }

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
      int connectionRetries) {
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
    CommandResult result = run(fact.probe());
    T value = fact.parser().apply(result);
    factCache.put(fact.key(), value);
    return value;
  }

  /** Runs one command with the task's become, environment and timeout. */
  CommandResult run(Command command) {
    Command c = environment.isEmpty() ? command : command.withEnv(merged(command.env()));
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
    List<Command> withEnv = environment.isEmpty() ? commands
        : commands.stream().map(c -> c.withEnv(merged(c.env()))).toList();
    CommandBatch batch = CommandBatch.of(withEnv);
    return batch.split(run(batch.command()));
  }

  /** Reopens the host's connection and probes it; unreachable is an empty answer here (see ModuleContext). */
  @Override
  public Optional<CommandResult> reconnect(Command probe, Duration connectTimeout) {
    Command c = environment.isEmpty() ? probe : probe.withEnv(merged(probe.env()));
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
    try {
      return String.valueOf(templar.renderText(template, vars, jplay.engine.template.TemplateContext.CURRENT_DIRECTORY, jplay.engine.template.Templar.TextOptions.JINJA2));
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
