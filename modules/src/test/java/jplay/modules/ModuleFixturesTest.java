package jplay.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every fixture under {@code fixtures/<module>/*.yml}: {@code args} and canned {@code facts} in, the planned
 * {@code commands} (or {@code noop}, or {@code error}) out, then the {@code outcome} after interpreting
 * {@code results} (or the check-mode outcome). Keys: args, check_mode, diff_mode, vars, evaluate, facts
 * (key or probe script -> {rc, stdout, stderr}), probes, commands, stdin, noop, error, args_error, results
 * ([{rc, stdout, stderr, start, end}]), outcome ({changed, failed, skipped, msg, data}), diff ({before, after}).
 */
class ModuleFixturesTest {
  private static final ModuleRegistry REGISTRY = ModuleRegistry.discover();
  private static TimeZone saved;

  @BeforeAll
  static void utc() {
    // Ansible's start/end are local times; fixtures are written in UTC.
    saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
  }

  @AfterAll
  static void restore() {
    TimeZone.setDefault(saved);
  }

  static Stream<Path> fixtures() throws IOException, URISyntaxException {
    Path root = Path.of(ModuleFixturesTest.class.getResource("/fixtures").toURI());
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(all::add);
    }
    assertTrue(all.size() >= 40, "expected at least 40 fixtures, found " + all.size());
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  @SuppressWarnings("unchecked")
  void fixture(Path file) throws SourceException {
    String where = file.getParent().getFileName() + "/" + file.getFileName();
    Node node = YamlLoader.load(file).orElseThrow(() -> new AssertionError(where + " is empty"));
    Map<String, Object> f = (Map<String, Object>) node.toPlain();
    for (String key : f.keySet()) {
      if (!List.of("description", "args", "check_mode", "diff_mode", "vars", "evaluate", "facts", "probes",
              "commands", "stdin", "noop", "error", "args_error", "results", "outcome", "diff")
          .contains(key)) {
        fail(where + ": unknown fixture key '" + key + "'");
      }
    }
    String moduleName = file.getParent().getFileName().toString();
    Module module = REGISTRY.find(moduleName).orElseThrow(() -> new AssertionError("no module " + moduleName));
    Map<String, Object> rawArgs = map(f.get("args"));
    Args args;
    try {
      args = Args.bind(module.spec(), rawArgs, false);
    } catch (ArgsException e) {
      assertEquals(f.get("args_error"), e.getMessage(), where + ": args error");
      return;
    }
    if (f.containsKey("args_error")) {
      fail(where + ": expected the args to be refused with: " + f.get("args_error"));
    }
    Map<String, CommandResult> facts = new LinkedHashMap<>();
    map(f.get("facts")).forEach((k, v) -> facts.put(k, result(map(v))));
    FakeContext ctx =
        new FakeContext(
            args,
            facts,
            Boolean.TRUE.equals(f.get("check_mode")),
            Boolean.TRUE.equals(f.get("diff_mode")),
            map(f.get("vars")),
            map(f.get("evaluate")));
    Plan plan;
    try {
      plan = module.plan(ctx);
    } catch (ModuleException e) {
      if (!f.containsKey("error")) {
        throw new AssertionError(where + ": unexpected module error: " + e.getMessage(), e);
      }
      assertEquals(f.get("error"), e.getMessage(), where + ": error");
      if (f.containsKey("outcome")) {
        assertEquals(normalize(map(map(f.get("outcome")).get("data"))), normalize(e.data()), where + ": error data");
      }
      return;
    }
    if (f.containsKey("error")) {
      fail(where + ": expected the error '" + f.get("error") + "' but got " + plan);
    }
    if (f.containsKey("probes")) {
      assertEquals(f.get("probes"), ctx.probes, where + ": probes");
    }
    Outcome outcome;
    if (f.containsKey("noop")) {
      Plan.Noop noop = assertInstanceOf(Plan.Noop.class, plan, where + ": expected a noop");
      assertEquals(f.get("noop"), noop.reason(), where + ": noop reason");
      outcome = noop.outcome();
    } else {
      Plan.Change change = assertInstanceOf(Plan.Change.class, plan, where + ": expected a change, got " + plan);
      List<String> scripts = change.commands().stream().map(c -> unrandom(c.script())).toList();
      assertEquals(f.get("commands"), scripts, where + ": commands");
      if (f.containsKey("stdin")) {
        assertEquals(
            f.get("stdin"), new String(change.commands().get(0).stdin(), StandardCharsets.UTF_8), where + ": stdin");
      }
      if (f.containsKey("diff")) {
        Map<String, Object> d = map(f.get("diff"));
        assertEquals(d.get("before"), change.diff().before(), where + ": diff before");
        assertEquals(d.get("after"), change.diff().after(), where + ": diff after");
      }
      if (ctx.checkMode()) {
        outcome = change.checkOutcome();
      } else {
        List<CommandResult> results = new ArrayList<>();
        if (f.containsKey("results")) {
          for (Object r : (List<Object>) f.get("results")) {
            results.add(result(map(r)));
          }
        } else {
          change.commands().forEach(c -> results.add(CommandResult.of(0, "", "")));
        }
        outcome = change.interpret().apply(results);
      }
    }
    Map<String, Object> want = map(f.get("outcome"));
    if (want.isEmpty()) {
      fail(where + ": every fixture says what the outcome is");
    }
    assertEquals(want.getOrDefault("changed", false), outcome.changed(), where + ": changed");
    assertEquals(want.getOrDefault("failed", false), outcome.failed(), where + ": failed");
    assertEquals(want.getOrDefault("skipped", false), outcome.skipped(), where + ": skipped");
    assertEquals(want.getOrDefault("msg", ""), outcome.msg(), where + ": msg");
    assertEquals(normalize(map(want.get("data"))), normalize(outcome.data()), where + ": data");
  }

  private static CommandResult result(Map<String, Object> r) {
    Instant start = r.containsKey("start") ? Instant.parse((String) r.get("start")) : Instant.EPOCH;
    Instant end = r.containsKey("end") ? Instant.parse((String) r.get("end")) : start;
    return new CommandResult(
        ((Number) r.getOrDefault("rc", 0)).intValue(),
        (String) r.getOrDefault("stdout", ""),
        (String) r.getOrDefault("stderr", ""),
        start,
        end);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  /** Integers of any width compare equal; everything else as it is. */
  /** A file write's temp name is random; fixtures spell its random part as sixteen X. */
  private static String unrandom(String script) {
    return TEMP_NAME.matcher(script).replaceAll("$1XXXXXXXXXXXXXXXX");
  }

  private static final Pattern TEMP_NAME = Pattern.compile("(/\\.jplay\\.\")[0-9a-f]{16}$",
      Pattern.MULTILINE);

  private static Object normalize(Object o) {
    if (o instanceof Integer || o instanceof Long || o instanceof Short) {
      return ((Number) o).longValue();
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, normalize(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(ModuleFixturesTest::normalize).toList();
    }
    return o;
  }
}
