package jplay.engine.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode), which Ansible uses to cut an INI host line into
 * words: quotes group and are removed ({@code foo="a b"} gives {@code foo=a b}), a backslash escapes, {@code #}
 * starts a comment. Each word remembers the column where it began, for error messages.
 */
final class Shlex {
  private Shlex() {}

  /** One word and the 0-based offset in the line where it started. */
  record Word(String text, int offset) {}

  static final class ShlexException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;

    ShlexException(String message, int offset) {
      super(message);
      this.offset = offset;
    }

    int offset() {
      return offset;
    }
  }

  static List<Word> split(String line) throws ShlexException {
    List<Word> words = new ArrayList<>();
    StringBuilder token = null;
    int start = -1;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        if (token != null) {
          words.add(new Word(token.toString(), start));
          token = null;
        }
        i++;
      } else if (c == '#') {
        break;
      } else {
        if (token == null) {
          token = new StringBuilder();
          start = i;
        }
        if (c == '\'' || c == '"') {
          int close = i + 1;
          StringBuilder quoted = new StringBuilder();
          while (true) {
            if (close >= n) {
              throw new ShlexException("no closing quotation for the " + c + " here", i);
            }
            char q = line.charAt(close);
            if (q == c) {
              break;
            }
            if (c == '"' && q == '\\' && close + 1 < n && (line.charAt(close + 1) == '"' || line.charAt(close + 1) == '\\')) {
              quoted.append(line.charAt(close + 1));
              close += 2;
              continue;
            }
            quoted.append(q);
            close++;
          }
          token.append(quoted);
          i = close + 1;
        } else if (c == '\\') {
          if (i + 1 >= n) {
            throw new ShlexException("a '\\' at the end of the line escapes nothing", i);
          }
          token.append(line.charAt(i + 1));
          i += 2;
        } else {
          token.append(c);
          i++;
        }
      }
    }
    if (token != null) {
      words.add(new Word(token.toString(), start));
    }
    return words;
  }
}
