package jplay.modules.files;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import jplay.engine.api.Command;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * The file module's {@code access_time} and {@code modification_time}: {@code now}, {@code preserve}, or a fixed time
 * in the target's local time, written with a Python strftime format (default {@code %Y%m%d%H%M.%S}). A fixed time
 * is set with {@code touch -t} (which reads it in the target's time zone, as Ansible's mktime does) and compared as
 * local wall-clock time with what {@code stat} shows, so a second run changes nothing.
 */
final class Times {
  private Times() {}

  /** One wanted time: now, preserve, or {@code at}. */
  record Want(boolean now, LocalDateTime at) {
    boolean preserve() {
      return !now && at == null;
    }
  }

  static Want parse(String value, String pythonFormat, String param) {
    if (value.equals("now")) {
      return new Want(true, null);
    }
    if (value.equals("preserve")) {
      return new Want(false, null);
    }
    try {
      return new Want(false, LocalDateTime.parse(value, formatter(pythonFormat)));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new ModuleException("Error while obtaining timestamp for time " + value + " using format " + pythonFormat
          + ": " + e.getMessage() + " (parameter '" + param + "')");
    }
  }

  /** A Python strftime/strptime format as a Java formatter (the directives time.strptime knows for dates). */
  static DateTimeFormatter formatter(String py) {
    StringBuilder out = new StringBuilder();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < py.length(); i++) {
      char c = py.charAt(i);
      if (c != '%' || i + 1 >= py.length()) {
        lit.append(c);
        continue;
      }
      char d = py.charAt(++i);
      String java = switch (d) {
        case 'Y' -> "uuuu";
        case 'y' -> "uu";
        case 'm' -> "MM";
        case 'd' -> "dd";
        case 'H' -> "HH";
        case 'I' -> "hh";
        case 'M' -> "mm";
        case 'S' -> "ss";
        case 'p' -> "a";
        case 'b' -> "MMM";
        case 'B' -> "MMMM";
        case 'j' -> "DDD";
        case '%' -> null;
        default -> throw new IllegalArgumentException("the format directive %" + d + " is not supported");
      };
      if (java == null) {
        lit.append('%');
        continue;
      }
      if (lit.length() > 0) {
        out.append('\'').append(lit.toString().replace("'", "''")).append('\'');
        lit.setLength(0);
      }
      out.append(java);
    }
    if (lit.length() > 0) {
      out.append('\'').append(lit.toString().replace("'", "''")).append('\'');
    }
    return DateTimeFormatter.ofPattern(out.toString(), Locale.ENGLISH)
        .withResolverStyle(java.time.format.ResolverStyle.STRICT);
  }

  /** A wanted time for the diff, as stat shows times (without the fraction and zone). */
  static String shown(LocalDateTime t) {
    return t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
  }

  /** {@code touch -t}'s [[CC]YY]MMDDhhmm[.ss]. */
  static String touchStamp(LocalDateTime t) {
    return t.format(DateTimeFormatter.ofPattern("uuuuMMddHHmm.ss"));
  }

  /** The current access and modification times as stat shows them (local time), following a symlink. */
  static Fact<String[]> current(String path) {
    return Fact.of("times " + path,
        Command.of("stat -L -c '%x|%y' -- " + Shell.quote(path.startsWith("-") ? "./" + path : path)),
        r -> {
          String[] parts = r.stdout().strip().split("\\|");
          if (!r.ok() || parts.length != 2) {
            throw new ModuleException("cannot read the times of " + path + ": "
                + (r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip()));
          }
          return parts;
        });
  }

  /** Whether stat's "2024-01-01 12:00:00.000000000 +0100" is exactly {@code at} (whole seconds, as touch -t sets). */
  static boolean same(String shown, LocalDateTime at) {
    String s = shown.strip();
    int sp = s.lastIndexOf(' ');
    String local = sp > 0 ? s.substring(0, sp) : s;
    String want = at.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"));
    return local.equals(want) || local.equals(want + ".000000000");
  }
}
