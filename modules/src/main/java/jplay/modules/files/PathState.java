package jplay.modules.files;

import java.util.LinkedHashMap;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * What a path is on the target, read by one probe: the shell's umask, the path's own entry (not following a
 * symlink) and, for a symlink, where it resolves to and that entry.
 *
 * <pre>{@code
 * PathState now = ctx.fact(PathState.fact("/etc/hosts"));
 * now.exists();   // true
 * }</pre>
 *
 * @param path the path as asked
 * @param umask the umask of the target's shell
 * @param entry the path itself, null when absent
 * @param target for a symlink, its resolved path ({@code readlink -f}); else null
 * @param resolved for a symlink, the entry it points to; null when dangling or not a link
 */
public record PathState(String path, int umask, Entry entry, String target, Entry resolved) {

  /** The kinds Ansible tells apart; everything else (fifo, socket, device) it calls a file. */
  public enum Kind {
    FILE,
    DIRECTORY,
    LINK
  }

  /**
   * One stat result.
   *
   * @param owner the user name, or the uid as text when the target has no name for it (as Ansible)
   */
  public record Entry(Kind kind, int mode, int nlink, long uid, long gid, long size, String owner, String group) {
    /** Ansible's state name: link, directory, hard (a file with more than one link) or file. */
    public String state() {
      return switch (kind) {
        case LINK -> "link";
        case DIRECTORY -> "directory";
        case FILE -> nlink > 1 ? "hard" : "file";
      };
    }

    /** Ansible's return values for a path that exists (its {@code add_path_info}). */
    public Map<String, Object> info() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("uid", uid);
      out.put("gid", gid);
      out.put("owner", owner);
      out.put("group", group);
      out.put("mode", Modes.format(mode));
      out.put("state", state());
      out.put("size", size);
      return out;
    }
  }

  public boolean exists() {
    return entry != null;
  }

  /** Ansible's state of the path: absent, link, directory, hard or file. */
  public String state() {
    return entry == null ? "absent" : entry.state();
  }

  /**
   * The fact for {@code path}; the key holds the path, so two paths in one task are two facts. It guesses that the
   * path is new ({@link #ABSENT}).
   */
  public static Fact<PathState> fact(String path) {
    return Fact.of("path-state " + path, probe(path), r -> parse(path, r)).withGuess(ABSENT);
  }

  private static final java.util.regex.Pattern UMASK_LINE = java.util.regex.Pattern.compile("(?m)^umask [0-7]+$");

  /**
   * The guess that a path is new: its probe then prints the umask an earlier probe printed (before any, the usual
   * 0022), and "absent". Where the path exists the guess misses, which costs nothing but a second planning.
   */
  static final Fact.Guess ABSENT = absent("");

  /** A guess that the path is absent, for a probe that prints {@code before} and then this class's probe. */
  static Fact.Guess absent(String before) {
    return new Fact.Guess("umask", earlier -> {
      if (earlier == null) {
        return before + "umask 0022\nabsent\n";
      }
      java.util.regex.Matcher m = UMASK_LINE.matcher(earlier);
      return m.find() ? before + m.group() + "\nabsent\n" : null;
    });
  }

  /**
   * The probe: {@code stat -c} (GNU and busybox print the same), falling back to {@code ls -ldn} and
   * {@code ls -ld} where a busybox is built without stat formats. The resolved target comes last, unterminated,
   * so a name holding a newline cannot be mistaken for another line.
   */
  public static Command probe(String path) {
    return Command.of(
        "p=" + Shell.quote(path) + "\n"
            + "info() { stat $2 -c \"$1 %f %h %u %g %s %U %G\" -- \"$p\" 2>/dev/null"
            + " || { ls $2 -ldn -- \"$p\" | sed -n \"1s/^/$1 ls /p\"; ls $2 -ld -- \"$p\" | sed -n \"1s/^/$1 names /p\"; }; }\n"
            + "printf 'umask '; umask\n" // the builtin prints it: no subshell
            + "if [ -L \"$p\" ]; then\n"
            + "  info path\n"
            + "  if [ -e \"$p\" ]; then info target -L; fi\n"
            + "  printf 'realpath %s' \"$(readlink -f -- \"$p\")\"\n"
            + "elif [ -e \"$p\" ]; then info path\n"
            + "else echo absent\n"
            + "fi\n");
  }

  /** Reads the probe's output; throws {@link ModuleException} on anything it does not recognise. */
  public static PathState parse(String path, CommandResult r) {
    if (!r.ok()) {
      throw new ModuleException(
          "cannot read the state of " + path + ": " + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
    }
    String out = r.stdout();
    String target = null;
    int t = out.indexOf("\nrealpath ");
    if (t >= 0) {
      target = out.substring(t + "\nrealpath ".length());
      out = out.substring(0, t + 1);
    }
    Integer umask = null;
    Map<String, String> lines = new LinkedHashMap<>();
    boolean absent = false;
    for (String line : out.split("\n")) {
      if (line.startsWith("umask ")) {
        umask = parseOctal(path, line.substring(6).trim());
      } else if (line.equals("absent")) {
        absent = true;
      } else if (line.startsWith("path ") || line.startsWith("target ")) {
        int sp = line.indexOf(' ');
        String tag = line.substring(0, sp);
        String rest = line.substring(sp + 1);
        if (rest.startsWith("ls ") || rest.startsWith("names ")) {
          int sp2 = rest.indexOf(' ');
          lines.put(tag + " " + rest.substring(0, sp2), rest.substring(sp2 + 1));
        } else {
          lines.put(tag, rest);
        }
      } else if (!line.isBlank()) {
        throw unreadable(path, r);
      }
    }
    if (umask == null || absent && !lines.isEmpty()) {
      throw unreadable(path, r);
    }
    if (absent) {
      return new PathState(path, umask, null, null, null);
    }
    Entry entry = entry(path, r, lines, "path");
    if (entry == null) {
      throw unreadable(path, r);
    }
    if (entry.kind() == Kind.LINK) {
      if (target == null) {
        throw unreadable(path, r);
      }
      return new PathState(path, umask, entry, target.endsWith("\n") ? target.substring(0, target.length() - 1) : target,
          entry(path, r, lines, "target"));
    }
    return new PathState(path, umask, entry, null, null);
  }

  private static Entry entry(String path, CommandResult r, Map<String, String> lines, String tag) {
    String stat = lines.get(tag);
    if (stat != null) {
      return fromStat(path, r, stat);
    }
    String ls = lines.get(tag + " ls");
    String names = lines.get(tag + " names");
    if (ls != null && names != null) {
      return fromLs(path, r, ls, names);
    }
    return null;
  }

  /** A line of {@code stat -c '%f %h %u %g %s %U %G'}. */
  static Entry fromStat(String path, CommandResult r, String line) {
    String[] f = line.trim().split(" +");
    if (f.length != 7) {
      throw unreadable(path, r);
    }
    try {
      int raw = Integer.parseInt(f[0], 16);
      long uid = Long.parseLong(f[2]);
      long gid = Long.parseLong(f[3]);
      Kind kind = switch (raw & 0170000) {
        case 0040000 -> Kind.DIRECTORY;
        case 0120000 -> Kind.LINK;
        default -> Kind.FILE;
      };
      return new Entry(
          kind, raw & 07777, Integer.parseInt(f[1]), uid, gid, Long.parseLong(f[4]), name(f[5], uid), name(f[6], gid));
    } catch (NumberFormatException e) {
      throw unreadable(path, r);
    }
  }

  /** The first fields of {@code ls -ldn} (numbers) and {@code ls -ld} (names) for the same path. */
  static Entry fromLs(String path, CommandResult r, String numeric, String named) {
    String[] n = numeric.trim().split("\\s+");
    String[] w = named.trim().split("\\s+");
    if (n.length < 5 || w.length < 4 || n[0].length() < 10) {
      throw unreadable(path, r);
    }
    String m = n[0];
    Kind kind = switch (m.charAt(0)) {
      case 'd' -> Kind.DIRECTORY;
      case 'l' -> Kind.LINK;
      default -> Kind.FILE;
    };
    int mode = 0;
    for (int i = 0; i < 9; i++) {
      char c = m.charAt(1 + i);
      if (c != '-' && c != 'S' && c != 'T') {
        mode |= 1 << (8 - i);
      }
    }
    char su = m.charAt(3);
    char sg = m.charAt(6);
    char st = m.charAt(9);
    if (su == 's' || su == 'S') {
      mode |= 04000;
    }
    if (sg == 's' || sg == 'S') {
      mode |= 02000;
    }
    if (st == 't' || st == 'T') {
      mode |= 01000;
    }
    try {
      long uid = Long.parseLong(n[2]);
      long gid = Long.parseLong(n[3]);
      // A device shows "major, minor" where the size would be; Ansible reports its st_size, which is 0.
      long size = n[4].endsWith(",") ? 0 : Long.parseLong(n[4]);
      return new Entry(kind, mode, Integer.parseInt(n[1]), uid, gid, size, w[2], w[3]);
    } catch (NumberFormatException e) {
      throw unreadable(path, r);
    }
  }

  private static String name(String shown, long id) {
    return shown.equals("UNKNOWN") ? Long.toString(id) : shown;
  }

  private static int parseOctal(String path, String s) {
    try {
      return Integer.parseInt(s, 8);
    } catch (NumberFormatException e) {
      throw new ModuleException("cannot read the state of " + path + ": umask printed '" + s + "'");
    }
  }

  private static ModuleException unreadable(String path, CommandResult r) {
    String shown = r.stdout().length() > 200 ? r.stdout().substring(0, 200) + "..." : r.stdout();
    return new ModuleException(
        "cannot read the state of " + path + ": unexpected probe output '" + shown.strip() + "'");
  }
}
