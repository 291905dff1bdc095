package jplay.modules.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;

/**
 * The {@code setup} module: gathers a host's facts in one round trip, as Ansible's setup module reports them
 * (names and value shapes), without Python on the host. The engine runs it as "Gathering Facts".
 *
 * <pre>{@code
 * - setup:
 *     gather_subset: ['!all', network]
 *     filter: ['ansible_default_ipv4', 'ansible_distribution*']
 * }</pre>
 *
 * <p>Which probe sections run follows {@code gather_subset} (see {@link Subsets}): the minimal set (platform,
 * distribution, user, env, date_time, dns, selinux, apparmor, fips, service_mgr, pkg_mgr, local) always, unless
 * {@code !min}; {@code hardware} adds processors, memory and uptime; {@code network} interfaces, addresses and
 * default routes; {@code virtual} virtualization_type and role; {@code all} (the default) all of them plus
 * loadavg.
 */
public final class Setup implements Module {
  private static final ModuleSpec SPEC = ModuleSpec.builder("setup")
      .aliases("ansible.builtin.setup")
      .summary("Gather facts about remote hosts")
      .description("Gathers the host's facts (distribution, kernel, processors, memory, network, user, date and"
          + " time, service and package manager, SELinux, virtualization, local facts) in one round trip with a"
          + " POSIX shell script, and returns them as ansible_facts, so they are also variables named"
          + " ansible_<fact>. Runs automatically as 'Gathering Facts' when a play has gather_facts (the default)."
          + " Needs no Python on the host. Never changes anything.")
      .param(Param.list("gather_subset").elements(ParamType.STR).defaultValue(List.of("all"))
          .doc("What to gather: all, min, hardware, network, virtual, or a collector name (platform,"
              + " distribution, env, user, date_time, dns, selinux, apparmor, fips, loadavg, service_mgr, pkg_mgr,"
              + " local); prefix with '!' to leave it out. The minimal set is always gathered unless '!min' is"
              + " given. Ansible-only names (facter, ohai, python, lsb, caps, cmdline, ssh_pub_keys...) are"
              + " accepted and gather nothing."))
      .param(Param.list("filter").elements(ParamType.STR).defaultValue(List.of())
          .doc("Keep only the facts whose name (with its ansible_ prefix) matches one of these shell-style"
              + " globs; the first level only. Empty keeps everything."))
      .param(Param.path("fact_path").defaultValue("/etc/ansible/facts.d")
          .doc("Where local facts live: each NAME.fact file (JSON or INI; executables are run and their output"
              + " read) becomes ansible_local.NAME."))
      .param(Param.integer("gather_timeout").defaultValue(10)
          .doc("Seconds an executable local fact may run (where the host has the timeout tool)."))
      .examples("""
          - name: Gather only the network facts (and the minimal set)
            setup:
              gather_subset: ['!all', network]

          - name: Only the memory facts
            setup:
              filter: ['ansible_*_mb']
          """)
      .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    List<String> subset = ctx.args().strings("gather_subset");
    List<String> filter = ctx.args().strings("filter");
    String factPath = ctx.args().optStr("fact_path").orElse("/etc/ansible/facts.d");
    Integer timeout = ctx.args().integer("gather_timeout");
    Set<Collector> collectors = Subsets.resolve(subset);
    // Not Fact.of(): that would put LANG=C in the environment the env fact reports; the script sets it itself.
    Command probe = Command.of(Probe.script(collectors, factPath, timeout == null ? 10 : timeout));
    List<String> warnings = new java.util.ArrayList<>();
    Map<String, Object> facts = ctx.fact(new Fact<>("setup " + collectors + " " + factPath, probe,
        r -> gather(r, collectors, factPath, subset, warnings)));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ansible_facts", Facts.filter(facts, filter));
    if (!warnings.isEmpty()) {
      data.put("warnings", List.copyOf(warnings));
    }
    return Plan.noop("facts gathered", data);
  }

  /** The facts from the probe's result; a failed probe (no shell, killed) fails the task with its error. */
  static Map<String, Object> gather(
      CommandResult r, Set<Collector> collectors, String factPath, List<String> subset, List<String> warnings) {
    if (!r.ok()) {
      String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
      throw new ModuleException("gathering facts failed (exit code " + r.rc() + ")" + (err.isEmpty() ? "" : ": " + err),
          Map.of("rc", r.rc(), "stderr", r.stderr()));
    }
    return Facts.gather(ProbeOutput.parse(r.stdout()), collectors, factPath, subset, warnings);
  }
}
