package jplay.modules.files;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.api.ModuleException;

/**
 * File modes as Ansible computes them: an octal string, or a symbolic mode applied to the current mode. The
 * result is always a plain octal number, so the command that sets it is exact and the next run sees no change.
 */
public final class Modes {
  private static final Pattern CLAUSE = Pattern.compile("([ugoa]*)((?:[-+=][rwxXstugo]*)+)");
  private static final Pattern ACTION = Pattern.compile("([-+=])([rwxXstugo]*)");
  private static final int PERM_BITS = 07777;

  private Modes() {}

  /** True for an octal mode ("0644", "644", "0o644"), false for a symbolic one. */
  public static boolean isOctal(String spec) {
    return spec.matches("(0o)?[0-7]{1,4}");
  }

  /**
   * The mode {@code spec} gives a path whose mode is now {@code current}.
   *
   * @param isDir whether the path is a directory ({@code X} then always adds execute)
   * @param umask the target's umask: a symbolic clause without who ({@code +x}) leaves umask bits alone, as chmod
   */
  public static int resolve(String spec, int current, boolean isDir, int umask) {
    if (isOctal(spec)) {
      return Integer.parseInt(spec.startsWith("0o") ? spec.substring(2) : spec, 8);
    }
    int mode = current & PERM_BITS;
    for (String clause : spec.split(",", -1)) {
      Matcher m = CLAUSE.matcher(clause);
      if (!m.matches()) {
        throw new ModuleException("bad symbolic permission for mode: " + clause);
      }
      String users = m.group(1);
      boolean useUmask = users.isEmpty();
      if (users.isEmpty() || users.contains("a")) {
        users = "ugo";
      }
      Matcher action = ACTION.matcher(m.group(2));
      while (action.find()) {
        char op = action.group(1).charAt(0);
        String perms = action.group(2);
        for (char user : users.toCharArray()) {
          int bits = 0;
          for (char perm : perms.toCharArray()) {
            bits |= permBits(user, perm, mode, isDir, useUmask, umask);
          }
          mode = apply(user, op, bits, mode);
        }
      }
    }
    return mode;
  }

  // Mirrors Ansible's _get_octal_mode_from_symbolic_perms: X looks at the mode as changed so far.
  private static int permBits(char user, char perm, int mode, boolean isDir, boolean useUmask, int umask) {
    int shift = switch (user) {
      case 'u' -> 6;
      case 'g' -> 3;
      default -> 0;
    };
    int keep = useUmask ? ~umask & PERM_BITS : PERM_BITS;
    return switch (perm) {
      case 'r' -> (04 << shift) & keep;
      case 'w' -> (02 << shift) & keep;
      case 'x' -> (01 << shift) & keep;
      case 'X' -> isDir || (mode & 0111) != 0 ? 01 << shift : 0;
      case 's' -> user == 'u' ? 04000 : user == 'g' ? 02000 : 0;
      case 't' -> user == 'o' ? 01000 : 0;
      case 'u' -> ((mode >> 6) & 07) << shift;
      case 'g' -> ((mode >> 3) & 07) << shift;
      case 'o' -> (mode & 07) << shift;
      default -> throw new ModuleException("bad symbolic permission for mode: " + perm);
    };
  }

  private static int apply(char user, char op, int bits, int mode) {
    return switch (op) {
      case '=' -> {
        int mask = switch (user) {
          case 'u' -> 0700 | 04000;
          case 'g' -> 0070 | 02000;
          default -> 0007 | 01000;
        };
        yield (mode & (mask ^ PERM_BITS)) | bits;
      }
      case '+' -> mode | bits;
      default -> mode & ~bits;
    };
  }

  /** Ansible's rendering of a mode: {@code '0%03o'}, so "0644" and "04755". */
  public static String format(int mode) {
    return String.format("0%03o", mode & PERM_BITS);
  }
}
