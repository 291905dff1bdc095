package jplay.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python's {@code re} for the regex filters and tests: its pattern and replacement syntax on java.util.regex. */
final class Regex {
  private Regex() {}

  static Pattern compile(String pattern, boolean ignorecase, boolean multiline) {
    String p = pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>")
        .replace("\\Z", "\\z");
    int flags = (ignorecase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
        | (multiline ? Pattern.MULTILINE : 0) | Pattern.UNICODE_CHARACTER_CLASS;
    return Pattern.compile(p, flags);
  }

  /** Python's replacement syntax ({@code \1}, {@code \g<name>}, {@code \n}) as Java's. */
  private static String replacement(String r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c == '$') {
        sb.append("\\$");
      } else if (c == '\\' && i + 1 < r.length()) {
        char n = r.charAt(++i);
        if (Character.isDigit(n)) {
          sb.append('$').append(n);
        } else if (n == 'g' && i + 1 < r.length() && r.charAt(i + 1) == '<') {
          int end = r.indexOf('>', i);
          String group = r.substring(i + 2, end);
          sb.append(group.matches("\\d+") ? "$" + group : "${" + group + "}");
          i = end;
        } else if (n == 'n') {
          sb.append('\n');
        } else if (n == 't') {
          sb.append('\t');
        } else if (n == '\\') {
          sb.append("\\\\");
        } else {
          sb.append("\\\\").append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  static String replace(String value, String pattern, String replacement, boolean ignorecase, boolean multiline,
      int count) {
    Matcher m = compile(pattern, ignorecase, multiline).matcher(value);
    String r = replacement(replacement);
    StringBuilder sb = new StringBuilder();
    int n = 0;
    while ((count <= 0 || n < count) && m.find()) {
      m.appendReplacement(sb, r);
      n++;
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Ansible's regex_search: the match, None, or with {@code '\\1'}/{@code '\\g<name>'} arguments their list. */
  static Object search(String value, String pattern, List<Object> groups, boolean ignorecase, boolean multiline) {
    Matcher m = compile(pattern, ignorecase, multiline).matcher(value);
    if (!m.find()) {
      return null;
    }
    if (groups.isEmpty()) {
      return m.group();
    }
    List<Object> out = new ArrayList<>();
    for (Object g : groups) {
      String s = Py.str(g);
      Matcher num = Pattern.compile("\\\\(\\d+)").matcher(s);
      Matcher named = Pattern.compile("\\\\g<(\\w+)>").matcher(s);
      if (num.matches()) {
        out.add(m.group(Integer.parseInt(num.group(1))));
      } else if (named.matches()) {
        out.add(m.group(named.group(1)));
      } else {
        throw new IllegalArgumentException("Unknown argument " + Py.repr(s));
      }
    }
    return out;
  }

  /** Python's re.findall: the matches, or the one group of each, or a list of the groups of each. */
  static List<Object> findall(String value, String pattern, boolean ignorecase, boolean multiline) {
    Matcher m = compile(pattern, ignorecase, multiline).matcher(value);
    List<Object> out = new ArrayList<>();
    while (m.find()) {
      if (m.groupCount() == 0) {
        out.add(m.group());
      } else if (m.groupCount() == 1) {
        out.add(m.group(1) == null ? "" : m.group(1));
      } else {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
          row.add(m.group(i) == null ? "" : m.group(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Python 3.7+'s re.escape: only the characters special in patterns get a backslash. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("()[]{}?*+-|^$\\.&~# \t\n\r\u000b\f".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The {@code match} (anchored at the start), {@code search} and {@code regex} tests. */
  static boolean test(Object value, Object pattern, boolean ignorecase, boolean multiline, String kind) {
    Matcher m = compile(Py.str(pattern), ignorecase, multiline).matcher(Py.str(value));
    return switch (kind) {
      case "match" -> m.lookingAt();
      case "fullmatch" -> m.matches();
      default -> m.find();
    };
  }
}
