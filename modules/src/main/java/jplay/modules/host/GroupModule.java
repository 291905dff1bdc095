package jplay.modules.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Ansible's {@code group} on Linux: reads the group through {@code getent} and runs {@code groupadd},
 * {@code groupmod -g} or {@code groupdel}. A new group's gid is read back in the same command, so the returned
 * {@code gid} is the one the system chose.
 */
public final class GroupModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("group")
          .aliases("ansible.builtin.group")
          .summary("Add or remove groups")
          .description(
              "Makes sure a group exists with the given gid, or does not exist. Uses groupadd, groupmod and"
                  + " groupdel from shadow-utils, which every mainstream Linux distribution has.")
          .param(Param.str("name").required().doc("The group's name."))
          .param(Param.str("state").choices("absent", "present").defaultValue("present")
              .doc("Whether the group should exist."))
          .param(Param.integer("gid").doc("The group's id; changed with groupmod when the group exists."))
          .param(Param.bool("system").defaultValue(false)
              .doc("Create a system group (a gid from the system range); has no effect on an existing group."))
          .param(Param.bool("non_unique").defaultValue(false)
              .doc("Allow a gid that another group already has (groupadd/groupmod -o); needs gid."))
          .examples(
              """
              - group:
                  name: kube
                  gid: 2001
              - group: name=olddevs state=absent
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String name = args.str("name");
    if (!Accounts.validName(name)) {
      throw new ModuleException("'" + name + "' is not a valid group name");
    }
    Integer gid = args.integer("gid");
    boolean system = args.bool("system");
    Optional<List<String>> now = ctx.fact(Getent.entry("group", name));
    if (args.str("state").equals("absent")) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("name", name);
      data.put("state", "absent");
      if (now.isEmpty()) {
        return Plan.noop("group " + name + " does not exist", data);
      }
      Diff diff = Diff.of("group " + name, "state: present\ngid: " + now.get().get(2) + "\n", "state: absent\n");
      return change(List.of(Command.argv("groupdel", name)), diff, data, null);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("state", "present");
    data.put("system", system);
    if (now.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("groupadd"));
      if (gid != null) {
        cmd.addAll(List.of("-g", String.valueOf(gid)));
        if (args.bool("non_unique")) {
          cmd.add("-o");
        }
      }
      if (system) {
        cmd.add("-r");
      }
      cmd.add(name);
      if (gid != null) {
        data.put("gid", gid);
      }
      Diff diff = Diff.of("group " + name, "state: absent\n",
          "state: present\n" + (gid == null ? "" : "gid: " + gid + "\n"));
      String script = Shell.join(cmd) + " && getent group -- " + Shell.quote(name);
      return change(List.of(Command.of(script)), diff, data, name);
    }
    int current = Integer.parseInt(now.get().get(2));
    data.put("gid", current);
    if (gid == null || gid == current) {
      return Plan.noop("group " + name + " exists" + (gid == null ? "" : " with gid " + gid), data);
    }
    data.put("gid", gid);
    List<String> cmd = new ArrayList<>(List.of("groupmod", "-g", String.valueOf(gid)));
    if (args.bool("non_unique")) {
      cmd.add("-o");
    }
    cmd.add(name);
    Diff diff = Diff.of("group " + name, "gid: " + current + "\n", "gid: " + gid + "\n");
    return change(List.of(Command.argv(cmd)), diff, data, null);
  }

  /** A change whose outcome carries {@code data}; when {@code readBack} names the group, its gid from stdout. */
  private static Plan change(List<Command> commands, Diff diff, Map<String, Object> data, String readBack) {
    Outcome done = Outcome.changed(data).withDiff(diff);
    return new Plan.Change(commands, diff, done, results -> {
      Outcome o = Plan.defaultInterpret(results, done);
      if (o.failed() || readBack == null) {
        return o;
      }
      CommandResult r = results.get(results.size() - 1);
      Map<String, Object> withGid = new LinkedHashMap<>(data);
      String[] fields = r.stdout().strip().split(":", -1);
      if (fields.length >= 3 && fields[2].matches("\\d+")) {
        withGid.put("gid", Integer.parseInt(fields[2]));
      }
      return Outcome.changed(withGid).withDiff(diff);
    });
  }
}
