package jplay.modules.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * The file module's {@code state: link} and {@code state: hard}, as Ansible's ensure_symlink and ensure_hardlink:
 * the same refusals (a file or directory is only replaced with force, a non-empty directory never), the same
 * comparison (the link's own text against src; for hard links, the inodes), and a replacement that is a rename of
 * a link made beside the path, so the path never goes missing.
 */
final class Links {
  private Links() {}

  /** What a link probe reads: the link's own text, whether src exists, inodes, whether a directory is empty. */
  record State(String raw, boolean srcExists, String srcInode, String pathInode, boolean nonEmptyDir) {}

  private static final String END = "\n@@jplay-end@@\n";

  /**
   * The probe of a symlink's path: no inodes (a symlink is compared by its text). It guesses a new link to a src
   * that exists, which makes a new link's task one round trip.
   */
  static Fact<State> symlinkFact(String path, String absSrc) {
    return fact("symlink-state ", path, absSrc, false)
        .withGuess(new Fact.Guess("symlink", earlier -> absSrc == null ? "" : "src-exists\n"));
  }

  /** The probe of a hard link's path, with the inodes of src and path. */
  static Fact<State> hardFact(String path, String src) {
    return fact("link-state ", path, src, true);
  }

  private static Fact<State> fact(String kind, String path, String absSrc, boolean inodes) {
    StringBuilder s = new StringBuilder();
    s.append("p=").append(Shell.quote(path)).append('\n');
    s.append("s=").append(Shell.quote(absSrc == null ? "" : absSrc)).append('\n');
    if (absSrc != null) {
      s.append("if [ -e \"$s\" ]; then echo src-exists;")
          .append(inodes ? " printf 'src-inode '; stat -L -c '%d:%i' -- \"$s\";" : "").append(" fi\n");
    }
    if (inodes) {
      s.append("if [ -e \"$p\" ] && [ ! -L \"$p\" ]; then printf 'path-inode '; stat -c '%d:%i' -- \"$p\"; fi\n");
    }
    s.append("if [ -d \"$p\" ] && [ ! -L \"$p\" ] && [ -n \"$(ls -A -- \"$p\" 2>/dev/null)\" ]; then echo nonempty; fi\n");
    s.append("if [ -L \"$p\" ]; then printf 'raw %s").append(END.replace("\n", "\\n")).append("' \"$(readlink -- \"$p\")\"; fi\n");
    s.append(":\n");
    return Fact.of(kind + path + " -> " + absSrc, Command.of(s.toString()), r -> {
      if (!r.ok()) {
        throw new ModuleException("cannot read the link " + path + ": " + r.stderr().strip());
      }
      String out = r.stdout();
      String raw = null;
      int i = out.indexOf("raw ");
      int e = out.indexOf(END);
      if (i >= 0 && e > i) {
        raw = out.substring(i + 4, e);
        out = out.substring(0, i);
      }
      String srcInode = null;
      String pathInode = null;
      for (String line : out.split("\n")) {
        if (line.startsWith("src-inode ")) {
          srcInode = line.substring(10).strip();
        } else if (line.startsWith("path-inode ")) {
          pathInode = line.substring(11).strip();
        }
      }
      return new State(raw, out.contains("src-exists\n"), srcInode, pathInode, out.contains("nonempty\n"));
    });
  }

  /** Python's os.path.join(base, src): src when it is absolute. */
  static String join(String base, String src) {
    if (src.startsWith("/") || base.isEmpty()) {
      return src;
    }
    return base.endsWith("/") ? base + src : base + "/" + src;
  }

  static String dirname(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : slash == 0 ? "/" : path.substring(0, slash);
  }

  static Plan symlink(ModuleContext ctx, String path, PathState now) {
    Args args = ctx.args();
    String src = args.str("src");
    boolean force = args.bool("force");
    String prev = now.state();
    boolean realDir = now.exists() && now.entry().kind() == PathState.Kind.DIRECTORY;
    String relBase = realDir ? path : dirname(path);
    String absSrc = src == null ? null : join(relBase, src);
    State st = ctx.fact(symlinkFact(path, absSrc));
    if (src == null && args.bool("follow") && st.raw() != null) {
      src = st.raw();
    }
    if (!force && src != null && absSrc != null && !st.srcExists()) {
      throw new ModuleException("src file does not exist, use \"force=yes\" if you really want to create the link: "
          + absSrc, Map.of("path", path, "src", src));
    }
    if (prev.equals("directory")) {
      if (!force) {
        throw new ModuleException("refusing to convert from directory to symlink for " + path, Map.of("path", path));
      }
      if (st.nonEmptyDir()) {
        throw new ModuleException("the directory " + path + " is not empty, refusing to convert it",
            Map.of("path", path));
      }
    } else if ((prev.equals("file") || prev.equals("hard")) && !force) {
      throw new ModuleException("refusing to convert from " + prev + " to symlink for " + path, Map.of("path", path));
    }
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("path", path);
    before.put("state", prev);
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("path", path);
    after.put("state", "link");
    List<Command> commands = new ArrayList<>();
    boolean changed = false;
    if (!prev.equals("link")) {
      if (src == null) {
        throw new ModuleException("src is required for creating new symlinks");
      }
      changed = true;
    } else if (src != null && !src.equals(st.raw())) {
      before.put("src", st.raw());
      after.put("src", src);
      changed = true;
    }
    if (changed) {
      commands.add(replace(path, prev, "ln -s -- " + Shell.quote(src)));
    }
    // Attributes: of the target when following (chown/chmod follow links), of the link itself otherwise.
    boolean follow = args.bool("follow");
    if (args.has("owner")) {
      commands.add(Command.of("chown " + (follow ? "" : "-h ") + "-- " + Shell.quote(args.str("owner")) + " "
          + Shell.quote(path)));
    }
    if (args.has("group")) {
      commands.add(Command.of("chgrp " + (follow ? "" : "-h ") + "-- " + Shell.quote(args.str("group")) + " "
          + Shell.quote(path)));
    }
    if (args.has("mode") && follow) {
      PathState.Entry target = now.resolved();
      int want = Modes.resolve(args.str("mode"), target == null ? 0777 & ~now.umask() : target.mode(),
          target != null && target.kind() == PathState.Kind.DIRECTORY, now.umask());
      if (changed || target == null || target.mode() != want) {
        commands.add(Command.argv("chmod", "--", String.format("%04o", want), path));
      }
    }
    if (!changed && !ownerOrGroupDiffer(args, now, follow)) {
      commands.removeIf(c -> c.script().startsWith("chown") || c.script().startsWith("chgrp"));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dest", path);
    data.put("src", src);
    return plan(commands, path, before, after, data, "the link " + path + " is as asked", now);
  }

  private static boolean ownerOrGroupDiffer(Args args, PathState now, boolean follow) {
    PathState.Entry e = follow && now.resolved() != null ? now.resolved() : now.entry();
    if (e == null) {
      return true;
    }
    return args.has("owner") && !Attrs.same(args.str("owner"), e.owner(), e.uid())
        || args.has("group") && !Attrs.same(args.str("group"), e.group(), e.gid());
  }

  static Plan hard(ModuleContext ctx, String path, PathState now) {
    Args args = ctx.args();
    String src = args.str("src");
    boolean force = args.bool("force");
    String prev = now.state();
    if (!prev.equals("hard") && src == null) {
      throw new ModuleException("src is required for creating new hardlinks");
    }
    State st = ctx.fact(hardFact(path, src));
    if (src != null && !st.srcExists()) {
      throw new ModuleException("src does not exist", Map.of("dest", path, "src", src));
    }
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("path", path);
    before.put("state", prev);
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("path", path);
    after.put("state", "hard");
    boolean changed;
    switch (prev) {
      case "absent" -> changed = true;
      case "link" -> {
        changed = !java.util.Objects.equals(st.raw(), src);
        if (changed) {
          before.put("src", st.raw());
          after.put("src", src);
        }
      }
      case "hard" -> {
        changed = src != null && !java.util.Objects.equals(st.pathInode(), st.srcInode());
        if (changed && !force) {
          throw new ModuleException("Cannot link, different hard link exists at destination",
              Map.of("dest", path, "src", src));
        }
      }
      case "file" -> {
        changed = true;
        if (!force) {
          throw new ModuleException("Cannot link, file exists at destination", Map.of("dest", path, "src", src));
        }
      }
      default -> {
        if (java.util.Objects.equals(st.pathInode(), st.srcInode())) {
          return Plan.noop(path + " is already that hard link", Map.of("path", path));
        }
        changed = true;
        if (!force) {
          throw new ModuleException("Cannot link: different hard link exists at destination",
              Map.of("dest", path, "src", src));
        }
      }
    }
    List<Command> commands = new ArrayList<>();
    if (changed) {
      commands.add(replace(path, prev, "ln -- " + Shell.quote(src)));
    }
    PathState.Entry e = now.entry();
    if (e != null && e.kind() != PathState.Kind.LINK && !changed) {
      commands.addAll(Attrs.of(args, path, e, now.umask()).commands);
    } else {
      if (args.has("owner")) {
        commands.add(Command.argv("chown", "--", args.str("owner"), path));
      }
      if (args.has("group")) {
        commands.add(Command.argv("chgrp", "--", args.str("group"), path));
      }
      if (args.has("mode")) {
        commands.add(Command.argv("chmod", "--", String.format("%04o",
            Modes.resolve(args.str("mode"), 0666 & ~now.umask(), false, now.umask())), path));
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dest", path);
    data.put("src", src);
    return plan(commands, path, before, after, data, path + " is already a hard link to " + src, now);
  }

  /**
   * Makes the link under a temp name beside the path and renames it over the path (Ansible's way, so the path is
   * never missing); an empty directory is removed first. {@code make} is "ln -s -- SRC" or "ln -- SRC".
   */
  private static Command replace(String path, String prev, String make) {
    String p = Shell.quote(path);
    if (prev.equals("absent")) {
      return Command.of(make + " " + p);
    }
    StringBuilder s = new StringBuilder();
    s.append("p=").append(p).append('\n');
    s.append("t=").append(Shell.quote(FileWrite.parent(path) + "/.jplay-link.")).append("$$\n");
    if (prev.equals("directory")) {
      s.append("rmdir -- \"$p\" || exit\n");
    }
    s.append(make).append(" \"$t\" || exit\n");
    // mv -T renames over a symlink to a directory instead of moving into it; busybox has no -T.
    s.append("mv -fT -- \"$t\" \"$p\" 2>/dev/null || { rm -f -- \"$t\"; ").append(make.replace("ln ", "ln -fn "))
        .append(" \"$p\"; }\n");
    return Command.of(s.toString());
  }

  private static Plan plan(List<Command> commands, String path, Map<String, Object> before,
      Map<String, Object> after, Map<String, Object> data, String noop, PathState now) {
    if (commands.isEmpty()) {
      Map<String, Object> out = new LinkedHashMap<>(data);
      if (now.entry() != null) {
        out.putAll(now.entry().info());
      }
      return Plan.noop(noop, out);
    }
    Diff diff = FileModule.diff(path, before, after);
    List<Command> all = new ArrayList<>(commands);
    all.add(PathState.probe(path));
    int planned = all.size();
    return new Plan.Change(all, diff, Outcome.changed(data).withDiff(diff), results -> {
      Map<String, Object> out = new LinkedHashMap<>(data);
      for (CommandResult r : results) {
        if (!r.ok()) {
          String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
          return Outcome.failed(err.isEmpty() ? "command failed with exit code " + r.rc() : err, out).withDiff(diff);
        }
      }
      if (results.size() == planned) {
        PathState st = PathState.parse(path, results.get(results.size() - 1));
        if (st.exists()) {
          out.putAll(st.entry().info());
        }
      }
      return Outcome.changed(out).withDiff(diff);
    });
  }
}
