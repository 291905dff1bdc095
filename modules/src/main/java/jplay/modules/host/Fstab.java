package jplay.modules.host;

import java.util.ArrayList;
import java.util.List;

/** Ansible's fstab editing (ansible.posix.mount's set_mount and unset_mount on Linux), as pure text functions. */
final class Fstab {
  private Fstab() {}

  /** The new text and whether it differs. */
  record Edit(String text, boolean changed) {}

  /** fstab's escapes for space, ampersand and backslash, as Ansible writes them. */
  static String escape(String v) {
    return v.replace("\\", "\\134").replace(" ", "\\040").replace("&", "\\046");
  }

  /** Adds the entry for {@code path}, or rewrites the first matching line when a field differs. */
  static Edit set(String text, String path, String src, String fstype, String opts, String dump, String passno) {
    String name = escape(path);
    String[] want = {escape(src), name, escape(fstype), escape(opts), escape(dump), escape(passno)};
    StringBuilder out = new StringBuilder();
    boolean exists = false;
    boolean changed = false;
    for (String line : lines(text)) {
      String[] f = line.strip().split("\\s+");
      if (line.isBlank() || line.strip().startsWith("#") || f.length < 4 || f.length > 6) {
        out.append(line);
        continue;
      }
      // A swap entry without a mount point is told apart by its device.
      if (!f[1].equals(name) || (f[1].equals("none") && f[2].equals("swap") && !f[0].equals(src))) {
        out.append(line);
        continue;
      }
      exists = true;
      String[] have = {f[0], f[1], f[2], f[3], f.length > 4 ? f[4] : "0", f.length > 5 ? f[5] : "0"};
      boolean differs = false;
      for (int i = 0; i < 6; i++) {
        if (!have[i].equals(want[i])) {
          differs = true;
        }
      }
      // Ansible keeps checking later duplicates once one differed; each matching line is rewritten.
      changed |= differs;
      out.append(changed ? String.join(" ", want) + "\n" : line);
    }
    if (!exists) {
      out.append(String.join(" ", want)).append('\n');
      changed = true;
    }
    return new Edit(out.toString(), changed);
  }

  /** Removes every six-field line whose mount point is {@code path}. */
  static Edit unset(String text, String path) {
    String name = escape(path);
    StringBuilder out = new StringBuilder();
    boolean changed = false;
    for (String line : lines(text)) {
      String[] f = line.strip().split("\\s+");
      if (!line.isBlank() && !line.strip().startsWith("#") && f.length == 6 && f[1].equals(name)) {
        changed = true;
        continue;
      }
      out.append(line);
    }
    return new Edit(out.toString(), changed);
  }

  /** The lines, each ending in a newline (one is added to a last line without), as Python's readlines + fix. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        out.add(text.substring(start) + "\n");
        break;
      }
      out.add(text.substring(start, nl + 1));
      start = nl + 1;
    }
    return out;
  }
}
