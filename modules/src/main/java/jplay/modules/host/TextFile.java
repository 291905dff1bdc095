package jplay.modules.host;

import jplay.engine.api.Command;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * A small text file on the target (a config such as /etc/fstab or /etc/selinux/config): read in one probe, with its
 * mode and owner, and written atomically: a temp file beside it gets the content from stdin and the old file's
 * mode and owner, then is renamed over it, so readers see the old file or the new one, never half of one.
 *
 * @param exists whether the file exists
 * @param content its text ("" when missing)
 * @param mode octal permission bits, e.g. "644" (null when missing)
 * @param owner "uid:gid" (null when missing)
 */
record TextFile(String path, boolean exists, String content, String mode, String owner) {
  private static final String END = "\njplay-end-of-file ";

  static Fact<TextFile> read(String path) {
    String f = Shell.quote(path);
    String script = "if [ -f " + f + " ]; then stat -c '%a %u:%g' -- " + f + " && cat -- " + f
        + " && printf '" + END.replace("\n", "\\n") + "ok\\n'; elif [ -e " + f + " ]; then echo 'not a regular file'"
        + " >&2; exit 1; else echo missing; fi";
    return Fact.of("text-file " + path, Command.of(script), r -> {
      if (!r.ok()) {
        throw new ModuleException("cannot read " + path + ": " + r.stderr().strip());
      }
      String out = r.stdout();
      if (out.equals("missing\n")) {
        return new TextFile(path, false, "", null, null);
      }
      int nl = out.indexOf('\n');
      int end = out.lastIndexOf(END);
      if (nl < 0 || end < nl) {
        throw new ModuleException("cannot read " + path + ": the probe's output was cut short");
      }
      String[] meta = out.substring(0, nl).split(" ");
      return new TextFile(path, true, out.substring(nl + 1, end), meta[0], meta[1]);
    });
  }

  /**
   * A command that replaces the file with {@code text} atomically, keeping its mode and owner (a new file: 0644,
   * its folder created).
   */
  Command write(String text) {
    String f = Shell.quote(path);
    StringBuilder s = new StringBuilder();
    s.append("f=").append(f).append("; ");
    if (!exists) {
      s.append("mkdir -p -- \"$(dirname -- \"$f\")\" && ");
    }
    s.append("t=$(mktemp \"$f.jplay.XXXXXX\") || exit 1\n");
    s.append("if cat > \"$t\" && chmod ").append(exists ? mode : "644").append(" \"$t\"");
    if (exists) {
      s.append(" && chown ").append(owner).append(" \"$t\"");
    }
    s.append(" && mv -f -- \"$t\" \"$f\"; then exit 0; else rc=$?; rm -f -- \"$t\"; exit \"$rc\"; fi");
    return Command.of(s.toString()).withStdin(text);
  }
}
