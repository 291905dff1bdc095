package jplay.modules.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code systemd} ({@code systemd_service}): a unit's run state, enablement and mask, and daemon-reload.
 * One probe ({@link UnitState}) answers every question; the plan runs, in Ansible's order, daemon-reload,
 * daemon-reexec, mask/unmask, enable/disable, then start/stop/restart/reload, each only when it changes something
 * (restarted and reloaded always do).
 */
public final class Systemd implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("systemd")
          .aliases("systemd_service", "ansible.builtin.systemd", "ansible.builtin.systemd_service")
          .summary("Manage systemd units: start, stop, enable, mask, daemon-reload")
          .description(
              "Controls one systemd unit (a name without a suffix means .service). started and stopped look at"
                  + " the unit's ActiveState and act only when needed (activating counts as running, deactivating"
                  + " as still to stop); restarted and reloaded always act, and start a unit that is not running."
                  + " enabled reads 'systemctl is-enabled' as Ansible does: exit code 0 is enabled, except the"
                  + " states indirect and alias; masked compares with its 'masked' state. The returned 'status' holds"
                  + " every property of 'systemctl show' from before the change, as Ansible's.\n"
                  + "daemon_reload and daemon_reexec run first, and work without a name.\n"
                  + "Differences from Ansible, on purpose: a static unit (no [Install] section) cannot be disabled:"
                  + " enabled=false on it is a warning and no change, where Ansible runs 'systemctl disable' and reports"
                  + " a change on every run; enabled=true on an alias fails before running anything and names the unit"
                  + " to enable instead (Ansible's 'systemctl enable' fails); starting a masked unit fails before"
                  + " running anything unless masked=false unmasks it first; a failed mask or unmask fails the task"
                  + " (Ansible ignores the failure when the unit exists). --diff shows the masked, enabled and state"
                  + " lines that change. Units managed only by SysV init scripts are not looked for.")
          .param(
              Param.str("name")
                  .aliases("service", "unit")
                  .doc("The unit, e.g. crio or kubelet.service. Globs are not supported."))
          .param(
              Param.str("state")
                  .choices("reloaded", "restarted", "started", "stopped")
                  .doc("started/stopped act only when needed; restarted/reloaded always act."))
          .param(Param.bool("enabled").doc("Whether the unit starts at boot."))
          .param(Param.bool("force").doc("Override existing symlinks (systemctl --force)."))
          .param(Param.bool("masked").doc("Whether the unit is masked (it cannot be started at all)."))
          .param(
              Param.bool("daemon_reload")
                  .defaultValue(false)
                  .aliases("daemon-reload")
                  .doc("Run 'systemctl daemon-reload' first, even when nothing else changes (not reported as a change,"
                      + " as in Ansible)."))
          .param(
              Param.bool("daemon_reexec")
                  .defaultValue(false)
                  .aliases("daemon-reexec")
                  .doc("Run 'systemctl daemon-reexec' first."))
          .param(
              Param.str("scope")
                  .choices("system", "user", "global")
                  .defaultValue("system")
                  .doc("The service manager: system, the connecting user's (user; XDG_RUNTIME_DIR defaults to"
                      + " /run/user/UID), or every user's (global)."))
          .param(
              Param.bool("no_block")
                  .defaultValue(false)
                  .doc("Do not wait for the job to finish (systemctl --no-block)."))
          .requiredOneOf("state", "enabled", "masked", "daemon_reload", "daemon_reexec")
          .examples(
              """
              - name: CRI-O runs now and at boot
                systemd:
                  name: crio
                  state: started
                  enabled: true
                  daemon_reload: true
              - name: The kubelet restarts with its new configuration
                ansible.builtin.systemd: name=kubelet state=restarted
              - name: No swap on a Kubernetes node
                systemd:
                  name: swap.target
                  masked: true
              - name: Read the unit files again
                systemd:
                  daemon_reload: true
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    return plan(ctx, ctx.args(), List.of());
  }

  /** A failing step's message start, Ansible's wording. */
  private record Step(Command command, String failure) {}

  /** Plans with {@code args} bound to {@link #SPEC}; {@code warnings} come first in the outcome (from service). */
  static Plan plan(ModuleContext ctx, Args args, List<String> warnings) {
    String unit = args.str("name");
    for (String p : List.of("state", "enabled", "masked")) {
      if (args.has(p) && unit == null) {
        throw new ModuleException("missing parameter(s) required by '" + p + "': name");
      }
    }
    if (unit != null) {
      for (String glob : List.of("*", "?", "[")) {
        if (unit.contains(glob)) {
          throw new ModuleException(
              "This module does not currently support using glob patterns, found '" + glob + "' in service name: "
                  + unit);
        }
      }
    }
    String scope = args.str("scope");
    String base = systemctl(scope);
    String actions = base + (args.bool("no_block") ? " --no-block" : "") + (args.bool("force") ? " --force" : "");
    List<Step> steps = new ArrayList<>();
    if (args.bool("daemon_reload")) {
      steps.add(new Step(Command.of(actions + " daemon-reload"), "failure {rc} during daemon-reload: "));
    }
    if (args.bool("daemon_reexec")) {
      steps.add(new Step(Command.of(actions + " daemon-reexec"), "failure {rc} during daemon-reexec: "));
    }
    int housekeeping = steps.size();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", unit);
    data.put("status", Map.of());
    List<String> warn = new ArrayList<>(warnings);
    Map<String, Object> before = new LinkedHashMap<>();
    Map<String, Object> after = new LinkedHashMap<>();
    String header = unit;
    if (unit != null) {
      UnitState now = ctx.fact(UnitState.fact(base, unit));
      data.put("status", now.status());
      header = now.status().getOrDefault("Id", unit);
      String id = Shell.quote(unit);
      boolean found = now.found();
      String load = now.status().getOrDefault("LoadState", "");
      if (found && !load.equals("masked") && !now.status().getOrDefault("LoadError", "").isEmpty()) {
        throw new ModuleException(
            "Error loading unit file '" + unit + "': " + now.status().get("LoadError"), data);
      }
      Boolean masked = args.optBool("masked");
      boolean isMasked = now.masked();
      if (masked != null && masked != isMasked) {
        String action = masked ? "mask" : "unmask";
        steps.add(new Step(Command.of(actions + " " + action + " " + id),
            found ? "Unable to " + action + " service " + unit + ": " : missing(unit) + ": "));
        before.put("masked", isMasked);
        after.put("masked", masked);
        isMasked = masked;
      }
      Boolean enabled = args.optBool("enabled");
      if (enabled != null) {
        if (!found) {
          throw new ModuleException(missing(unit), data);
        }
        boolean is = now.enabled();
        if (enabled && now.isEnabled().equals("alias")) {
          throw new ModuleException(
              unit + " is an alias of " + header + ": enable " + header + " itself (systemctl refuses to enable an"
                  + " alias name)", data);
        }
        if (!enabled && now.isEnabled().equals("static")) {
          warn.add(unit + " is static (its unit file has no [Install] section): it cannot be disabled; mask it to"
              + " keep it from starting");
          data.put("enabled", true);
        } else {
          if (enabled != is) {
            String action = enabled ? "enable" : "disable";
            steps.add(new Step(Command.of(actions + " " + action + " " + id),
                "Unable to " + action + " service " + unit + ": "));
            before.put("enabled", is);
            after.put("enabled", enabled);
          }
          data.put("enabled", enabled);
        }
      }
      String state = args.str("state");
      if (state != null) {
        if (!found) {
          throw new ModuleException(missing(unit), data);
        }
        // As Ansible: restarted and reloaded report the state they leave the unit in.
        data.put("state", state.equals("restarted") || state.equals("reloaded") ? "started" : state);
        if (!now.status().containsKey("ActiveState")) {
          throw new ModuleException("Service is in unknown state", data);
        }
        String active = now.status().get("ActiveState");
        boolean running = now.running();
        String action = switch (state) {
          case "started" -> running ? null : "start";
          case "stopped" -> running || "deactivating".equals(active) ? "stop" : null;
          default -> running ? state.substring(0, state.length() - 2) : "start";
        };
        if (action != null) {
          if (isMasked && !action.equals("stop")) {
            throw new ModuleException(
                "Unable to " + action + " service " + unit + ": Unit " + header + " is masked (unmask it with masked:"
                    + " false)", data);
          }
          steps.add(new Step(Command.of(actions + " " + action + " " + id),
              "Unable to " + action + " service " + unit + ": "));
          before.put("state", running ? "started" : "stopped");
          after.put("state", action.equals("stop") ? "stopped" : action.equals("start") ? "started" : state);
        }
      }
    }
    if (!warn.isEmpty()) {
      data.put("warnings", List.copyOf(warn));
    }
    if (steps.isEmpty()) {
      return Plan.noop(unit == null ? "nothing to do" : header + " is as asked", data);
    }
    Diff diff = before.isEmpty() ? null : Diff.of(header, lines(before), lines(after));
    boolean changes = steps.size() > housekeeping;
    Outcome done = (changes ? Outcome.changed(data) : Outcome.ok(data)).withDiff(diff);
    List<Command> commands = steps.stream().map(Step::command).toList();
    return new Plan.Change(
        commands,
        diff,
        done,
        results -> {
          for (int i = 0; i < results.size(); i++) {
            CommandResult r = results.get(i);
            if (!r.ok()) {
              String err = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
              Map<String, Object> failed = new LinkedHashMap<>(data);
              failed.put("rc", r.rc());
              failed.put("stdout", r.stdout());
              failed.put("stderr", r.stderr());
              String msg = steps.get(i).failure().replace("{rc}", Integer.toString(r.rc()));
              return new Outcome(i > housekeeping, true, false,
                  msg + (err.isEmpty() ? "exit code " + r.rc() : err), failed, diff);
            }
          }
          return done;
        });
  }

  /** Ansible's fail_if_missing message. */
  private static String missing(String unit) {
    return "Could not find the requested service " + unit + ": host";
  }

  /**
   * The systemctl command for a scope. A user manager is reached through XDG_RUNTIME_DIR, which a non-login SSH
   * command often lacks; Ansible sets it to /run/user/UID then, and so does this.
   */
  static String systemctl(String scope) {
    return switch (scope) {
      case "user" -> "XDG_RUNTIME_DIR=\"${XDG_RUNTIME_DIR:-/run/user/$(id -u)}\" systemctl --user";
      case "global" -> "systemctl --global";
      default -> "systemctl";
    };
  }

  private static String lines(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }
}
