package jplay.modules.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as Python's {@code shlex.split} does (POSIX mode), which is how Ansible's
 * {@code command} reads its free-form string: quotes group, backslash escapes, and nothing else is special — no
 * variables, globs, pipes or redirections.
 */
public final class ShellWords {
  private ShellWords() {}

  /**
   * The words of {@code line}.
   *
   * @throws IllegalArgumentException "No closing quotation" or "No escaped character", as shlex says
   */
  public static List<String> split(String line) {
    return scan(line, new ArrayList<>());
  }

  /**
   * Where the first word of {@code line} ends (the index after its last character), or -1 when there is none;
   * {@code script} keeps the rest of its free-form string as shell text, as Ansible does.
   */
  public static int firstWordEnd(String line) {
    List<Integer> ends = new ArrayList<>();
    scan(line, ends);
    return ends.isEmpty() ? -1 : ends.get(0);
  }

  private static List<String> scan(String line, List<Integer> ends) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (inWord) {
          words.add(word.toString());
          ends.add(i);
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw new IllegalArgumentException("No escaped character");
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (c == '\'') {
        int close = line.indexOf('\'', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("No closing quotation");
        }
        word.append(line, i + 1, close);
        inWord = true;
        i = close + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char d = line.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          // Inside double quotes shlex lets a backslash escape only a quote or another backslash.
          if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
            word.append(line.charAt(i + 1));
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("No closing quotation");
        }
        inWord = true;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
      ends.add(n);
    }
    return words;
  }
}
