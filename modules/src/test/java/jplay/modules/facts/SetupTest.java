package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.api.CommandResult;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Plan;
import jplay.modules.testing.LocalTarget;
import org.junit.jupiter.api.Test;

/** The module as the engine calls it, its probe run on this machine by a context that executes locally. */
class SetupTest {
  /** Runs each fact's probe here with /bin/sh -c and its environment, as a connection would on a host. */
  private static LocalTarget local() {
    return LocalTarget.builder().diffMode(false).timeout(Duration.ofSeconds(30)).build();
  }

  @Test
  void gathersInOneRoundTripAndChangesNothing() throws Exception {
    LocalTarget ctx = local();
    Plan plan = ctx.plan(new Setup(), Map.of());
    assertEquals(1, ctx.probes().size(), "one probe");
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
    LocalTarget ctx = local();
    ctx.plan(new Setup(), Map.of("gather_subset", "!all"));
    String script = ctx.probes().get(0);
    assertTrue(script.contains("uname") && !script.contains("/proc/meminfo") && !script.contains("ip -o addr"));
  }

  @Test
  void theFilterKeepsMatchingFactsOnly() throws Exception {
    LocalTarget ctx = local();
    Plan.Noop noop = (Plan.Noop) ctx.plan(new Setup(), Map.of("filter", List.of("ansible_distribution*", "kernel")));
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
