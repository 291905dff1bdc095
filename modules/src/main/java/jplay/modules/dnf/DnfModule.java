package jplay.modules.dnf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * dnf module streams: enable, disable, reset, install or remove a profile. Ansible has no module for this
 * (ansible/ansible#64852: its dnf module installs {@code @module:stream} but cannot enable a stream alone, which is
 * what CRI-O's and other repositories ask for before a plain package install). The state is read from dnf's own
 * record of it, {@code /etc/dnf/modules.d/NAME.module}, so the check loads no repository metadata.
 */
public final class DnfModule implements Module {
  static final ModuleSpec SPEC = buildSpec();

  private static ModuleSpec buildSpec() {
    ModuleSpec.Builder b =
        ModuleSpec.builder("dnf_module")
            .summary("Enable, disable, reset or install dnf module streams (jplay; Ansible has none)")
            .description(
                "enabled: the stream is enabled (NAME:STREAM; NAME alone enables the default stream, and any"
                    + " enabled stream satisfies it). Switching from another enabled stream resets the module first,"
                    + " unless a profile of the old stream is installed: then the task fails, because the old"
                    + " stream's packages would stay behind (remove them first with state removed). disabled: the"
                    + " module is disabled. reset: neither enabled nor disabled. installed: the profile"
                    + " (NAME:STREAM/PROFILE, default profile when none given) is installed, enabling the stream."
                    + " removed: the profile's packages are removed (the stream stays enabled). Returns 'modules':"
                    + " each module's state after the task.")
            .param(
                Param.list("name")
                    .required()
                    .elements(ParamType.STR)
                    .doc("Module specs: NAME, NAME:STREAM or NAME:STREAM/PROFILE; a list is allowed."))
            .param(
                Param.str("state")
                    .choices("enabled", "disabled", "reset", "installed", "removed")
                    .defaultValue("enabled")
                    .doc("What the module should be."));
    DnfOptions.params(b);
    return b.examples(
            """
            - name: CRI-O from its module stream, the stream matching Kubernetes
              dnf_module:
                name: cri-o:1.28
            - name: then the package, as a plain install
              dnf:
                name: cri-o
            - name: The distribution's container-tools, never
              dnf_module:
                name: container-tools
                state: disabled
            """)
        .build();
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args a = ctx.args();
    String state = a.str("state");
    List<ModuleState.Spec> specs = new ArrayList<>();
    for (String n : a.strings("name")) {
      ModuleState.Spec s = ModuleState.Spec.parse(n.strip());
      if (s.profile() != null && !List.of("installed", "removed").contains(state)) {
        throw new ModuleException("'" + n + "' names a profile, which only state installed or removed uses");
      }
      if (s.stream() != null && List.of("disabled", "reset").contains(state)) {
        throw new ModuleException("state " + state + " applies to a whole module: give '" + s.name() + "', not '" + n + "'");
      }
      specs.add(s);
    }
    Map<String, ModuleState> now = ctx.fact(states(a));
    List<Command> commands = new ArrayList<>();
    List<String> results = new ArrayList<>();
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    for (ModuleState.Spec s : specs) {
      ModuleState st = now.getOrDefault(s.name(), ModuleState.none(s.name()));
      List<List<String>> steps = new ArrayList<>();
      String done = null;
      switch (state) {
        case "enabled" -> {
          if (st.enabled() && (s.stream() == null || s.stream().equals(st.stream()))) {
            break;
          }
          switchAway(s, st, steps);
          steps.add(List.of("module", "enable", s.toString()));
          done = "Module " + s + " enabled.";
        }
        case "disabled" -> {
          if (!st.state().equals("disabled")) {
            steps.add(List.of("module", "disable", s.name()));
            done = "Module " + s.name() + " disabled.";
          }
        }
        case "reset" -> {
          if (!st.state().isEmpty()) {
            steps.add(List.of("module", "reset", s.name()));
            done = "Module " + s.name() + " reset.";
          }
        }
        case "installed" -> {
          boolean installed =
              st.enabled() && (s.stream() == null || s.stream().equals(st.stream()))
                  && (s.profile() == null ? !st.profiles().isEmpty() : st.profiles().contains(s.profile()));
          if (!installed) {
            switchAway(s, st, steps);
            steps.add(List.of("module", "install", s.toString()));
            done = "Module " + s + " installed.";
          }
        }
        default -> {
          boolean installed =
              st.enabled() && (s.stream() == null || s.stream().equals(st.stream()))
                  && (s.profile() == null ? !st.profiles().isEmpty() : st.profiles().contains(s.profile()));
          if (installed) {
            steps.add(List.of("module", "remove", s.toString()));
            done = "Module " + s + " removed.";
          }
        }
      }
      if (done != null) {
        if (commands.isEmpty()) {
          commands.add(DnfOptions.lockWait(a));
        }
        steps.forEach(words -> commands.add(DnfOptions.change(a, words)));
        results.add(done);
        before.append(st.describe()).append('\n');
        after.append(s).append(": ").append(state).append('\n');
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("results", results);
    data.put("modules", describe(now, specs));
    if (commands.isEmpty()) {
      return new Plan.Noop("every module is " + state, Outcome.ok(data).withMsg("Nothing to do"));
    }
    Diff diff = Diff.of("dnf modules", before.toString(), after.toString());
    int planned = commands.size() + 1;
    commands.add(states(a).probe());
    Outcome check = Outcome.changed(data).withMsg("Check mode: No changes made, but would have if not in check mode").withDiff(diff);
    return new Plan.Change(
        commands,
        diff,
        check,
        rs -> {
          for (CommandResult r : rs) {
            if (!r.ok()) {
              String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
              String msg = err.isEmpty() ? "dnf failed with exit code " + r.rc() : err;
              return Outcome.failed(msg, Map.of("rc", r.rc(), "results", List.of())).withDiff(diff);
            }
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("results", results);
          if (rs.size() == planned) {
            out.put("modules", describe(parse(rs.get(rs.size() - 1)), specs));
          }
          return Outcome.changed(out).withDiff(diff);
        });
  }

  /**
   * Before enabling another stream: dnf refuses to switch an enabled stream (module_stream_switch); with no profile
   * installed nothing depends on the old stream, so a reset makes the switch clean.
   */
  private static void switchAway(ModuleState.Spec s, ModuleState st, List<List<String>> steps) {
    if (s.stream() == null || !st.enabled() || st.stream().equals(s.stream())) {
      return;
    }
    if (!st.profiles().isEmpty()) {
      throw new ModuleException(
          s.name() + ":" + st.stream() + " is enabled with profile(s) " + String.join(", ", st.profiles()) + " installed;"
              + " switching to " + s.stream() + " would leave its packages behind: remove them first (dnf_module: name="
              + s.name() + ":" + st.stream() + " state=removed)");
    }
    steps.add(List.of("module", "reset", s.name()));
  }

  private static Map<String, Object> describe(Map<String, ModuleState> states, List<ModuleState.Spec> specs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (ModuleState.Spec s : specs) {
      ModuleState st = states.getOrDefault(s.name(), ModuleState.none(s.name()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("state", st.state().isEmpty() ? "default" : st.state());
      m.put("stream", st.stream());
      m.put("profiles", st.profiles());
      out.put(s.name(), m);
    }
    return out;
  }

  static Fact<Map<String, ModuleState>> states(Args a) {
    String dir = DnfOptions.modulesDir(a);
    String script = "for f in " + Shell.quote(dir) + "/*.module; do [ -f \"$f\" ] && cat -- \"$f\" && echo; done; exit 0";
    return Fact.of("dnf-modules " + dir, Command.of(script), DnfModule::parse);
  }

  static Map<String, ModuleState> parse(CommandResult r) {
    if (!r.ok()) {
      throw new ModuleException("cannot read dnf's module state: " + r.stderr().strip());
    }
    return ModuleState.parseAll(r.stdout());
  }
}
