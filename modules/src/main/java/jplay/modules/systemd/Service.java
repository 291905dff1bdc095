package jplay.modules.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code service} on a systemd host: its action plugin hands the task to the systemd module, dropping
 * the options systemd has no use for with a warning. jplay does the same, in one step, through {@link Systemd}.
 */
public final class Service implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("service")
          .aliases("ansible.builtin.service")
          .summary("Manage services (on systemd hosts, through the systemd module)")
          .description(
              "Starts, stops, restarts, reloads, enables and disables a service. jplay manages systemd hosts only:"
                  + " the task runs as the systemd module would, with the same returned values ('status' from"
                  + " 'systemctl show'). As Ansible on systemd, 'arguments', 'runlevel' and 'sleep' are ignored with"
                  + " a warning. 'pattern' is refused: it asks to judge the service by the process list, which only"
                  + " init scripts without a status need, and ignoring it could report a wrong state. 'use' may"
                  + " only be auto or systemd. A host without systemctl fails the task with a message that says so.")
          .param(Param.str("name").required().doc("The service, e.g. crio (a unit without suffix is a .service)."))
          .param(
              Param.str("state")
                  .choices("reloaded", "restarted", "started", "stopped")
                  .doc("started/stopped act only when needed; restarted/reloaded always act."))
          .param(Param.bool("enabled").doc("Whether the service starts at boot."))
          .param(Param.str("arguments").aliases("args").doc("Ignored on systemd hosts (with a warning), as in Ansible."))
          .param(Param.str("pattern").doc("Not supported: refused with an explanation."))
          .param(Param.str("runlevel").doc("OpenRC only: ignored (with a warning), as in Ansible on systemd."))
          .param(Param.integer("sleep").doc("Ignored on systemd hosts (with a warning), as in Ansible."))
          .param(Param.str("use").doc("The service manager: auto (default) or systemd; jplay supports no other."))
          .requiredOneOf("state", "enabled")
          .examples(
              """
              - name: CRI-O runs now and at boot
                service:
                  name: crio
                  state: started
                  enabled: true
              - name: Restart the kubelet
                ansible.builtin.service: name=kubelet state=restarted
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    if (args.has("pattern")) {
      throw new ModuleException(
          "service: 'pattern' is not supported: jplay manages services through systemd, which knows whether a"
              + " service runs; remove 'pattern'");
    }
    String use = args.str("use");
    if (use != null && !use.equals("auto") && !use.equals("systemd")) {
      throw new ModuleException(
          "service: use '" + use + "' is not supported: jplay manages services through systemd (use: auto or systemd)");
    }
    List<String> warnings = new ArrayList<>();
    for (String unused : List.of("runlevel", "sleep", "arguments")) {
      if (args.has(unused)) {
        warnings.add("Ignoring \"" + unused + "\" as it is not used in \"systemd\"");
      }
    }
    Map<String, Object> forward = new LinkedHashMap<>();
    for (String p : List.of("name", "state", "enabled")) {
      if (args.has(p)) {
        forward.put(p, args.raw(p));
      }
    }
    try {
      return Systemd.plan(ctx, Args.bind(Systemd.SPEC, forward, false), warnings);
    } catch (ArgsException e) {
      // Cannot happen: service's name, state and enabled are valid systemd arguments.
      throw new IllegalStateException(e);
    }
  }
}
