package jplay.engine.output;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unified diff of two texts, line by line, as Ansible shows with {@code --diff}.
 *
 * <p>This is a port of Python's {@code difflib.SequenceMatcher} (longest matching block first, then recursively
 * left and right of it, with the "popular line" heuristic for texts of 200 lines or more) and {@code
 * unified_diff}, rather than Myers' algorithm: both give minimal-looking diffs, but they choose different hunks
 * when several are equally good, and users comparing jplay's output with Ansible's should see the same hunks.
 */
public final class UnifiedDiff {
  private UnifiedDiff() {}

  /**
   * A module's diff as plain text, as HumanOutput prints it without colours (headers {@code before}/{@code after}
   * with the diff's own header names, 3 lines of context); empty when nothing differs. For outputs outside this
   * package (jplay adhoc, the console).
   */
  public static String text(jplay.engine.api.Diff d) {
    String before = d.beforeHeader() == null ? "before" : "before: " + d.beforeHeader();
    String after = d.afterHeader() == null ? "after" : "after: " + d.afterHeader();
    StringBuilder sb = new StringBuilder();
    for (Line l : diff(before, d.before() == null ? "" : d.before(), after, d.after() == null ? "" : d.after(), 3)) {
      sb.append(l.text()).append('\n');
    }
    return sb.toString();
  }

  /** One line of the diff, its text without the line break, and what it is (for colours). */
  record Line(Kind kind, String text) {}

  enum Kind {
    HEADER_BEFORE,
    HEADER_AFTER,
    HUNK,
    CONTEXT,
    REMOVED,
    ADDED,
    /** {@code \ No newline at end of file}, which belongs to the removed or added line before it. */
    NO_NEWLINE_REMOVED,
    NO_NEWLINE_ADDED,
    NO_NEWLINE_CONTEXT
  }

  private record Match(int a, int b, int size) {}

  private record Opcode(char tag, int i1, int i2, int j1, int j2) {}

  /**
   * The diff lines, empty when the texts are equal.
   *
   * @param context lines of context around each change (Ansible's default is 3)
   */
  static List<Line> diff(String beforeHeader, String before, String afterHeader, String after, int context) {
    List<String> a = splitLines(before);
    List<String> b = splitLines(after);
    List<List<Opcode>> groups = groupedOpcodes(opcodes(a, b), context);
    List<Line> out = new ArrayList<>();
    if (groups.isEmpty()) {
      return out;
    }
    out.add(new Line(Kind.HEADER_BEFORE, "--- " + beforeHeader));
    out.add(new Line(Kind.HEADER_AFTER, "+++ " + afterHeader));
    for (List<Opcode> group : groups) {
      Opcode first = group.get(0);
      Opcode last = group.get(group.size() - 1);
      out.add(new Line(Kind.HUNK, "@@ -" + range(first.i1, last.i2) + " +" + range(first.j1, last.j2) + " @@"));
      for (Opcode op : group) {
        if (op.tag == 'e') {
          add(out, a, op.i1, op.i2, ' ', Kind.CONTEXT, Kind.NO_NEWLINE_CONTEXT);
          continue;
        }
        if (op.tag == 'r' || op.tag == 'd') {
          add(out, a, op.i1, op.i2, '-', Kind.REMOVED, Kind.NO_NEWLINE_REMOVED);
        }
        if (op.tag == 'r' || op.tag == 'i') {
          add(out, b, op.j1, op.j2, '+', Kind.ADDED, Kind.NO_NEWLINE_ADDED);
        }
      }
    }
    return out;
  }

  private static void add(List<Line> out, List<String> lines, int from, int to, char prefix, Kind kind, Kind noNl) {
    for (String line : lines.subList(from, to)) {
      String bare = stripBreak(line);
      if (bare.length() < line.length()) {
        out.add(new Line(kind, prefix + bare));
      } else {
        out.add(new Line(kind, prefix + line));
        out.add(new Line(noNl, "\\ No newline at end of file"));
      }
    }
  }

  /** Drops the \n only: Ansible prints a \r\n line with its \r. */
  private static String stripBreak(String line) {
    if (line.endsWith("\n")) {
      return line.substring(0, line.length() - 1);
    }
    if (line.endsWith("\r")) {
      return line.substring(0, line.length() - 1);
    }
    return line;
  }

  /**
   * Python's {@code str.splitlines(True)} for \n, \r\n and \r: each line keeps its break, so that lines differing
   * only in their break (or the last line's missing one) compare unequal, as in Ansible.
   */
  static List<String> splitLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** difflib's {@code _format_range_unified}. */
  private static String range(int start, int stop) {
    int beginning = start + 1;
    int length = stop - start;
    if (length == 1) {
      return Integer.toString(beginning);
    }
    if (length == 0) {
      beginning--;
    }
    return beginning + "," + length;
  }

  private static List<Opcode> opcodes(List<String> a, List<String> b) {
    List<Opcode> answer = new ArrayList<>();
    int i = 0;
    int j = 0;
    for (Match m : matchingBlocks(a, b)) {
      char tag = 0;
      if (i < m.a && j < m.b) {
        tag = 'r';
      } else if (i < m.a) {
        tag = 'd';
      } else if (j < m.b) {
        tag = 'i';
      }
      if (tag != 0) {
        answer.add(new Opcode(tag, i, m.a, j, m.b));
      }
      i = m.a + m.size;
      j = m.b + m.size;
      if (m.size > 0) {
        answer.add(new Opcode('e', m.a, i, m.b, j));
      }
    }
    return answer;
  }

  private static List<List<Opcode>> groupedOpcodes(List<Opcode> codes, int n) {
    List<Opcode> c = new ArrayList<>(codes);
    if (c.isEmpty()) {
      c.add(new Opcode('e', 0, 1, 0, 1));
    }
    Opcode head = c.get(0);
    if (head.tag == 'e') {
      c.set(0, new Opcode('e', Math.max(head.i1, head.i2 - n), head.i2, Math.max(head.j1, head.j2 - n), head.j2));
    }
    Opcode tail = c.get(c.size() - 1);
    if (tail.tag == 'e') {
      c.set(
          c.size() - 1,
          new Opcode('e', tail.i1, Math.min(tail.i2, tail.i1 + n), tail.j1, Math.min(tail.j2, tail.j1 + n)));
    }
    List<List<Opcode>> groups = new ArrayList<>();
    List<Opcode> group = new ArrayList<>();
    for (Opcode op : c) {
      int i1 = op.i1;
      int j1 = op.j1;
      if (op.tag == 'e' && op.i2 - op.i1 > 2 * n) {
        group.add(new Opcode('e', i1, Math.min(op.i2, i1 + n), j1, Math.min(op.j2, j1 + n)));
        groups.add(group);
        group = new ArrayList<>();
        i1 = Math.max(i1, op.i2 - n);
        j1 = Math.max(j1, op.j2 - n);
      }
      group.add(new Opcode(op.tag, i1, op.i2, j1, op.j2));
    }
    if (!group.isEmpty() && !(group.size() == 1 && group.get(0).tag == 'e')) {
      groups.add(group);
    }
    return groups;
  }

  private static List<Match> matchingBlocks(List<String> a, List<String> b) {
    Map<String, List<Integer>> b2j = b2j(b);
    List<Match> blocks = new ArrayList<>();
    Deque<int[]> queue = new ArrayDeque<>();
    queue.push(new int[] {0, a.size(), 0, b.size()});
    while (!queue.isEmpty()) {
      int[] q = queue.pop();
      Match m = longestMatch(a, b, b2j, q[0], q[1], q[2], q[3]);
      if (m.size > 0) {
        blocks.add(m);
        if (q[0] < m.a && q[2] < m.b) {
          queue.push(new int[] {q[0], m.a, q[2], m.b});
        }
        if (m.a + m.size < q[1] && m.b + m.size < q[3]) {
          queue.push(new int[] {m.a + m.size, q[1], m.b + m.size, q[3]});
        }
      }
    }
    blocks.sort(Comparator.comparingInt(Match::a).thenComparingInt(Match::b).thenComparingInt(Match::size));
    List<Match> merged = new ArrayList<>();
    int i1 = 0;
    int j1 = 0;
    int k1 = 0;
    for (Match m : blocks) {
      if (i1 + k1 == m.a && j1 + k1 == m.b) {
        k1 += m.size;
      } else {
        if (k1 > 0) {
          merged.add(new Match(i1, j1, k1));
        }
        i1 = m.a;
        j1 = m.b;
        k1 = m.size;
      }
    }
    if (k1 > 0) {
      merged.add(new Match(i1, j1, k1));
    }
    merged.add(new Match(a.size(), b.size(), 0));
    return merged;
  }

  /** Where each line of b occurs; lines occurring too often in a long text are left out, as difflib's autojunk. */
  private static Map<String, List<Integer>> b2j(List<String> b) {
    Map<String, List<Integer>> b2j = new HashMap<>();
    for (int j = 0; j < b.size(); j++) {
      b2j.computeIfAbsent(b.get(j), k -> new ArrayList<>()).add(j);
    }
    int n = b.size();
    if (n >= 200) {
      int ntest = n / 100 + 1;
      b2j.values().removeIf(idxs -> idxs.size() > ntest);
    }
    return b2j;
  }

  private static Match longestMatch(
      List<String> a, List<String> b, Map<String, List<Integer>> b2j, int alo, int ahi, int blo, int bhi) {
    int besti = alo;
    int bestj = blo;
    int bestsize = 0;
    Map<Integer, Integer> j2len = new HashMap<>();
    for (int i = alo; i < ahi; i++) {
      Map<Integer, Integer> newj2len = new HashMap<>();
      for (int j : b2j.getOrDefault(a.get(i), List.of())) {
        if (j < blo) {
          continue;
        }
        if (j >= bhi) {
          break;
        }
        int k = j2len.getOrDefault(j - 1, 0) + 1;
        newj2len.put(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = newj2len;
    }
    // Popular lines were left out of b2j; grow the match over equal lines on both sides, as difflib does.
    while (besti > alo && bestj > blo && a.get(besti - 1).equals(b.get(bestj - 1))) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi
        && bestj + bestsize < bhi
        && a.get(besti + bestsize).equals(b.get(bestj + bestsize))) {
      bestsize++;
    }
    return new Match(besti, bestj, bestsize);
  }
}
