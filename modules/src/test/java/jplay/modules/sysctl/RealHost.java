package jplay.modules.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import org.junit.jupiter.api.Assumptions;

/**
 * This machine as the target, optionally inside a network namespace of its own ({@code ip netns exec NAME sh -c}),
 * so real {@code sysctl} can change per-namespace keys (net.ipv4.ip_forward) without touching the host's. Plans and
 * applies a module the way the engine does: probes, then the commands in order up to the first failure, then
 * interpret; in check mode the check outcome, with nothing run.
 */
public final class RealHost implements AutoCloseable {
  private final String netns;
  /** Every command the last {@link #apply} ran, probes excluded. */
  public final List<Command> ran = new ArrayList<>();

  private RealHost(String netns) {
    this.netns = netns;
  }

  /** This machine, as it is. */
  public static RealHost local() {
    return new RealHost(null);
  }

  /**
   * A fresh network namespace, removed by {@link #close}. Needs root: outside CI a non-root run skips with a
   * message; under CI=true (where tests run as root) it fails.
   */
  public static RealHost namespace() {
    requireRoot();
    String name = "jplay-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    CommandResult r = exec(List.of("ip", "netns", "add", name), null, Map.of());
    if (!r.ok()) {
      fail("cannot create network namespace " + name + ": " + r.stderr().strip());
    }
    return new RealHost(name);
  }

  public static void requireRoot() {
    boolean root = exec(List.of("id", "-u"), null, Map.of()).stdout().strip().equals("0");
    if (!root && "true".equals(System.getenv("CI"))) {
      fail("these tests need root (CI runs as root): network namespaces and sysctl");
    }
    Assumptions.assumeTrue(root, "not root: the real sysctl and network namespace tests need root");
  }

  @Override
  public void close() {
    if (netns != null) {
      CommandResult r = exec(List.of("ip", "netns", "del", netns), null, Map.of());
      assertEquals(0, r.rc(), "ip netns del " + netns + ": " + r.stderr());
    }
  }

  public CommandResult run(Command c) {
    List<String> argv = new ArrayList<>();
    if (netns != null) {
      argv.addAll(List.of("ip", "netns", "exec", netns));
    }
    argv.addAll(List.of("/bin/sh", "-c", c.script()));
    return exec(argv, c.stdin(), c.env());
  }

  /** Runs a script and returns its stdout, failing the test when it fails. */
  public String sh(String script) {
    CommandResult r = run(Command.of(script));
    assertEquals(0, r.rc(), script + ": " + r.stderr());
    return r.stdout();
  }

  private static CommandResult exec(List<String> argv, byte[] stdin, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().putAll(env);
    try {
      Instant start = Instant.now();
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      return new CommandResult(rc, out, err, start, Instant.now());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + argv + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public Outcome apply(Module module, Map<String, ?> args) {
    return apply(module, args, false);
  }

  /** Plans {@code module} here and applies the plan (or, in check mode, only reports it). */
  public Outcome apply(Module module, Map<String, ?> args, boolean check) {
    ran.clear();
    Plan plan = module.plan(context(module, args, check));
    if (plan instanceof Plan.Noop noop) {
      return noop.outcome();
    }
    Plan.Change change = (Plan.Change) plan;
    if (check) {
      return change.checkOutcome();
    }
    List<CommandResult> results = new ArrayList<>();
    for (Command c : change.commands()) {
      ran.add(c);
      CommandResult r = run(c);
      results.add(r);
      if (!r.ok()) {
        break;
      }
    }
    return change.interpret().apply(results);
  }

  private ModuleContext context(Module module, Map<String, ?> args, boolean check) {
    Args bound;
    try {
      bound = Args.bind(module.spec(), args, false);
    } catch (ArgsException e) {
      throw new AssertionError(e.getMessage(), e);
    }
    return new ModuleContext() {
      @Override
      public Args args() {
        return bound;
      }

      @Override
      public String host() {
        return netns == null ? "localhost" : netns;
      }

      @Override
      public <T> T fact(Fact<T> fact) {
        return fact.parser().apply(run(fact.probe()));
      }

      @Override
      public boolean checkMode() {
        return check;
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
        throw new AssertionError("no expressions on the real test host");
      }

      @Override
      public String render(String template) {
        throw new AssertionError("no templates on the real test host");
      }

      @Override
      public Path localPath(String name) {
        return Path.of(name);
      }
    };
  }
}
