package jplay.modules.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an os-release file as the {@code distro} library does: shell-like {@code KEY=value} assignments, quotes
 * and backslash escapes removed, keys in lower case, plus the derived {@code codename}.
 */
final class OsRelease {
  private static final Pattern CODENAME_IN_VERSION = Pattern.compile("(\\(\\D+\\))|,(\\s+)?\\D+");

  private OsRelease() {}

  static Map<String, String> parse(String content) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String line : content.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      props.put(l.substring(0, eq).toLowerCase(java.util.Locale.ROOT), unshell(l.substring(eq + 1)));
    }
    if (props.containsKey("version_codename")) {
      props.put("codename", props.get("version_codename"));
    } else if (props.containsKey("ubuntu_codename")) {
      props.put("codename", props.get("ubuntu_codename"));
    } else if (props.containsKey("version")) {
      Matcher m = CODENAME_IN_VERSION.matcher(props.get("version"));
      if (m.find()) {
        String c = m.group();
        c = strip(strip(c, "()"), ",").strip();
        props.put("codename", c);
      }
    }
    return props;
  }

  /** One shell word: double quotes (with backslash escapes), single quotes, or bare. */
  private static String unshell(String value) {
    StringBuilder out = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (quote == '\'') {
        if (ch == '\'') {
          quote = 0;
        } else {
          out.append(ch);
        }
      } else if (ch == '\\' && i + 1 < value.length() && (quote == 0 || "\"\\$`".indexOf(value.charAt(i + 1)) >= 0)) {
        out.append(value.charAt(++i));
      } else if (quote == '"') {
        if (ch == '"') {
          quote = 0;
        } else {
          out.append(ch);
        }
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (Character.isWhitespace(ch)) {
        break;
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static String strip(String s, String chars) {
    int b = 0;
    int e = s.length();
    while (b < e && chars.indexOf(s.charAt(b)) >= 0) {
      b++;
    }
    while (e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
      e--;
    }
    return s.substring(b, e);
  }
}
