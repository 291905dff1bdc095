package jplay.modules.modprobe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
import jplay.modules.command.ShellWords;
import jplay.modules.sysctl.ConfFiles;
import jplay.modules.sysctl.ConfFiles.Section;

/**
 * Ansible's {@code community.general.modprobe}: loads or unloads a kernel module and, with {@code persistent},
 * keeps it (and its parameters) in modules-load.d and modprobe.d for the next boot. One probe
 * ({@link ModprobeState}); only what differs is changed.
 */
public final class Modprobe implements Module {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final String NOT_LOADED = "jplay: not loaded";

  static final ModuleSpec SPEC =
      ModuleSpec.builder("modprobe")
          .aliases("community.general.modprobe")
          .summary("Load or unload kernel modules, now and at boot")
          .description(
              "Loads a kernel module with modprobe (state=present) or unloads it with 'modprobe -r' (state=absent)."
                  + " A module is loaded when /proc/modules lists it or it is built into the running kernel"
                  + " (modules.builtin); '-' and '_' in names are the same, as for the kernel. A module that is"
                  + " already loaded is not loaded again, even with other 'params' (they take effect at its next"
                  + " load). Before loading, 'modprobe -n' checks that the module exists, so a wrong name fails in"
                  + " check mode too.\n"
                  + "persistent=present makes the module load at boot: unless a *.conf file in"
                  + " /etc/modules-load.d lists it, /etc/modules-load.d/NAME.conf does; its options lines in"
                  + " /etc/modprobe.d become one 'options NAME PARAMS' line in /etc/modprobe.d/NAME.conf (others"
                  + " are commented out). persistent=absent comments out the module's lines in both directories."
                  + " Only *.conf files are read, as systemd-modules-load and modprobe do. Files are rewritten"
                  + " atomically, keeping their other lines; --diff shows them.\n"
                  + "Differences from Ansible, on purpose: check mode writes nothing (Ansible's module writes the"
                  + " persistence files even in check mode: community.general#9051); an existing NAME.conf keeps its"
                  + " other lines (Ansible overwrites it); options lines with several parameters are understood;"
                  + " a built-in module with state=absent fails with a clear message before modprobe is run.")
          .param(Param.str("name").required().doc("The kernel module, e.g. br_netfilter or overlay."))
          .param(
              Param.str("state")
                  .choices("absent", "present")
                  .defaultValue("present")
                  .doc("Whether the module should be loaded."))
          .param(
              Param.str("params")
                  .defaultValue("")
                  .doc("Module parameters ('numdummies=2'), given to modprobe and, when persistent, written to"
                      + " modprobe.d."))
          .param(
              Param.str("persistent")
                  .choices("disabled", "absent", "present")
                  .defaultValue("disabled")
                  .doc("present: load at boot (modules-load.d) with params (modprobe.d); absent: comment both out;"
                      + " disabled: leave the files alone."))
          .examples(
              """
              - name: Kubernetes networking needs these now and after every boot
                modprobe:
                  name: "{{ item }}"
                  persistent: present
                loop: [overlay, br_netfilter]
              - name: With parameters
                community.general.modprobe:
                  name: dummy
                  params: numdummies=2
              - name: Unloaded, and not loaded at boot
                modprobe: name=dummy state=absent persistent=absent
              """)
          .build();

  private final String loadDir;
  private final String optionsDir;

  public Modprobe() {
    this("/etc/modules-load.d", "/etc/modprobe.d");
  }

  /** With other configuration directories: for tests that write real files in a temporary directory. */
  Modprobe(String loadDir, String optionsDir) {
    this.loadDir = loadDir;
    this.optionsDir = optionsDir;
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String name = args.str("name").strip();
    if (!NAME.matcher(name).matches()) {
      throw new ModuleException("'" + name + "' is not a kernel module name: give letters, digits, '_' and '-' only");
    }
    String params = args.str("params");
    List<String> argv;
    try {
      argv = ShellWords.split(params);
    } catch (IllegalArgumentException e) {
      throw new ModuleException("cannot read params '" + params + "': " + e.getMessage());
    }
    boolean present = args.str("state").equals("present");
    String persistent = args.str("persistent");
    ModprobeState now =
        ctx.fact(
            persistent.equals("disabled")
                ? ModprobeState.fact(name)
                : ModprobeState.fact(name, loadDir, optionsDir));

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("params", params);
    data.put("state", args.str("state"));
    List<Section> sections = new ArrayList<>();
    List<Command> commands = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    boolean isLoaded = now.loaded() || now.builtin();
    if (present && !isLoaded) {
      String tool = tool(now, name);
      if (now.dryRunError() != null) {
        throw new ModuleException(now.dryRunError(), data);
      }
      List<String> load = new ArrayList<>(List.of(tool, name));
      load.addAll(argv);
      List<String> dry = new ArrayList<>(List.of(tool, "-n", "--first-time", name));
      dry.addAll(argv);
      // As Ansible: modprobe can succeed without loading anything (an 'install NAME /bin/true' rule); say so.
      commands.add(
          Command.of(
              Shell.join(load) + " || exit\n"
                  + "if [ -r /proc/modules ] && ! grep -q '^" + name.replace('-', '_') + " ' /proc/modules; then"
                  + " echo '" + NOT_LOADED + "'; " + Shell.join(dry) + " 2>&1; fi\n"));
      failures.add("");
      sections.add(new Section("kernel module " + name, "state: absent\n", "state: present\n"));
    } else if (!present && isLoaded) {
      if (!now.loaded()) {
        throw new ModuleException(
            name + " is built into the running kernel (modules.builtin): it cannot be unloaded", data);
      }
      commands.add(Command.argv(tool(now, name), "-r", name));
      failures.add("");
      sections.add(new Section("kernel module " + name, "state: present\n", "state: absent\n"));
    }

    boolean writesFiles = false;
    if (!persistent.equals("disabled")) {
      Map<String, String> loadFiles = filesIn(now, loadDir);
      Map<String, String> optionFiles = filesIn(now, optionsDir);
      Map<String, String> writes = new LinkedHashMap<>();
      if (persistent.equals("present")) {
        writes.putAll(ModprobeConf.listIn(loadFiles, loadDir, name));
        // Ansible splits the persisted params on blanks (not as shell words): options lines hold them so.
        List<String> words = List.of(params.strip().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList();
        writes.putAll(ModprobeConf.setOptions(optionFiles, optionsDir, name, words));
      } else {
        writes.putAll(ModprobeConf.unlist(loadFiles, name));
        writes.putAll(ModprobeConf.unsetOptions(optionFiles, name));
      }
      writesFiles = !writes.isEmpty();
      for (Map.Entry<String, String> w : writes.entrySet()) {
        String dir = w.getKey().substring(0, w.getKey().lastIndexOf('/'));
        if (!Boolean.TRUE.equals(now.dirs().get(dir))) {
          throw new ModuleException(
              dir + " does not exist: persistent needs a host whose boot reads it (systemd-modules-load, kmod)", data);
        }
        String before = now.files().getOrDefault(w.getKey(), "");
        sections.add(new Section(w.getKey(), before, w.getValue()));
        commands.add(ConfFiles.write(w.getKey(), w.getValue()));
        failures.add("cannot write " + w.getKey() + ": ");
      }
    }

    if (commands.isEmpty()) {
      String why = (present ? name + " is loaded" : name + " is not loaded")
          + (persistent.equals("disabled") ? "" : persistent.equals("present")
              ? " and persistent" : " and not persistent");
      return Plan.noop(why, data);
    }
    Diff diff = ConfFiles.diff("kernel module " + name, sections);
    boolean loads = present && !isLoaded;
    boolean files = writesFiles;
    return new Plan.Change(
        commands,
        diff,
        Outcome.changed(data).withDiff(diff),
        results -> interpret(results, failures, data, diff, loads, files));
  }

  private static Outcome interpret(
      List<CommandResult> results, List<String> failures, Map<String, Object> data, Diff diff, boolean loads,
      boolean writesFiles) {
    Map<String, Object> out = new LinkedHashMap<>(data);
    boolean changed = true;
    for (int i = 0; i < results.size(); i++) {
      CommandResult r = results.get(i);
      if (!r.ok()) {
        String err = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        out.put("rc", r.rc());
        out.put("stdout", r.stdout());
        out.put("stderr", r.stderr());
        return new Outcome(i > 0, true, false, failures.get(i) + (err.isEmpty() ? "exit code " + r.rc() : err), out, diff);
      }
      if (i == 0 && loads && r.stdout().startsWith(NOT_LOADED)) {
        String why = r.stdout().substring(NOT_LOADED.length()).strip();
        out.put("warnings", List.of("modprobe " + data.get("name") + " succeeded but did not load it"
            + (why.isEmpty() ? "" : ": " + why)));
        changed = writesFiles;
      }
    }
    return new Outcome(changed, false, false, "", out, diff);
  }

  private static String tool(ModprobeState now, String name) {
    if (now.modprobe() == null) {
      throw new ModuleException("the host has no modprobe command (install kmod) to manage " + name);
    }
    return now.modprobe();
  }

  private static Map<String, String> filesIn(ModprobeState now, String dir) {
    Map<String, String> out = new LinkedHashMap<>();
    now.files().forEach((path, text) -> {
      if (path.startsWith(dir + "/") && path.indexOf('/', dir.length() + 1) < 0) {
        out.put(path, text);
      }
    });
    return out;
  }
}
