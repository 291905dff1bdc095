package jplay.modules.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Param;

/**
 * The common file arguments ({@code mode}, {@code owner}, {@code group}) of the content modules, compared with a
 * path's entry: the commands that set what differs and the before/after lines for the diff. Owner, group, then
 * mode, in Ansible's order (a chown may clear setuid bits that the chmod then sets).
 */
final class Attrs {
  final List<Command> commands = new ArrayList<>();
  final Map<String, Object> before = new LinkedHashMap<>();
  final Map<String, Object> after = new LinkedHashMap<>();

  /** The parameters every content module shares, with Ansible's descriptions. */
  static List<Param> params() {
    return List.of(
        Param.mode("mode")
            .doc(
                "Mode of the file: octal ('0644', quote it in YAML) or symbolic ('u=rw,g=r,o=r'). Without it, an"
                    + " existing file keeps its mode and a new one gets 0666 minus the umask."),
        Param.str("owner").doc("User name (or uid) that should own the file; as root only."),
        Param.str("group").doc("Group name (or gid) that should own the file."),
        Param.bool("unsafe_writes")
            .defaultValue(false)
            .doc("Accepted for compatibility and ignored: jplay always writes through a temp file and a rename."));
  }

  /** What {@code args} asks of the existing {@code entry} at {@code path}. */
  static Attrs of(Args args, String path, PathState.Entry entry, int umask) {
    return of(args.str("mode"), args.str("owner"), args.str("group"), path, entry, umask);
  }

  /** What {@code mode}, {@code owner} and {@code group} (each null for "leave it") ask of {@code entry}. */
  static Attrs of(String mode, String owner, String group, String path, PathState.Entry entry, int umask) {
    Attrs a = new Attrs();
    if (owner != null && !same(owner, entry.owner(), entry.uid())) {
      a.before.put("owner", entry.owner());
      a.after.put("owner", owner);
      a.commands.add(Command.argv("chown", "--", owner, path));
    }
    if (group != null && !same(group, entry.group(), entry.gid())) {
      a.before.put("group", entry.group());
      a.after.put("group", group);
      a.commands.add(Command.argv("chgrp", "--", group, path));
    }
    if (mode != null) {
      boolean dir = entry.kind() == PathState.Kind.DIRECTORY;
      int want = Modes.resolve(mode, entry.mode(), dir, umask);
      if (want != entry.mode()) {
        a.before.put("mode", Modes.format(entry.mode()));
        a.after.put("mode", Modes.format(want));
        a.commands.add(Command.argv("chmod", "--", FileModule.octal(want, entry.mode(), dir), path));
      }
    }
    return a;
  }

  boolean changed() {
    return !commands.isEmpty();
  }

  /**
   * The mode a file written now ends with: the mode asked for, applied to the existing file's mode (or, for a new
   * file, to 0666 minus the umask, as Ansible's atomic_move leaves it).
   */
  static int finalMode(Args args, PathState.Entry existing, int umask) {
    int base = existing != null ? existing.mode() : 0666 & ~umask;
    String mode = args.str("mode");
    if (mode == null) {
      return base;
    }
    if (mode.equals("preserve")) {
      throw new ModuleException("mode 'preserve' needs a source file to take the mode from");
    }
    return Modes.resolve(mode, base, false, umask);
  }

  static boolean same(String wanted, String name, long id) {
    return wanted.equals(name) || wanted.equals(Long.toString(id));
  }
}
