package jplay.modules.facts;

import java.util.regex.Pattern;

/** Python's fnmatch.fnmatch on POSIX: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}, case-sensitive. */
final class Glob {
  private Glob() {}

  static boolean matches(String pattern, String name) {
    return toRegex(pattern).matcher(name).matches();
  }

  static Pattern toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i++);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
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
          re.append("\\[");
        } else {
          String body = glob.substring(i, j).replace("\\", "\\\\");
          i = j + 1;
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          } else if (body.startsWith("^")) {
            body = "\\" + body;
          }
          re.append('[').append(body).append(']');
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
