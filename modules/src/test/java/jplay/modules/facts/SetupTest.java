package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jplay.engine.api.Args;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Plan;
import org.junit.jupiter.api.Test;

/** The module as the engine calls it, its probe run on this machine by a context that executes locally. */
class SetupTest {
  /** Runs each fact's probe here with /bin/sh -c and its environment, as a connection would on a host. */
  private static final class LocalContext implements ModuleContext {
    private final Args args;
    final List<String> scripts = new ArrayList<>();

    LocalContext(Map<String, ?> raw) throws Exception {
      this.args = Args.bind(new Setup().spec(), raw, false);
    }

    @Override
    public Args args() {
      return args;
    }

    @Override
    public String host() {
      return "localhost";
    }

    @Override
    public <T> T fact(Fact<T> fact) {
      scripts.add(fact.probe().script());
      try {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", fact.probe().script());
        pb.environment().putAll(fact.probe().env());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return fact.parser().apply(CommandResult.of(p.exitValue(), out, err));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean checkMode() {
      return false;
    }

    @Override
    public boolean diffMode() {
      return false;
    }

    @Override
    public Map<String, Object> vars() {
      return Map.of();
    }

    @Override
    public Object evaluate(String expression) {
      throw new UnsupportedOperationException(expression);
    }

    @Override
    public String render(String template) {
      try {
        return new jplay.engine.template.Templar().renderText(template, vars(), jplay.engine.template.TemplateContext.CURRENT_DIRECTORY, jplay.engine.template.Templar.TextOptions.JINJA2);
      } catch (jplay.engine.template.TemplateException e) {
        throw new jplay.engine.api.ModuleException(e.getMessage());
      }
    }

    @Override
    public Path localPath(String name) {
      return Path.of(name);
    }
  }

  @Test
  void gathersInOneRoundTripAndChangesNothing() throws Exception {
    LocalContext ctx = new LocalContext(Map.of());
    Plan plan = new Setup().plan(ctx);
    assertEquals(1, ctx.scripts.size(), "one probe");
    Plan.Noop noop = (Plan.Noop) plan;
    assertFalse(noop.outcome().changed());
    assertFalse(noop.outcome().failed());
    Map<?, ?> facts = (Map<?, ?>) noop.outcome().data().get("ansible_facts");
    for (String key : List.of("hostname", "fqdn", "distribution", "distribution_major_version", "os_family",
        "kernel", "processor_vcpus", "memtotal_mb", "default_ipv4", "all_ipv4_addresses", "service_mgr", "pkg_mgr",
        "selinux", "user_id", "env", "date_time", "virtualization_type", "local")) {
      assertTrue(facts.containsKey(key), key);
    }
    assertTrue(facts.keySet().stream().noneMatch(k -> String.valueOf(k).startsWith("ansible_")),
        "keys carry no prefix; the engine adds it");
    assertTrue(facts.values().stream().allMatch(v -> v != null));
  }

  @Test
  void theSubsetDecidesWhatTheScriptDoes() throws Exception {
    LocalContext ctx = new LocalContext(Map.of("gather_subset", "!all"));
    new Setup().plan(ctx);
    String script = ctx.scripts.get(0);
    assertTrue(script.contains("uname") && !script.contains("/proc/meminfo") && !script.contains("ip -o addr"));
  }

  @Test
  void theFilterKeepsMatchingFactsOnly() throws Exception {
    LocalContext ctx = new LocalContext(Map.of("filter", List.of("ansible_distribution*", "kernel")));
    Plan.Noop noop = (Plan.Noop) new Setup().plan(ctx);
    Map<?, ?> facts = (Map<?, ?>) noop.outcome().data().get("ansible_facts");
    assertTrue(facts.containsKey("kernel"));
    assertTrue(facts.containsKey("distribution_major_version"));
    assertTrue(facts.keySet().stream().allMatch(k -> k.equals("kernel") || String.valueOf(k).startsWith("distribution")),
        facts.keySet().toString());
  }

  @Test
  void aFailedProbeFailsTheTaskWithItsError() {
    ModuleException e = assertThrows(ModuleException.class, () -> Setup.gather(
        CommandResult.of(127, "", "sh: not found\n"), Set.of(), "/x", List.of(), new ArrayList<>()));
    assertEquals("gathering facts failed (exit code 127): sh: not found", e.getMessage());
  }
}
