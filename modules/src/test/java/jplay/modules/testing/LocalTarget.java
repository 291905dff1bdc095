package jplay.modules.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.template.TemplateContext;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;

/**
 * This machine as a module's target, for tests against real tools: probes and planned commands run with
 * {@code /bin/sh -c} the way the engine runs a plan (in order, stopping at the first non-zero exit, then interpret;
 * in check mode nothing runs). Optionally each command runs under a prefix ({@code ip netns exec NAME},
 * {@code unshare --uts --mount}), in a working directory, with extra environment variables.
 *
 * <pre>{@code
 * LocalTarget host = LocalTarget.builder().dir(tmp).vars(Map.of("x", 1)).build();
 * Outcome o = host.apply(new CopyModule(), Map.of("content", "a\n", "dest", "f"));
 * }</pre>
 */
public final class LocalTarget implements AutoCloseable {
  private static final Templar TEMPLAR = new Templar();

  private final Path dir;
  private final Path base;
  private final Map<String, Object> vars;
  private final Map<String, String> env;
  private final List<String> prefix;
  private final String host;
  private final boolean checkMode;
  private final boolean diffMode;
  private final boolean moduleErrorsFail;
  private final Duration timeout;
  private final Runnable onClose;
  private volatile List<Command> ran = List.of();
  private volatile List<String> probes = List.of();

  private LocalTarget(Builder b) {
    this.dir = b.dir;
    this.base = b.base != null ? b.base : b.dir;
    this.vars = b.vars;
    this.env = Map.copyOf(b.env);
    this.prefix = List.copyOf(b.prefix);
    this.host = b.host;
    this.checkMode = b.checkMode;
    this.diffMode = b.diffMode;
    this.moduleErrorsFail = b.moduleErrorsFail;
    this.timeout = b.timeout;
    this.onClose = b.onClose;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This machine as it is: the test's working directory, no variables, diff mode on. */
  public static LocalTarget local() {
    return builder().build();
  }

  /** Runs in {@code dir}, where controller-side files also resolve. */
  public static LocalTarget in(Path dir) {
    return builder().dir(dir).build();
  }

  /** What one task did: its plan (null when planning failed), outcome, and the probes and commands it ran. */
  public record Run(Plan plan, Outcome outcome, List<String> probes, List<Command> ran) {
    public boolean changed() {
      return outcome.changed();
    }

    /** The plan's commands, empty for a noop. */
    public List<Command> commands() {
      return plan instanceof Plan.Change c ? c.commands() : List.of();
    }

    public Diff diff() {
      return plan instanceof Plan.Change c ? c.diff() : null;
    }

    public String diffBefore() {
      return diff() != null ? diff().before() : null;
    }

    public String diffAfter() {
      return diff() != null ? diff().after() : null;
    }
  }

  /** Every planned command the last {@link #run(Module, Map, boolean)} ran, probes excluded. */
  public List<Command> ran() {
    return ran;
  }

  /** The probe scripts the last plan asked for, in order. */
  public List<String> probes() {
    return probes;
  }

  /** Runs one command (under the prefix); fails the test if it cannot start or outlasts the timeout. */
  public CommandResult run(Command c) {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(List.of("/bin/sh", "-c", c.script()));
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    pb.environment().putAll(c.env());
    try {
      Instant start = Instant.now();
      Process p = pb.start();
      // Both pipes are read on the side: a chatty command filling one must not block on the other.
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        in.write(c.stdin());
      } catch (IOException e) {
        // As the engine: a script that exits without reading its stdin is not an error in itself.
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("did not finish within " + timeout + ": " + argv);
      }
      return new CommandResult(p.exitValue(), out.join(), err.join(), start, Instant.now());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + argv + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        r -> {
          Thread t = new Thread(r, "local-target-drain");
          t.setDaemon(true);
          t.start();
        });
  }

  /** Runs a script and returns its stdout, failing the test when it fails. */
  public String sh(String script) {
    CommandResult r = run(Command.of(script));
    assertEquals(0, r.rc(), script + ": " + r.stderr());
    return r.stdout();
  }

  /** Plans {@code module} with {@code args} against this machine, running its probes only. */
  public Plan plan(Module module, Map<String, ?> args) {
    return plan(module, args, checkMode);
  }

  private Plan plan(Module module, Map<String, ?> args, boolean check) {
    Args bound;
    try {
      bound = Args.bind(module.spec(), new LinkedHashMap<>(args), false);
    } catch (ArgsException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    List<String> asked = new ArrayList<>();
    probes = asked;
    return module.plan(new Context(bound, check, asked));
  }

  /** Plans and applies in this target's mode (see {@link #run(Module, Map, boolean)}). */
  public Run run(Module module, Map<String, ?> args) {
    return run(module, args, checkMode);
  }

  /**
   * Plans and, unless {@code check}, applies the plan. A module error propagates, or becomes a failed outcome (as
   * the engine reports it) when the builder asked for {@link Builder#moduleErrorsFail}.
   */
  public Run run(Module module, Map<String, ?> args, boolean check) {
    ran = List.of();
    Plan plan;
    try {
      plan = plan(module, args, check);
    } catch (ModuleException e) {
      if (!moduleErrorsFail) {
        throw e;
      }
      return new Run(null, Outcome.failed(e.getMessage(), e.data()), probes, List.of());
    }
    if (plan instanceof Plan.Noop noop) {
      return new Run(plan, noop.outcome(), probes, List.of());
    }
    Plan.Change change = (Plan.Change) plan;
    if (check) {
      return new Run(plan, change.checkOutcome(), probes, List.of());
    }
    List<Command> done = new ArrayList<>();
    ran = done;
    List<CommandResult> results = new ArrayList<>();
    for (Command c : change.commands()) {
      done.add(c);
      CommandResult r = run(c);
      results.add(r);
      if (!r.ok()) {
        break;
      }
    }
    return new Run(plan, change.interpret().apply(results), probes, List.copyOf(done));
  }

  public Outcome apply(Module module, Map<String, ?> args) {
    return run(module, args).outcome();
  }

  public Outcome apply(Module module, Map<String, ?> args, boolean check) {
    return run(module, args, check).outcome();
  }

  @Override
  public void close() {
    onClose.run();
  }

  /**
   * Renders a template as the engine's task context does: Jinja2's own whitespace defaults, lookups against the
   * current directory, a template error as a {@link ModuleException}. For other test contexts too.
   */
  public static String render(String template, Map<String, Object> vars) {
    try {
      return TEMPLAR.renderText(template, vars, TemplateContext.CURRENT_DIRECTORY, Templar.TextOptions.JINJA2);
    } catch (TemplateException e) {
      throw new ModuleException(e.getMessage());
    }
  }

  private final class Context implements ModuleContext {
    private final Args args;
    private final boolean check;
    private final List<String> asked;

    Context(Args args, boolean check, List<String> asked) {
      this.args = args;
      this.check = check;
      this.asked = asked;
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
    public <T> T fact(Fact<T> fact) {
      asked.add(fact.probe().script());
      return fact.parser().apply(run(fact.probe()));
    }

    @Override
    public boolean checkMode() {
      return check;
    }

    @Override
    public boolean diffMode() {
      return diffMode;
    }

    @Override
    public Map<String, Object> vars() {
      return vars;
    }

    @Override
    public Object evaluate(String expression) {
      throw new AssertionError("no expressions on the local test target: " + expression);
    }

    @Override
    public String render(String template) {
      return LocalTarget.render(template, vars);
    }

    @Override
    public Path localPath(String name) {
      return base == null ? Path.of(name) : base.resolve(name);
    }
  }

  /** Settings for a {@link LocalTarget}; every one has a default that suits a plain local test. */
  public static final class Builder {
    private Path dir;
    private Path base;
    private Map<String, Object> vars = Map.of();
    private Map<String, String> env = Map.of();
    private List<String> prefix = List.of();
    private String host = "localhost";
    private boolean checkMode;
    private boolean diffMode = true;
    private boolean moduleErrorsFail;
    private Duration timeout = Duration.ofMinutes(5);
    private Runnable onClose = () -> {};

    private Builder() {}

    /** The working directory of every command, and where controller-side files resolve unless {@link #base}. */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Where controller-side file names resolve (the role's or playbook's folder). */
    public Builder base(Path base) {
      this.base = base;
      return this;
    }

    /** The host's variables, for templates. */
    public Builder vars(Map<String, Object> vars) {
      this.vars = vars;
      return this;
    }

    /** Extra environment on every command (a PATH with wrappers, say); a command's own env wins. */
    public Builder env(Map<String, String> env) {
      this.env = env;
      return this;
    }

    /** Words put before {@code /bin/sh -c SCRIPT} on every command: {@code ip netns exec NAME}, say. */
    public Builder prefix(String... words) {
      this.prefix = List.of(words);
      return this;
    }

    /** The inventory name modules see. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The mode of {@link #run(Module, Map)}, {@link #apply(Module, Map)} and {@link #plan}. */
    public Builder checkMode(boolean checkMode) {
      this.checkMode = checkMode;
      return this;
    }

    public Builder diffMode(boolean diffMode) {
      this.diffMode = diffMode;
      return this;
    }

    /** A module error while planning becomes a failed outcome, as the engine reports it, instead of propagating. */
    public Builder moduleErrorsFail(boolean moduleErrorsFail) {
      this.moduleErrorsFail = moduleErrorsFail;
      return this;
    }

    /** How long one command may run before the test fails (and the command is killed). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** What {@link LocalTarget#close} does: removing a namespace made for the target, say. */
    public Builder onClose(Runnable onClose) {
      this.onClose = onClose;
      return this;
    }

    public LocalTarget build() {
      return new LocalTarget(this);
    }
  }
}
