package jplay.modules.sysctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import jplay.modules.sysctl.ConfFiles.Section;

/**
 * Ansible's {@code ansible.posix.sysctl}: a key's entry in a sysctl file and, optionally, its live value. One
 * probe reads both ({@link SysctlState}); the plan rewrites the file only when its entry differs and touches the
 * live value only when it differs, comparing values word by word.
 */
public final class Sysctl implements Module {
  // Ansible's BOOLEANS_TRUE and BOOLEANS_FALSE, which its sysctl applies to every value.
  private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
  private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");
  // procps's sysctl can exit 0 after refusing a value (Red Hat bug 1264080); Ansible fails on these, as jplay does.
  private static final Pattern REFUSED =
      Pattern.compile("^sysctl: setting key \"[^\"]+\": (Invalid argument|Read-only file system)$", Pattern.MULTILINE);

  /** Keys that exist only while a kernel module is loaded: prefix, module. */
  private static final List<String[]> MODULE_KEYS =
      List.of(
          new String[] {"net.bridge.", "br_netfilter"},
          new String[] {"net.netfilter.nf_conntrack", "nf_conntrack"},
          new String[] {"net.nf_conntrack_max", "nf_conntrack"},
          new String[] {"net.ipv4.vs.", "ip_vs"},
          new String[] {"net.ipv6.", "ipv6"});

  static final ModuleSpec SPEC =
      ModuleSpec.builder("sysctl")
          .aliases("ansible.posix.sysctl")
          .summary("Manage entries in sysctl files and live kernel parameters")
          .description(
              "Sets or removes a key's entry in a sysctl file and, with 'reload' or 'sysctl_set', the live value."
                  + " The file is rewritten atomically (a temporary file, then a rename) only when the entry that"
                  + " takes effect - the last one for the key - has another value; every other line, comments"
                  + " included, stays as it is, and earlier entries of the key are dropped. Values are compared word"
                  + " by word, so '4096 87380 6291456' equals the kernel's tab-separated '4096\\t87380\\t6291456'."
                  + " Boolean values become 1 and 0, as in Ansible.\n"
                  + "Live values are read from /proc/sys. A key that does not exist there fails the task, naming the"
                  + " kernel module that provides it where it is known (net.bridge.* needs br_netfilter, loaded"
                  + " first with the modprobe module), unless 'ignoreerrors' is set; in check mode it is a warning,"
                  + " since an earlier task may load that module.\n"
                  + "Differences from Ansible, on purpose: jplay applies only what differs. When the file changes and"
                  + " the live value differs, 'reload' runs 'sysctl -p FILE' as Ansible does; when only the live"
                  + " value differs it sets that one key with 'sysctl -w', where Ansible reloads the whole file (and"
                  + " fails on any other key in it that cannot be set yet). A live value that is already right is not"
                  + " reloaded, and state=absent does not reload (removing an entry never changes a live value)."
                  + " Values are compared word by word in the file too (Ansible rewrites 'a  b' to 'a b'). A symlinked"
                  + " sysctl_file is rewritten through the link (Ansible replaces the link with a file). Other lines"
                  + " keep their spacing (Ansible strips every line). --diff shows the file and the live value.")
          .param(
              Param.str("name")
                  .required()
                  .aliases("key")
                  .doc("The key, dotted (net.ipv4.ip_forward) or in path form (net/ipv4/conf/eth0.100/forwarding)."))
          .param(
              Param.str("value")
                  .aliases("val")
                  .doc("The value; required with state=present. Booleans (yes/no, true/false) become 1 and 0."))
          .param(
              Param.str("state")
                  .choices("present", "absent")
                  .defaultValue("present")
                  .doc("Whether the key's entry should be in the file."))
          .param(
              Param.bool("reload")
                  .defaultValue(true)
                  .doc(
                      "Make the live value match: 'sysctl -p FILE' when the file changed, 'sysctl -w' for the key"
                          + " when only the live value differs. Nothing when the live value is already right."))
          .param(
              Param.bool("sysctl_set")
                  .defaultValue(false)
                  .doc("Set the live value with 'sysctl -w' when it differs, also with reload: false."))
          .param(
              Param.bool("ignoreerrors")
                  .defaultValue(false)
                  .doc("Ignore unknown keys: 'sysctl -e', and a key missing from /proc/sys is a warning."))
          .param(
              Param.path("sysctl_file")
                  .defaultValue("/etc/sysctl.conf")
                  .doc("The file to edit (absolute); created with mode 0644 when missing."))
          .examples(
              """
              - name: Let the node forward packets, now and after a reboot
                sysctl:
                  name: net.ipv4.ip_forward
                  value: "1"
                  sysctl_file: /etc/sysctl.d/99-kubernetes-cri.conf
              - name: Bridged traffic goes through iptables (needs br_netfilter loaded first)
                sysctl:
                  name: net.bridge.bridge-nf-call-iptables
                  value: "1"
                  sysctl_file: /etc/sysctl.d/99-kubernetes-cri.conf
              - name: Only in the file, applied at the next boot
                sysctl: name=vm.swappiness value=10 reload=no
              - name: Gone from the file
                ansible.posix.sysctl:
                  name: kernel.panic
                  state: absent
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String given = args.str("name").strip();
    if (given.isEmpty()) {
      throw new ModuleException("name cannot be blank");
    }
    if (given.startsWith("-") || given.chars().anyMatch(c -> c == '=' || Character.isWhitespace(c))) {
      throw new ModuleException(
          "'" + given + "' is not a sysctl key: give a dotted name such as net.ipv4.ip_forward");
    }
    String key = SysctlState.canonical(given);
    boolean present = args.str("state").equals("present");
    String value = null;
    if (present) {
      if (!args.has("value")) {
        throw new ModuleException("sysctl needs 'value' when state is present");
      }
      value = parseValue(args.str("value"));
      if (value.isEmpty()) {
        throw new ModuleException("value cannot be blank");
      }
      if (value.contains("\n")) {
        throw new ModuleException("the value of " + key + " must be one line");
      }
    }
    String file = args.str("sysctl_file");
    if (!file.startsWith("/")) {
      throw new ModuleException("sysctl_file must be an absolute path, not '" + file + "'");
    }
    SysctlState now = ctx.fact(SysctlState.fact(key, file));
    List<String> lines = now.file() == null ? List.of() : ConfFiles.lines(now.file());
    return present ? present(ctx, key, value, file, now, lines) : absent(key, file, now, lines);
  }

  private static Plan absent(String key, String file, SysctlState now, List<String> lines) {
    List<String> after = SysctlConf.remove(lines, key);
    if (after.equals(lines)) {
      return Plan.noop(key + " has no entry in " + file, Map.of());
    }
    String text = ConfFiles.join(after);
    List<Section> sections = List.of(new Section(file, now.file(), text));
    return change(List.of(new Step(ConfFiles.write(file, text), "cannot write " + file + ": ")),
        ConfFiles.diff(file, sections), List.of());
  }

  private static Plan present(
      ModuleContext ctx, String key, String value, String file, SysctlState now, List<String> lines) {
    Args args = ctx.args();
    boolean reload = args.bool("reload");
    boolean ignore = args.bool("ignoreerrors");
    SysctlConf.Entry entry = SysctlConf.last(lines, key);
    boolean fileOk = entry != null && SysctlConf.sameValue(entry.value(), value);
    boolean liveMatters = reload || args.bool("sysctl_set");
    boolean liveOk = true;
    List<String> warnings = new ArrayList<>();
    if (liveMatters) {
      if (now.missing()) {
        String why = missing(key);
        if (ignore) {
          warnings.add(why + "; ignored (ignoreerrors)");
        } else if (ctx.checkMode()) {
          warnings.add(why + "; the change would fail unless an earlier task loads it");
          liveOk = false;
        } else {
          throw new ModuleException(why);
        }
      } else {
        liveOk = now.liveError() == null && SysctlConf.sameValue(now.live(), value);
      }
    }
    List<Section> sections = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    if (!fileOk) {
      String text = ConfFiles.join(SysctlConf.set(lines, key, value));
      sections.add(new Section(file, now.file() == null ? "" : now.file(), text));
      steps.add(new Step(ConfFiles.write(file, text), "cannot write " + file + ": "));
    }
    boolean reloadFile = reload && !fileOk && (!liveOk || (now.missing() && ignore));
    if (!liveOk || reloadFile) {
      String tool = now.sysctl();
      if (tool == null) {
        throw new ModuleException("the host has no sysctl command (install procps) to set " + key);
      }
      List<String> words = new ArrayList<>(List.of(tool));
      if (ignore) {
        words.add("-e");
      }
      if (reloadFile) {
        words.addAll(List.of("-p", file));
        steps.add(new Step(Command.argv(words), "Failed to reload sysctl: "));
      } else {
        words.addAll(List.of("-w", key + "=" + value));
        steps.add(new Step(Command.argv(words), "setting " + key + " failed: "));
      }
      if (!liveOk) {
        String before = now.missing() ? "(no such key)" : now.liveError() != null ? "(unreadable)" : now.live().strip();
        sections.add(new Section(key + " (live)", key + " = " + before + "\n", key + " = " + value + "\n"));
      }
    }
    if (steps.isEmpty()) {
      String where = liveMatters ? " in " + file + " and live" : " in " + file;
      return new Plan.Noop(key + " is " + value + where, outcome(false, warnings));
    }
    return change(steps, ConfFiles.diff(key, sections), warnings);
  }

  /** A command and the start of the message when it fails (Ansible's wording). */
  private record Step(Command command, String failure) {}

  private static Plan change(List<Step> steps, Diff diff, List<String> warnings) {
    List<Command> commands = steps.stream().map(Step::command).toList();
    Outcome done = outcome(true, warnings).withDiff(diff);
    return new Plan.Change(
        commands,
        diff,
        done,
        results -> {
          for (int i = 0; i < results.size(); i++) {
            CommandResult r = results.get(i);
            if (!r.ok() || REFUSED.matcher(r.stderr()).find()) {
              String detail = (r.stdout() + r.stderr()).strip();
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("rc", r.rc());
              data.put("stdout", r.stdout());
              data.put("stderr", r.stderr());
              return new Outcome(true, true, false, steps.get(i).failure() + detail, data, diff);
            }
          }
          return done;
        });
  }

  private static Outcome outcome(boolean changed, List<String> warnings) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (!warnings.isEmpty()) {
      data.put("warnings", List.copyOf(warnings));
    }
    return changed ? Outcome.changed(data) : Outcome.ok(data);
  }

  /** Why a key is missing from /proc/sys, naming the kernel module that provides it when that is known. */
  static String missing(String key) {
    for (String[] k : MODULE_KEYS) {
      if (key.startsWith(k[0])) {
        return "sysctl key " + key + " does not exist: it appears when the kernel module " + k[1]
            + " is loaded (load it first, e.g. modprobe: name=" + k[1] + ")";
      }
    }
    return "sysctl key " + key + " does not exist (no " + SysctlState.procPath(key)
        + "): check the name, or load the kernel module that provides it first";
  }

  /** Ansible's _parse_value: booleans become 1 or 0, anything else is stripped. */
  static String parseValue(String value) {
    String lower = value.strip().toLowerCase(Locale.ROOT);
    if (TRUE.contains(lower)) {
      return "1";
    }
    if (FALSE.contains(lower)) {
      return "0";
    }
    return value.strip();
  }
}
