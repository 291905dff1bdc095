package jplay.modules.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * {@code ansible.posix.mount} on Linux: edits the fstab entry of a mount point exactly as Ansible does (the same
 * matching, escaping and line format, other lines untouched), written atomically through {@link TextFile}, and
 * mounts, remounts or unmounts as the state asks, judged from {@code /proc/self/mountinfo}.
 *
 * <p>Better than Ansible: a swap entry ({@code fstype: swap}) with state mounted or unmounted runs
 * {@code swapon}/{@code swapoff} on {@code src} (judged from {@code /proc/swaps}), where Ansible would call mount.
 * Not supported: {@code backup}, state {@code ephemeral}, BSD and Solaris.
 */
public final class MountModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("mount")
          .aliases("ansible.posix.mount")
          .summary("Control mounts and their fstab entries")
          .description(
              "present: the fstab entry is as given. mounted: present, and mounted (the mount point is created;"
                  + " a changed entry of a mounted path is remounted). unmounted: not mounted, fstab untouched."
                  + " absent: entry removed, unmounted, mount point removed (if empty). absent_from_fstab: entry"
                  + " removed only. remounted: mount -o remount, always changed.")
          .param(Param.path("path").required().aliases("name")
              .doc("The mount point; 'none' or 'swap' for a swap entry (matched by src then)."))
          .param(Param.path("src").doc("The device, label (LABEL=...), UUID=... or remote path to mount."))
          .param(Param.str("fstype").doc("The file system type (ext4, xfs, nfs, swap, ...)."))
          .param(Param.str("opts").doc("Mount options, comma-separated; default 'defaults'."))
          .param(Param.str("dump").defaultValue("0").doc("The fstab dump field."))
          .param(Param.str("passno").defaultValue("0").doc("The fstab pass field (fsck order)."))
          .param(Param.str("state").required()
              .choices("absent", "absent_from_fstab", "mounted", "present", "unmounted", "remounted")
              .doc("What should be true of the mount and its entry; see the description."))
          .param(Param.str("fstab").doc("The fstab file to edit; default /etc/fstab (another one is passed to"
              + " mount with -T)."))
          .param(Param.bool("boot").defaultValue(true)
              .doc("Mount at boot; false adds 'noauto' to opts (ignored when opts is 'defaults', as Ansible)."))
          .examples(
              """
              - name: The data disk
                mount:
                  path: /srv/data
                  src: UUID=0b6f3c5e-8f1e-4c2e-9d7a-2f1f0c9e4a11
                  fstype: xfs
                  opts: noatime
                  state: mounted
              - name: kubelet wants no swap
                mount: path=none src=/swap.img fstype=swap state=absent_from_fstab
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String state = args.str("state");
    String path = args.str("path");
    if ((state.equals("mounted") || state.equals("present")) && (!args.has("src") || !args.has("fstype"))) {
      List<String> missing = new ArrayList<>();
      for (String k : List.of("src", "fstype")) {
        if (!args.has(k)) {
          missing.add(k);
        }
      }
      throw new ModuleException("state is " + state + " but all of the following are missing: "
          + String.join(", ", missing));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    data.put("name", path);
    String opts = args.has("opts") ? args.str("opts") : "defaults";
    String boot = "yes";
    List<String> optList = new ArrayList<>(List.of(opts.split(",")));
    if (optList.contains("noauto")) {
      warnings.add("Ignore the 'boot' due to 'opts' contains 'noauto'.");
    } else if (!args.bool("boot")) {
      boot = "no";
      if (optList.contains("defaults")) {
        warnings.add("Ignore the 'boot' due to 'opts' contains 'defaults'.");
      } else {
        optList.add("noauto");
        opts = String.join(",", optList);
      }
    }
    String fstab = args.has("fstab") ? args.str("fstab") : "/etc/fstab";
    data.put("opts", opts);
    data.put("dump", args.str("dump"));
    data.put("passno", args.str("passno"));
    data.put("fstab", fstab);
    data.put("boot", boot);
    if (!warnings.isEmpty()) {
      data.put("warnings", warnings);
    }
    data.put("backup_file", "");
    if (args.has("src")) {
      data.put("src", args.str("src"));
    }
    if (args.has("fstype")) {
      data.put("fstype", args.str("fstype"));
    }
    boolean swap = "swap".equals(args.str("fstype"));
    TextFile file = ctx.fact(TextFile.read(fstab));
    Fstab.Edit edit = switch (state) {
      case "present", "mounted" -> Fstab.set(file.content(), path, args.str("src"), args.str("fstype"), opts,
          args.str("dump"), args.str("passno"));
      case "absent", "absent_from_fstab" -> Fstab.unset(file.content(), path);
      default -> new Fstab.Edit(file.content(), false);
    };
    List<Command> commands = new ArrayList<>();
    if (edit.changed() || !file.exists()) {
      commands.add(file.write(edit.text()));
    }
    String mountT = fstab.equals("/etc/fstab") ? "" : " -T " + Shell.quote(fstab);
    String p = Shell.quote(path);
    boolean changed = edit.changed();
    switch (state) {
      case "mounted" -> {
        Live live = ctx.fact(live(path, swap ? args.str("src") : null));
        if (swap) {
          if (!live.mounted()) {
            commands.add(Command.of("swapon -- " + Shell.quote(args.str("src"))));
            changed = true;
          }
        } else if (live.mounted()) {
          if (edit.changed()) {
            commands.add(Command.of("mount -o remount" + mountT + " -- " + p + " || { umount -- " + p
                + " && mount" + mountT + " -- " + p + "; }"));
          }
        } else {
          commands.add(Command.of("mkdir -p -- " + p + " && mount" + mountT + " -- " + p));
          changed = true;
        }
      }
      case "unmounted" -> {
        Live live = ctx.fact(live(path, swap ? args.str("src") : null));
        if (live.mounted()) {
          commands.add(Command.of(swap ? "swapoff -- " + Shell.quote(args.str("src")) : "umount -- " + p));
          changed = true;
        }
      }
      case "absent" -> {
        if (edit.changed()) {
          Live live = ctx.fact(live(path, null));
          if (live.mounted()) {
            commands.add(Command.of("umount -- " + p));
          }
          if (live.exists()) {
            commands.add(Command.of("rmdir -- " + p));
          }
        }
      }
      case "remounted" -> {
        commands.add(Command.of("mount -o remount" + mountT + " -- " + p));
        changed = true;
      }
      default -> { }
    }
    if (!changed && commands.isEmpty()) {
      return new Plan.Noop(path + " is as asked", Outcome.ok(data));
    }
    Diff diff = edit.changed() ? new Diff(fstab + " (before)", file.content(), fstab + " (after)", edit.text()) : null;
    if (!changed) {
      // Only creating a missing, empty fstab, as Ansible does before it looks: not a change to report.
      Outcome ok = Outcome.ok(data);
      return new Plan.Change(commands, null, ok, results -> Plan.defaultInterpret(results, ok));
    }
    return Plan.change(commands, diff, data);
  }

  /** How /proc/self/mountinfo writes a path: octal escapes for space, tab, newline and backslash. */
  static String mountinfoEscape(String path) {
    return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
  }

  /** Whether the path is a mount point now (or, for swap, whether src is an active swap area), and exists. */
  record Live(boolean mounted, boolean exists) {}

  static Fact<Live> live(String path, String swapSrc) {
    String p = Shell.quote(path);
    String check = swapSrc != null
        ? "s=$(readlink -f -- " + Shell.quote(swapSrc) + " 2>/dev/null || printf '%s' " + Shell.quote(swapSrc)
            + "); if awk -v s=\"$s\" 'NR > 1 && $1 == s { f = 1 } END { exit !f }' /proc/swaps; then echo mounted;"
            + " else echo not-mounted; fi"
        : "if awk -v p=" + Shell.quote(mountinfoEscape(path).replace("\\", "\\\\"))
            + " '$5 == p { f = 1 } END { exit !f }' /proc/self/mountinfo; then echo mounted; else echo not-mounted; fi";
    String script = check + "; if [ -e " + p + " ]; then echo exists; else echo missing; fi";
    return Fact.of("mount-live " + path + " " + swapSrc, Command.of(script), r -> {
      List<String> lines = r.stdout().lines().toList();
      if (!r.ok() || lines.size() != 2) {
        throw new ModuleException("cannot tell whether " + path + " is mounted: " + r.stderr().strip());
      }
      return new Live(lines.get(0).equals("mounted"), lines.get(1).equals("exists"));
    });
  }
}
