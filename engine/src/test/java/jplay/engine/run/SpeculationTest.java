package jplay.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.connection.Become;
import jplay.engine.connection.Connection;
import jplay.engine.connection.Connections;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.connection.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TaskContext#speculate} on the local /bin/sh: which tasks go as one round trip, and that a miss, a fact
 * without a guess or a module that does not plan from guesses end up exactly as the usual planning would.
 */
class SpeculationTest {
  @TempDir Path dir;

  private final Target local =
      new Target("localhost", "localhost", 0, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null);
  private final List<String> sent = new ArrayList<>();
  private Connection connection;
  private final ProbeMemory memory = new ProbeMemory();

  @BeforeEach
  void open() throws Exception {
    Connection real = Connections.open(local);
    connection = new Connection() {
      @Override
      public CommandResult run(Command command, Become become, Duration timeout) throws
          jplay.engine.connection.UnreachableException, jplay.engine.connection.BecomeException, InterruptedException {
        sent.add(command.script());
        return real.run(command, become, timeout);
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  @AfterEach
  void close() {
    connection.close();
  }

  private TaskContext context() {
    ConnectionSource source = new ConnectionSource() {
      @Override
      public Connection get(Target target) {
        return connection;
      }

      @Override
      public void discard(Target target) {}

      @Override
      public void close() {}
    };
    return new TaskContext(null, "h", local, null, source, Map.of(), null, false, false, Map.of(), null, List.of(),
        "test", 0, memory);
  }

  private Outcome execute(Module module) {
    return TaskRunner.execute(module, context(), false);
  }

  /** "state X" for a path: "new" when it does not exist; guessed from an earlier state line as "new". */
  private static Fact<String> state(Path p) {
    return new Fact<>("state " + p, Command.of("if [ -e '" + p + "' ]; then echo 'state old'; else echo 'state new'; fi"),
        r -> r.stdout().strip(), new Fact.Guess("state", earlier -> earlier != null && earlier.startsWith("state ") ? "state new\n" : null));
  }

  /** Creates a file when it is new; counts its plans. */
  private static final class Create implements Module {
    final Path path;
    final boolean fromGuesses;
    final AtomicInteger plans = new AtomicInteger();
    Function<ModuleContext, Object> alsoReads = ctx -> null;

    Create(Path path, boolean fromGuesses) {
      this.path = path;
      this.fromGuesses = fromGuesses;
    }

    @Override
    public ModuleSpec spec() {
      return ModuleSpec.builder("create").build();
    }

    @Override
    public boolean plansFromGuesses() {
      return fromGuesses;
    }

    @Override
    public Plan plan(ModuleContext ctx) {
      plans.incrementAndGet();
      alsoReads.apply(ctx);
      if (ctx.fact(state(path)).equals("state old")) {
        return Plan.noop("there", Map.of());
      }
      return Plan.change(List.of(Command.of("echo made > '" + path + "'")), null, Map.of("made", true));
    }
  }

  @Test
  void aNewPathAfterTheFirstProbeTakesOneRoundTrip() throws Exception {
    Outcome first = execute(new Create(dir.resolve("a"), true));
    assertTrue(first.changed());
    assertEquals(2, sent.size(), "nothing to guess from yet: the probe, then the change");
    sent.clear();
    Outcome second = execute(new Create(dir.resolve("b"), true));
    assertTrue(second.changed());
    assertEquals(1, sent.size(), "probe and change in one batch");
    assertEquals("made\n", Files.readString(dir.resolve("b")));
  }

  @Test
  void aMissRunsNoChangeAndThePlanUsesTheProbesResult() throws Exception {
    execute(new Create(dir.resolve("a"), true));
    Files.writeString(dir.resolve("b"), "kept\n");
    sent.clear();
    Create b = new Create(dir.resolve("b"), true);
    Outcome o = execute(b);
    assertFalse(o.changed());
    assertEquals(1, sent.size(), "the speculative batch's probe result served the usual planning");
    assertEquals(2, b.plans.get());
    assertEquals("kept\n", Files.readString(dir.resolve("b")));
  }

  @Test
  void aFactWithoutAGuessEndsTheSpeculationEvenWhenTheModuleCatchesIt() throws Exception {
    execute(new Create(dir.resolve("a"), true));
    sent.clear();
    Create b = new Create(dir.resolve("b"), true);
    Fact<String> unguessed = Fact.of("other", Command.of("echo other"), CommandResult::stdout);
    b.alsoReads = ctx -> {
      try {
        return ctx.fact(unguessed);
      } catch (RuntimeException e) {
        return null; // a module that swallows errors must not turn a missing guess into a plan
      }
    };
    assertTrue(execute(b).changed());
    assertEquals(3, sent.size(), "as usual: both probes, then the change");
  }

  @Test
  void aModuleThatDoesNotPlanFromGuessesIsPlannedOnce() throws Exception {
    execute(new Create(dir.resolve("a"), true));
    sent.clear();
    Create b = new Create(dir.resolve("b"), false);
    assertTrue(execute(b).changed());
    assertEquals(1, b.plans.get());
    assertEquals(2, sent.size());
  }

  @Test
  void onlyCostlyMissesPauseGuessingForThatModule() {
    ProbeMemory m = new ProbeMemory();
    for (int i = 0; i < 20; i++) {
      assertTrue(m.worthTrying("file"));
      m.missed("file", 10_000); // a cheap plan: its miss costs less than a round trip
    }
    for (int i = 0; i < ProbeMemory.MISSES_BEFORE_PAUSE; i++) {
      assertTrue(m.worthTrying("template"));
      m.missed("template", 5_000_000);
    }
    List<Boolean> tries = new ArrayList<>();
    for (int i = 0; i < 2 * ProbeMemory.PAUSE; i++) {
      tries.add(m.worthTrying("template"));
    }
    assertEquals(2, tries.stream().filter(t -> t).count(), tries::toString);
    assertTrue(m.worthTrying("file"), "another module guesses on");
    m.hit("template");
    assertTrue(m.worthTrying("template"));
  }

  @Test
  void aGuessThatNeedsAnEarlierProbeWaitsForOne() {
    assertNull(new ProbeMemory().guess(state(dir.resolve("x")), null));
    assertNull(context().speculate(new Create(dir.resolve("x"), true)));
    assertTrue(sent.isEmpty());
  }
}
