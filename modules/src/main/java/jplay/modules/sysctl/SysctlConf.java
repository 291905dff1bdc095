package jplay.modules.sysctl;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of a sysctl.conf text, as {@code sysctl -p} reads them: {@code key = value} lines; blank lines,
 * {@code #} and {@code ;} comments and lines without {@code =} are not entries. A key may be written with a
 * leading {@code -} (its errors are ignored) and in dotted or slash form. Editing keeps every other line as it is.
 */
final class SysctlConf {
  private SysctlConf() {}

  /** One entry: its line number (0-based), its key in dotted form, and its value with the outer blanks removed. */
  record Entry(int line, String key, String value) {}

  static List<Entry> entries(List<String> lines) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      int eq = t.indexOf('=');
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";") || eq < 0) {
        continue;
      }
      String k = t.substring(0, eq).strip();
      if (k.startsWith("-")) {
        k = k.substring(1).strip();
      }
      out.add(new Entry(i, SysctlState.canonical(k), t.substring(eq + 1).strip()));
    }
    return out;
  }

  /** The entry that takes effect: the last one for {@code key}, or null. */
  static Entry last(List<String> lines, String key) {
    Entry found = null;
    for (Entry e : entries(lines)) {
      if (e.key().equals(key)) {
        found = e;
      }
    }
    return found;
  }

  /**
   * The lines with {@code key} set to {@code value}: the last entry keeps its place and its spelling up to the
   * value, earlier entries of the key are dropped (they never took effect), and a missing key is appended as
   * Ansible writes it ({@code key=value}).
   */
  static List<String> set(List<String> lines, String key, String value) {
    Entry last = last(lines, key);
    List<String> out = new ArrayList<>();
    List<Integer> drop = entries(lines).stream().filter(e -> e.key().equals(key)).map(Entry::line).toList();
    for (int i = 0; i < lines.size(); i++) {
      if (last != null && i == last.line()) {
        out.add(withValue(lines.get(i), value));
      } else if (!drop.contains(i)) {
        out.add(lines.get(i));
      }
    }
    if (last == null) {
      out.add(key + "=" + value);
    }
    return out;
  }

  /** The lines without any entry for {@code key}. */
  static List<String> remove(List<String> lines, String key) {
    List<Integer> drop = entries(lines).stream().filter(e -> e.key().equals(key)).map(Entry::line).toList();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!drop.contains(i)) {
        out.add(lines.get(i));
      }
    }
    return out;
  }

  // "net.ipv4.ip_forward = 0" becomes "net.ipv4.ip_forward = 1": the indentation, key and spacing stay.
  private static String withValue(String line, String value) {
    int eq = line.indexOf('=');
    int start = eq + 1;
    while (start < line.length() && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
      start++;
    }
    return line.substring(0, start) + value;
  }

  /** Two values are the same when their blank-separated words are: the kernel prints tabs, users write spaces. */
  static boolean sameValue(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return List.of(a.strip().split("\\s+")).equals(List.of(b.strip().split("\\s+")));
  }
}
