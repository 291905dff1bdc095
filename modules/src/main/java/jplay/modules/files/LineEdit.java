package jplay.modules.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Ansible's lineinfile algorithm, step for step, on the file's bytes (held as Latin-1 text, one char per byte, so
 * the regexes behave as Python's bytes patterns). Pure: content in, content out.
 */
final class LineEdit {
  private LineEdit() {}

  /** The outcome of an edit: the new lines, whether they differ, Ansible's message and (absent) lines found. */
  record Result(List<String> lines, boolean changed, String msg, int found) {
    String text() {
      return String.join("", lines);
    }
  }

  /** Python's {@code bytes.readlines()}: split after every \n, the last line possibly without one. */
  static List<String> readlines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        out.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      out.add(text.substring(start));
    }
    return out;
  }

  private static String rstripNl(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\r' || s.charAt(end - 1) == '\n')) {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * state=present. {@code insertafter}/{@code insertbefore} are the option values (EOF and BOF included); when both
   * are null the caller passes insertafter=EOF, as Ansible's main does.
   */
  static Result present(
      String text,
      String option,
      PyRegex regexp,
      String searchString,
      String line,
      String insertafter,
      String insertbefore,
      boolean backrefs,
      boolean firstmatch) {
    List<String> lines = new ArrayList<>(readlines(text));
    PyRegex ins = null;
    if (insertafter != null && !insertafter.equals("BOF") && !insertafter.equals("EOF")) {
      ins = PyRegex.bytes("insertafter", insertafter, 0);
    } else if (insertbefore != null && !insertbefore.equals("BOF")) {
      ins = PyRegex.bytes("insertbefore", insertbefore, 0);
    }
    int index0 = -1;
    int index1 = -1;
    Matcher match = null;
    boolean matched = false;
    boolean exactLineMatch = false;

    if (regexp != null) {
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = regexp.matcher(lines.get(i));
        if (m.find()) {
          index0 = i;
          match = m;
          matched = true;
          if (firstmatch) {
            break;
          }
        }
      }
    }
    if (searchString != null) {
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(searchString)) {
          index0 = i;
          matched = true;
          if (firstmatch) {
            break;
          }
        }
      }
    }
    if (!matched) {
      for (int i = 0; i < lines.size(); i++) {
        String cur = lines.get(i);
        if (line.equals(rstripNl(cur))) {
          index0 = i;
          exactLineMatch = true;
        } else if (ins != null && ins.search(cur)) {
          if (insertafter != null) {
            index1 = i + 1;
            if (firstmatch) {
              break;
            }
          }
          if (insertbefore != null) {
            index1 = i;
            if (firstmatch) {
              break;
            }
          }
        }
      }
    }

    String msg = "";
    boolean changed = false;
    if (index0 != -1) {
      String newLine = backrefs && matched && match != null ? regexp.expand(match, line) : line;
      if (!newLine.endsWith("\n")) {
        newLine += "\n";
      }
      if (regexp == null && searchString == null && !matched && !exactLineMatch) {
        // Unreachable in Ansible too (index0 is only set by a match); kept for the shape of the algorithm.
        return new Result(lines, false, "", 0);
      } else if (!lines.get(index0).equals(newLine)) {
        lines.set(index0, newLine);
        msg = "line replaced";
        changed = true;
      }
    } else if (backrefs) {
      // backrefs: a line that does not match leaves the file alone.
    } else if ("BOF".equals(insertbefore) || "BOF".equals(insertafter)) {
      lines.add(0, line + "\n");
      msg = "line added";
      changed = true;
    } else if ("EOF".equals(insertafter) || index1 == -1) {
      if (!lines.isEmpty() && !endsWithBreak(lines.get(lines.size() - 1))) {
        lines.add("\n");
      }
      lines.add(line + "\n");
      msg = "line added";
      changed = true;
    } else if (insertafter != null && index1 != -1) {
      if (lines.size() == index1) {
        if (!rstripNl(lines.get(index1 - 1)).equals(line)) {
          lines.add(line + "\n");
          msg = "line added";
          changed = true;
        }
      } else if (!line.equals(rstripNl(lines.get(index1)))) {
        lines.add(index1, line + "\n");
        msg = "line added";
        changed = true;
      }
    } else {
      lines.add(index1, line + "\n");
      msg = "line added";
      changed = true;
    }
    return new Result(lines, changed, msg, 0);
  }

  private static boolean endsWithBreak(String s) {
    return !s.isEmpty() && (s.charAt(s.length() - 1) == '\n' || s.charAt(s.length() - 1) == '\r');
  }

  /** state=absent: every line that matches (regexp, search_string, or equals {@code line}) goes. */
  static Result absent(String text, PyRegex regexp, String searchString, String line) {
    List<String> kept = new ArrayList<>();
    int found = 0;
    for (String cur : readlines(text)) {
      boolean hit;
      if (regexp != null) {
        hit = regexp.search(cur);
      } else if (searchString != null) {
        hit = cur.contains(searchString);
      } else {
        hit = line.equals(rstripNl(cur));
      }
      if (hit) {
        found++;
      } else {
        kept.add(cur);
      }
    }
    return new Result(kept, found > 0, found > 0 ? found + " line(s) removed" : "", found);
  }
}
