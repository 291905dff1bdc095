package jplay.modules.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;
import jplay.modules.files.PathState.Entry;

/**
 * Ansible's {@code file} module for the states file, directory, touch and absent. It plans from one probe of the
 * path ({@link PathState}) and emits only the commands that change something: {@code mkdir}, {@code touch},
 * {@code rm -rf}, {@code chown}, {@code chgrp}, {@code chmod} (always with an octal mode, symbolic modes being
 * computed here). A change ends with the probe again, so the returned values are what the host really holds.
 *
 * <p>Differences from Ansible: diffs show owner and group as given, not as numeric ids; {@code recurse} does not
 * follow symlinks below the directory; mode on a symlink itself (follow=no) is not set (Linux has no lchmod).
 */
public final class FileModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("file")
          .aliases("ansible.builtin.file")
          .summary("Manage files and directories and their attributes")
          .description(
              "Creates directories, touches files, removes paths, and sets mode, owner and group. Without"
                  + " 'state', an existing path keeps its kind and only its attributes are set; a missing one is an"
                  + " error (state 'file' never creates anything).")
          .param(Param.path("path").required().aliases("dest", "name").doc("The path to manage."))
          .param(
              Param.str("state")
                  .choices("absent", "directory", "file", "hard", "link", "touch")
                  .doc(
                      "file: must exist, set attributes; directory: create (with parents) if missing; link: a"
                          + " symlink to src; hard: a hard link to src; touch: create or update times; absent:"
                          + " remove recursively. Default: the current state, or file."))
          .param(
              Param.path("src")
                  .doc(
                      "With link or hard: what the link points to. A relative symlink target is relative to the"
                          + " link's directory."))
          .param(
              Param.bool("force")
                  .defaultValue(false)
                  .doc(
                      "With link or hard: replace a file or an empty directory at path, and create a symlink to a"
                          + " src that does not exist (yet)."))
          .param(
              Param.mode("mode")
                  .doc("Octal ('0644') or symbolic ('u=rw,g=r,o=r', 'u+x') mode; symbolic modes apply to the current one."))
          .param(Param.str("owner").doc("User name (or uid) that should own the path."))
          .param(Param.str("group").doc("Group name (or gid) that should own the path."))
          .param(
              Param.bool("recurse")
                  .defaultValue(false)
                  .doc("With state=directory, set mode, owner and group on everything below as well."))
          .param(Param.bool("follow").defaultValue(true).doc("Act on the target of a symlink rather than the link."))
          .param(
              Param.str("access_time")
                  .doc(
                      "'now', 'preserve', or a time in access_time_format (the target's local time); default 'now'"
                          + " for touch and 'preserve' otherwise."))
          .param(
              Param.str("access_time_format")
                  .defaultValue("%Y%m%d%H%M.%S")
                  .doc("The Python strftime format of access_time."))
          .param(
              Param.str("modification_time")
                  .doc(
                      "'now', 'preserve', or a time in modification_time_format; default 'now' for touch and"
                          + " 'preserve' otherwise."))
          .param(
              Param.str("modification_time_format")
                  .defaultValue("%Y%m%d%H%M.%S")
                  .doc("The Python strftime format of modification_time."))
          .examples(
              """
              - name: A directory for the app
                file:
                  path: /srv/app
                  state: directory
                  mode: "0750"
                  owner: app
              - name: Nobody else may read the key
                file: path=/etc/app/key mode=go-rwx
              - name: Gone
                file: path=/tmp/scratch state=absent
              - name: The current release
                file:
                  src: /opt/app/releases/1.4.2
                  dest: /opt/app/current
                  state: link
              - name: A fixed time stamp, set once
                file:
                  path: /etc/app/stamp
                  state: touch
                  modification_time: "202401011200.00"
                  access_time: preserve
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** Its plan reads the path's facts and computes; a new path's probe is guessed. */
  @Override
  public boolean plansFromGuesses() {
    return true;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String path = args.str("path");
    if ("preserve".equals(args.str("mode"))) {
      throw new ModuleException("mode 'preserve' is only meaningful for copy and template, not for file");
    }
    PathState now = ctx.fact(PathState.fact(path));
    boolean recurse = args.bool("recurse");
    String state = args.str("state");
    if (state == null) {
      state = now.exists() && now.entry().kind() == PathState.Kind.LINK && args.has("src")
          ? "link" : defaultState(now, recurse);
    }
    if (recurse && !state.equals("directory")) {
      throw new ModuleException("recurse option requires state to be 'directory'", Map.of("path", path));
    }
    if (args.has("src") && !state.equals("link") && !state.equals("hard")) {
      throw new ModuleException("src option requires state to be 'link' or 'hard'", Map.of("path", path));
    }
    return switch (state) {
      case "link" -> Links.symlink(ctx, path, now);
      case "hard" -> Links.hard(ctx, path, now);
      case "absent" -> absent(path, now);
      case "touch" -> touch(ctx, path, now);
      case "directory" -> directory(ctx, path, now, recurse);
      default -> file(ctx, path, now);
    };
  }

  // Ansible keeps the state a path has; a link or a file with several names counts as what it points to.
  private static String defaultState(PathState now, boolean recurse) {
    if (!now.exists()) {
      return recurse ? "directory" : "file";
    }
    Entry e = now.entry().kind() == PathState.Kind.LINK ? now.resolved() : now.entry();
    return e != null && e.kind() == PathState.Kind.DIRECTORY ? "directory" : "file";
  }

  private static Plan absent(String path, PathState now) {
    String normal = path.isEmpty() ? "" : java.nio.file.Path.of(path).normalize().toString();
    if (normal.isEmpty() || normal.equals("/") || normal.equals(".") || normal.equals("..")) {
      throw new ModuleException("refusing to remove '" + path + "': state=absent never removes /, . or ..");
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("path", path);
    data.put("state", "absent");
    if (!now.exists()) {
      return Plan.noop(path + " is already absent", data);
    }
    Map<String, Object> before = base(path);
    before.put("state", now.state());
    Map<String, Object> after = base(path);
    after.put("state", "absent");
    Diff diff = diff(path, before, after);
    return Plan.change(List.of(Command.argv("rm", "-rf", "--", path)), diff, data);
  }

  private static Plan file(ModuleContext ctx, String path, PathState now) {
    Target t = follow(ctx, path, now);
    String state = t.entry == null ? "absent" : t.entry.state();
    if (!state.equals("file") && !state.equals("hard")) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("path", t.path);
      data.put("state", state);
      throw new ModuleException("file (" + t.path + ") is " + state + ", cannot continue", data);
    }
    Changes c = new Changes(t.path);
    c.attributes(ctx.args(), t.entry, now.umask());
    c.times(ctx, "preserve", true);
    return c.plan("path", t.entry, now.umask(), "file " + t.path + " is as asked");
  }

  private static Plan directory(ModuleContext ctx, String path, PathState now, boolean recurse) {
    Target t = follow(ctx, path, now);
    Changes c = new Changes(t.path);
    Args args = ctx.args();
    if (t.entry == null) {
      c.before.put("state", "absent");
      c.after.put("state", "directory");
      int fresh = 0777 & ~now.umask();
      c.commands.add(mkdir(t.path, args, fresh, now.umask()));
      if (args.has("mode")) {
        int want = Modes.resolve(args.str("mode"), fresh, true, now.umask());
        if (want != fresh) {
          c.before.put("mode", Modes.format(fresh));
          c.after.put("mode", Modes.format(want));
        }
      }
      c.times(ctx, "preserve", false);
      return c.plan("path", null, now.umask(), "");
    }
    if (t.entry.kind() != PathState.Kind.DIRECTORY) {
      throw new ModuleException(t.path + " already exists as a " + t.entry.state(), Map.of("path", t.path));
    }
    if (recurse && (args.has("mode") || args.has("owner") || args.has("group"))) {
      c.attributes(args, t.entry, ctx.fact(tree(t.path)), now.umask());
    } else {
      c.attributes(args, t.entry, now.umask());
    }
    c.times(ctx, "preserve", true);
    return c.plan("path", t.entry, now.umask(), "directory " + t.path + " is as asked");
  }

  private static Plan touch(ModuleContext ctx, String path, PathState now) {
    Args args = ctx.args();
    Changes c = new Changes(path);
    c.before.put("state", now.state());
    c.after.put("state", "touch");
    if (!now.exists()) {
      c.commands.add(Command.argv("touch", "--", path));
      Entry fresh = new Entry(PathState.Kind.FILE, 0666 & ~now.umask(), 1, -1, -1, 0, null, null);
      c.attributes(args, fresh, now.umask());
      if (args.has("access_time") && !args.str("access_time").equals("now")
          || args.has("modification_time") && !args.str("modification_time").equals("now")) {
        c.times(ctx, "preserve", false);
      }
      return c.plan("dest", null, now.umask(), "");
    }
    Entry e = now.entry().kind() == PathState.Kind.LINK && now.resolved() != null ? now.resolved() : now.entry();
    c.attributes(args, e, now.umask());
    c.times(ctx, "now", true);
    return c.plan("dest", now.entry(), now.umask(), path + " needs no touch: both times are preserved");
  }

  /** The path to act on: a symlink's target when following, as Ansible's realpath. */
  private record Target(String path, Entry entry) {}

  private static Target follow(ModuleContext ctx, String path, PathState now) {
    if (now.exists() && now.entry().kind() == PathState.Kind.LINK && ctx.args().bool("follow")) {
      return new Target(now.target(), now.resolved());
    }
    return new Target(path, now.entry());
  }

  /**
   * {@code mkdir -p}, or, when attributes are asked for, Ansible's walk from the root that gives every directory it
   * creates the same mode, owner and group.
   */
  private static Command mkdir(String path, Args args, int fresh, int umask) {
    if (!args.has("mode") && !args.has("owner") && !args.has("group")) {
      return Command.argv("mkdir", "-p", "--", path);
    }
    List<String> steps = new ArrayList<>();
    int want = args.has("mode") ? Modes.resolve(args.str("mode"), fresh, true, umask) : fresh;
    // Plain permission bits go with mkdir -m (no chmod process; a chown leaves them as they are); special bits
    // take Ansible's order, chown first, since a chown may clear them.
    boolean plain = (want & ~0777) == 0;
    steps.add(want != fresh && plain ? "mkdir -m " + String.format("%04o", want) + " -- \"$d\"" : "mkdir -- \"$d\"");
    if (args.has("owner")) {
      steps.add("chown -- " + Shell.quote(args.str("owner")) + " \"$d\"");
    }
    if (args.has("group")) {
      steps.add("chgrp -- " + Shell.quote(args.str("group")) + " \"$d\"");
    }
    if (want != fresh && !plain) {
      steps.add("chmod -- " + octal(want, fresh, true) + " \"$d\"");
    }
    return Command.of(
        "for d in " + Shell.join(prefixes(path)) + "; do\n  if [ ! -e \"$d\" ]; then "
            + String.join(" && ", steps) + " || exit; fi\ndone");
  }

  /** "/a/b/c" gives "/a", "/a/b", "/a/b/c"; "a/b" gives "a", "a/b". */
  static List<String> prefixes(String path) {
    List<String> out = new ArrayList<>();
    boolean absolute = path.startsWith("/");
    StringBuilder cur = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (absolute || cur.length() > 0) {
        cur.append('/');
      }
      cur.append(part);
      out.add(cur.toString());
    }
    return out;
  }

  /**
   * The mode for {@code chmod}. GNU chmod keeps a directory's setuid/setgid bits under a 4-digit octal mode, so
   * clearing them takes five digits.
   */
  static String octal(int want, int current, boolean isDir) {
    boolean clearsSpecial = isDir && (current & 06000 & ~want) != 0;
    return String.format(clearsSpecial ? "%05o" : "%04o", want);
  }

  static Fact<List<Entry>> tree(String path) {
    String start = path.startsWith("-") ? "./" + path : path;
    return Fact.of(
        "path-tree " + path,
        Command.of(
            "find " + Shell.quote(start) + " -mindepth 1 ! -type l -exec stat -c '%f 1 %u %g 0 %U %G' -- {} + | sort -u"),
        r -> {
          if (!r.ok()) {
            throw new ModuleException("cannot list what is below " + path + ": " + r.stderr().strip());
          }
          List<Entry> out = new ArrayList<>();
          for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
              out.add(PathState.fromStat(path, r, line));
            }
          }
          return out;
        });
  }

  private static Map<String, Object> base(String path) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    return m;
  }

  static Diff diff(String path, Map<String, Object> before, Map<String, Object> after) {
    return Diff.of(path, lines(before), lines(after));
  }

  private static String lines(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }

  private static boolean sameId(String wanted, String name, long id) {
    return wanted.equals(name) || wanted.equals(Long.toString(id));
  }

  /** The commands and the before/after picture of one task, built up step by step. */
  private static final class Changes {
    final String path;
    final List<Command> commands = new ArrayList<>();
    final Map<String, Object> before;
    final Map<String, Object> after;

    Changes(String path) {
      this.path = path;
      this.before = base(path);
      this.after = base(path);
    }

    void attributes(Args args, Entry e, int umask) {
      attributes(args, e, List.of(), umask);
    }

    /**
     * Owner, group, then mode: Ansible's order, so a chown that clears setuid is followed by the chmod. With
     * entries {@code below} (recurse), a tool runs with {@code -R} when any of them differs.
     */
    void attributes(Args args, Entry top, List<Entry> below, int umask) {
      String owner = args.str("owner");
      if (owner != null) {
        boolean topDiffers = !sameId(owner, top.owner(), top.uid());
        if (topDiffers) {
          before.put("owner", top.owner() == null ? "" : top.owner());
          after.put("owner", owner);
        }
        add("chown", owner, topDiffers, below.stream().anyMatch(e -> !sameId(owner, e.owner(), e.uid())));
      }
      String group = args.str("group");
      if (group != null) {
        boolean topDiffers = !sameId(group, top.group(), top.gid());
        if (topDiffers) {
          before.put("group", top.group() == null ? "" : top.group());
          after.put("group", group);
        }
        add("chgrp", group, topDiffers, below.stream().anyMatch(e -> !sameId(group, e.group(), e.gid())));
      }
      String spec = args.str("mode");
      if (spec != null) {
        boolean isDir = top.kind() == PathState.Kind.DIRECTORY;
        int want = Modes.resolve(spec, top.mode(), isDir, umask);
        boolean topDiffers = want != top.mode();
        if (topDiffers) {
          before.put("mode", Modes.format(top.mode()));
          after.put("mode", Modes.format(want));
        }
        boolean belowDiffers =
            below.stream()
                .anyMatch(e -> Modes.resolve(spec, e.mode(), e.kind() == PathState.Kind.DIRECTORY, umask) != e.mode());
        // chmod -R applies a symbolic mode entry by entry, with X and the umask, as Ansible does file by file.
        String recursiveMode = Modes.isOctal(spec) ? String.format("%04o", want) : spec;
        add("chmod", belowDiffers ? recursiveMode : octal(want, top.mode(), isDir), topDiffers, belowDiffers);
      }
    }

    private void add(String tool, String value, boolean topDiffers, boolean belowDiffers) {
      if (belowDiffers) {
        commands.add(Command.argv(tool, "-R", "--", value, path));
      } else if (topDiffers) {
        commands.add(Command.argv(tool, "--", value, path));
      }
    }

    /**
     * {@code touch} for the times to set ({@code dflt} when not given): 'now' always, a fixed time when it differs
     * from the current one (read by one more probe), 'preserve' never.
     */
    void times(ModuleContext ctx, String dflt, boolean exists) {
      Args args = ctx.args();
      Times.Want atime = Times.parse(args.has("access_time") ? args.str("access_time") : dflt,
          args.str("access_time_format"), "access_time");
      Times.Want mtime = Times.parse(args.has("modification_time") ? args.str("modification_time") : dflt,
          args.str("modification_time_format"), "modification_time");
      if (atime.preserve() && mtime.preserve()) {
        return;
      }
      String[] current = null;
      if (exists && (atime.at() != null || mtime.at() != null)) {
        current = ctx.fact(Times.current(path));
      }
      boolean setA = atime.now() || atime.at() != null && (current == null || !Times.same(current[0], atime.at()));
      boolean setM = mtime.now() || mtime.at() != null && (current == null || !Times.same(current[1], mtime.at()));
      if (!setA && !setM) {
        return;
      }
      if (setA && atime.at() != null) {
        before.put("atime", current == null ? "" : current[0].strip());
        after.put("atime", Times.shown(atime.at()));
      }
      if (setM && mtime.at() != null) {
        before.put("mtime", current == null ? "" : current[1].strip());
        after.put("mtime", Times.shown(mtime.at()));
      }
      boolean sameWant = setA && setM && java.util.Objects.equals(atime, mtime);
      if (sameWant) {
        commands.add(touch(null, atime));
        return;
      }
      if (setA) {
        commands.add(touch("-a", atime));
      }
      if (setM) {
        commands.add(touch("-m", mtime));
      }
    }

    private Command touch(String which, Times.Want want) {
      List<String> words = new ArrayList<>(List.of("touch"));
      if (which != null) {
        words.add(which);
      }
      if (want.at() != null) {
        words.add("-t");
        words.add(Times.touchStamp(want.at()));
      }
      words.add("--");
      words.add(path);
      return Command.argv(words);
    }

    /**
     * Noop with the current values when nothing is to be done, else the commands followed by the probe, whose
     * output becomes the returned values.
     */
    Plan plan(String key, Entry current, int umask, String noopReason) {
      Diff diff = diff(path, before, after);
      Map<String, Object> data = base(path);
      if (!key.equals("path")) {
        data = new LinkedHashMap<>();
        data.put(key, path);
      }
      if (current != null) {
        data.putAll(current.info());
      }
      if (commands.isEmpty()) {
        return Plan.noop(noopReason, data);
      }
      List<Command> all = new ArrayList<>(commands);
      all.add(PathState.probe(path));
      Map<String, Object> checkData = data;
      Function<List<CommandResult>, Outcome> interpret = results -> interpret(key, results, all.size(), diff);
      return new Plan.Change(all, diff, Outcome.changed(checkData).withDiff(diff), interpret);
    }

    private Outcome interpret(String key, List<CommandResult> results, int planned, Diff diff) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put(key, path);
      for (CommandResult r : results) {
        if (!r.ok()) {
          String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
          return Outcome.failed(err.isEmpty() ? "command failed with exit code " + r.rc() : err, data).withDiff(diff);
        }
      }
      if (results.size() == planned) {
        try {
          PathState after = PathState.parse(path, results.get(results.size() - 1));
          if (after.exists()) {
            data.putAll(after.entry().info());
          }
        } catch (ModuleException e) {
          return Outcome.failed(e.getMessage(), data).withDiff(diff);
        }
      }
      return Outcome.changed(data).withDiff(diff);
    }
  }
}
