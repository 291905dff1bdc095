package jplay.engine.api;

import java.util.regex.Pattern;

/**
 * Shell-style wildcards as Python's {@code fnmatch} (case-sensitive, as on POSIX): {@code *}, {@code ?},
 * {@code [seq]} and {@code [!seq]}. Host patterns, fact filters and file globs all match through it.
 *
 * <pre>{@code
 * Glob.matches("web*.example.com", "web1.example.com")   // true
 * }</pre>
 */
public final class Glob {
  private Glob() {}

  /** True if the whole of {@code name} matches {@code glob}. */
  public static boolean matches(String glob, String name) {
    return compile(glob).matcher(name).matches();
  }

  /** The glob as a regular expression that matches whole strings. */
  public static Pattern compile(String glob) {
    return Pattern.compile(toRegex(glob), Pattern.DOTALL);
  }

  /** Python's fnmatch.translate, with every other character escaped (Java's classes know {@code &&}, Python's do not): {@code *}, {@code ?}, {@code [seq]} and {@code [!seq]}; the rest is literal. */
  static String toRegex(String glob) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i++);
      if (c == '*') {
        out.append(".*");
      } else if (c == '?') {
        out.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && glob.charAt(j) == '!') {
          j++;
        }
        if (j < n && glob.charAt(j) == ']') {
          j++;
        }
        while (j < n && glob.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          out.append("\\[");
        } else {
          String stuff = glob.substring(i, j);
          i = j + 1;
          out.append('[');
          int k = 0;
          if (stuff.startsWith("!")) {
            out.append('^');
            k = 1;
          }
          for (; k < stuff.length(); k++) {
            char s = stuff.charAt(k);
            out.append(s == '-' || Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\" + s);
          }
          out.append(']');
        }
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.toString();
  }
}
