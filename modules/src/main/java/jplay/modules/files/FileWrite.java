package jplay.modules.files;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;
import jplay.modules.command.ShellWords;

/**
 * Writes a whole file on the target atomically: the content arrives on the command's standard input, or in
 * {@link Command#STDIN_VARIABLE} where the connection can put it there (never on a command line), goes to a new
 * temp file with a random name in the destination's own directory, created private (umask 077) or with its final
 * mode already when that is plain read/write bits, gets its final mode and owner there, is validated, and is
 * renamed over the destination. A reader sees the old
 * file or the new one, never half of one; a failure leaves the destination untouched and removes the temp file.
 *
 * @param dest where the file goes (a symlink there is replaced; resolve it first to write through it)
 * @param content the bytes
 * @param mode the final mode
 * @param owner an owner to set (must succeed), or null
 * @param group a group to set (must succeed), or null
 * @param keepIds "uid:gid" of the file being replaced, set when possible (as Ansible's atomic_move), or null
 * @param validate a command with {@code %s} for the temp file, run before the rename; null for none
 * @param backup copy the existing file to {@code dest.PID.YYYY-MM-DD@HH:MM:SS~} first, as Ansible's backup_local
 * @param makeDirs create missing parent directories
 * @param fromRemote a file on the target to take the content from (remote_src) instead of {@code content}
 */
record FileWrite(
    String dest,
    byte[] content,
    int mode,
    String owner,
    String group,
    String keepIds,
    String validate,
    boolean backup,
    boolean makeDirs,
    String fromRemote) {

  FileWrite {
    if ((content == null) == (fromRemote == null)) {
      throw new IllegalArgumentException("a write takes either content or a remote source");
    }
  }

  /** The exit code of the write script when the validate command refused the file. */
  static final int VALIDATE_FAILED = 97;

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final String VALIDATE_MARK = "\njplay-validate-failed rc:";

  Command command() {
    String dir = parent(dest);
    List<String> s = new ArrayList<>();
    s.add("f=" + Shell.quote(dest));
    s.add("d=" + Shell.quote(dir));
    if (makeDirs) {
      s.add("mkdir -p -- \"$d\" || exit");
    } else {
      s.add("[ -d \"$d\" ] || { printf 'Destination directory %s does not exist\\n' \"$d\" >&2; exit 1; }");
    }
    // A temp name no one can guess, created new (noclobber: O_EXCL) and private (umask 077): mktemp's guarantees
    // without its process.
    s.add("t=\"$d/.jplay.\"" + tempSuffix());
    // A mode of plain read/write bits that lets the owner write comes with the file: the umask that gives it, then
    // back to 077, and no chmod process. Others are set by chmod after the chown, in Ansible's order.
    boolean modeAtCreation = (mode & ~0666) == 0 && (mode & 0200) != 0;
    String umask = modeAtCreation ? String.format("%04o", 0777 & ~mode) : "077";
    s.add("umask " + umask + "; set -C; : > \"$t\" || exit; set +C" + (modeAtCreation ? "; umask 077" : ""));
    s.add("trap 'rm -f -- \"$t\"' EXIT");
    if (fromRemote != null) {
      s.add("cat -- " + Shell.quote(fromRemote) + " > \"$t\" || exit");
    } else {
      // The content in a variable when the connection put it there (small text, through the host's shell).
      String var = Command.STDIN_VARIABLE;
      s.add("if [ \"${" + var + "+set}\" ]; then printf %s \"$" + var + "\" > \"$t\"; else cat > \"$t\"; fi || exit");
    }
    if (keepIds != null) {
      // The ids of the file replaced; no chown when the temp file has them already (the usual case).
      s.add("[ -O \"$f\" ] && [ -G \"$f\" ] && [ -G \"$t\" ] || chown -- " + keepIds + " \"$t\" 2>/dev/null");
    }
    if (owner != null) {
      s.add("chown -- " + Shell.quote(owner) + " \"$t\" || exit");
    }
    if (group != null) {
      s.add("chgrp -- " + Shell.quote(group) + " \"$t\" || exit");
    }
    if (!modeAtCreation) {
      s.add("chmod -- " + String.format("%04o", mode) + " \"$t\" || exit");
    }
    // SELinux: the replaced file's context (its filesystem is mounted only where SELinux is enabled).
    s.add("if [ -e \"$f\" ] && [ -e /sys/fs/selinux/enforce ]; then"
        + " chcon --reference=\"$f\" -- \"$t\" 2>/dev/null; fi");
    if (validate != null) {
      s.add(validateLine(validate) + " >&2 || { rc=$?; printf '" + VALIDATE_MARK.replace("\n", "\\n")
          + "%s' \"$rc\" >&2; exit " + VALIDATE_FAILED + "; }");
    }
    if (backup) {
      s.add("if [ -e \"$f\" ]; then b=\"$f.$$.$(date +%Y-%m-%d@%H:%M:%S~)\"; cp -p -- \"$f\" \"$b\" || exit;"
          + " printf 'backup_file=%s\\n' \"$b\"; fi");
    }
    s.add("mv -f -- \"$t\" \"$f\" || exit");
    s.add("trap - EXIT");
    Command c = Command.of(String.join("\n", s) + "\n");
    return content == null ? c : c.withStdin(content).withStdinVariable();
  }

  /** Sixteen random hex digits (64 bits), as unguessable as mktemp's name. */
  static String tempSuffix() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The directory of {@code path}, safe to start a mktemp template with (never a leading dash). */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return ".";
    }
    if (slash == 0) {
      return "/";
    }
    String dir = path.substring(0, slash);
    return dir.startsWith("/") || dir.startsWith(".") ? dir : "./" + dir;
  }

  /**
   * The validate command as a shell line: split into words as Python's shlex does (Ansible runs it without a
   * shell), each word quoted, {@code %s} becoming the temp file.
   */
  static String validateLine(String validate) {
    if (!validate.contains("%s")) {
      throw new ModuleException("validate must contain %s: " + validate);
    }
    List<String> words;
    try {
      words = ShellWords.split(validate);
    } catch (IllegalArgumentException e) {
      throw new ModuleException("cannot split validate '" + validate + "' into words: " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    for (String word : words) {
      StringBuilder w = new StringBuilder();
      StringBuilder lit = new StringBuilder();
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        if (c == '%' && i + 1 < word.length() && word.charAt(i + 1) == 's') {
          if (lit.length() > 0) {
            w.append(Shell.quote(lit.toString()));
            lit.setLength(0);
          }
          w.append("\"$t\"");
          i++;
        } else if (c == '%' && i + 1 < word.length() && word.charAt(i + 1) == '%') {
          lit.append('%');
          i++;
        } else {
          lit.append(c);
        }
      }
      if (lit.length() > 0 || w.length() == 0) {
        w.append(Shell.quote(lit.toString()));
      }
      out.add(w.toString());
    }
    return String.join(" ", out);
  }

  /** The backup's path from the script's output, or null. */
  static String backupFile(CommandResult r) {
    String out = r.stdout();
    int i = out.indexOf("backup_file=");
    if (i < 0) {
      return null;
    }
    String rest = out.substring(i + "backup_file=".length());
    return rest.endsWith("\n") ? rest.substring(0, rest.length() - 1) : rest;
  }

  /** Ansible's message for a failed write: the validate command's, or the failing tool's error. */
  static String failure(CommandResult r) {
    String err = r.stderr();
    int mark = err.lastIndexOf(VALIDATE_MARK);
    if (r.rc() == VALIDATE_FAILED && mark >= 0) {
      String rc = err.substring(mark + VALIDATE_MARK.length()).strip();
      return "failed to validate: rc:" + rc + " error:" + err.substring(0, mark);
    }
    String e = err.isBlank() ? r.stdout().strip() : err.strip();
    return e.isEmpty() ? "command failed with exit code " + r.rc() : e;
  }
}
