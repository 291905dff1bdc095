package jplay.modules.files;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jplay.engine.api.ModuleException;

/**
 * Python {@code re} patterns and replacement templates on Java's regex engine, for the modules whose options are
 * Python regexes (lineinfile, blockinfile, replace). The pattern is rewritten where the dialects differ:
 * {@code (?P<name>)} and {@code (?P=name)}, {@code \Z}, {@code (?#comment)}, {@code {,n}}, a literal {@code {}, and
 * {@code [} or {@code &&} inside a class; group names that Java refuses (underscores) are renamed. Templates
 * ({@code \1}, {@code \g<name>}, {@code \n}) are expanded as {@code Match.expand} does.
 *
 * <p>Two flavours, as in Ansible: {@link #bytes} for modules that match bytes (lineinfile, blockinfile: the text is
 * handled as Latin-1, one char per byte, so {@code .} is one byte and {@code \w} is ASCII, exactly as Python's
 * bytes patterns), and {@link #text} for modules that match decoded text (replace: Unicode classes).
 */
final class PyRegex {
  private final Pattern pattern;
  private final Map<String, String> names;
  private final int groups;

  private PyRegex(Pattern pattern, Map<String, String> names) {
    this.pattern = pattern;
    this.names = names;
    this.groups = pattern.matcher("").groupCount();
  }

  /** A bytes pattern: {@code regex} is UTF-8 encoded and read back as Latin-1, like the text it will search. */
  static PyRegex bytes(String option, String regex, int pyFlags) {
    return compile(option, Latin1.of(regex), pyFlags, false);
  }

  /** A str pattern (Python 3 default: Unicode {@code \w}, {@code \d}, {@code \s} and case folding). */
  static PyRegex text(String option, String regex, int pyFlags) {
    return compile(option, regex, pyFlags, true);
  }

  static final int MULTILINE = 1;
  static final int DOTALL = 2;

  Pattern pattern() {
    return pattern;
  }

  /** The flags the pattern sets inline, as Python's {@code pattern.flags & re.MULTILINE}. */
  boolean multiline() {
    return (pattern.flags() & Pattern.MULTILINE) != 0 || inlineFlag(pattern.pattern(), 'm');
  }

  private static boolean inlineFlag(String regex, char flag) {
    Matcher m = Pattern.compile("\\(\\?([a-zA-Z]+)\\)").matcher(regex);
    while (m.find()) {
      if (m.group(1).indexOf(flag) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static PyRegex compile(String option, String regex, int pyFlags, boolean unicode) {
    Map<String, String> names = new HashMap<>();
    String java = translate(regex, names);
    int flags = Pattern.UNIX_LINES;
    if (unicode) {
      flags |= Pattern.UNICODE_CHARACTER_CLASS;
    }
    if ((pyFlags & MULTILINE) != 0) {
      flags |= Pattern.MULTILINE;
    }
    if ((pyFlags & DOTALL) != 0) {
      flags |= Pattern.DOTALL;
    }
    try {
      return new PyRegex(Pattern.compile(java, flags), names);
    } catch (PatternSyntaxException e) {
      throw new ModuleException(
          "'" + option + "' is not a valid regular expression: " + e.getDescription() + " near index "
              + e.getIndex() + " of '" + regex + "'");
    }
  }

  /** Rewrites a Python pattern into Java syntax; fills {@code names} with Python group name -> Java name. */
  static String translate(String py, Map<String, String> names) {
    StringBuilder out = new StringBuilder();
    int n = py.length();
    boolean inClass = false;
    int classStart = -1;
    for (int i = 0; i < n; i++) {
      char c = py.charAt(i);
      if (c == '\\') {
        if (i + 1 >= n) {
          out.append("\\\\");
          continue;
        }
        char e = py.charAt(i + 1);
        i++;
        if (e == 'Z' && !inClass) {
          out.append("\\z");
        } else if (e == 'U' && i + 8 < n) {
          out.append("\\x{").append(py, i + 1, i + 9).append('}');
          i += 8;
        } else {
          out.append('\\').append(e);
        }
        continue;
      }
      if (inClass) {
        if (c == ']' && i > classStart) {
          inClass = false;
          out.append(']');
        } else if (c == '[') {
          out.append("\\[");
        } else if (c == '&' && i + 1 < n && py.charAt(i + 1) == '&') {
          out.append("&\\&");
          i++;
        } else {
          out.append(c);
        }
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          out.append('[');
          int j = i + 1;
          if (j < n && py.charAt(j) == '^') {
            out.append('^');
            j++;
          }
          // A ']' first in a class is a literal in Python.
          if (j < n && py.charAt(j) == ']') {
            out.append("\\]");
            j++;
          }
          classStart = j;
          i = j - 1;
        }
        case '(' -> {
          if (py.startsWith("(?P<", i)) {
            int end = py.indexOf('>', i);
            if (end < 0) {
              out.append(c);
              break;
            }
            String name = py.substring(i + 4, end);
            String javaName = javaName(name, names);
            out.append("(?<").append(javaName).append('>');
            i = end;
          } else if (py.startsWith("(?P=", i)) {
            int end = py.indexOf(')', i);
            if (end < 0) {
              out.append(c);
              break;
            }
            String name = py.substring(i + 4, end);
            out.append("\\k<").append(names.getOrDefault(name, name)).append('>');
            i = end;
          } else if (py.startsWith("(?#", i)) {
            int end = py.indexOf(')', i);
            i = end < 0 ? n : end;
          } else {
            out.append(c);
          }
        }
        case '{' -> {
          Matcher q = QUANTIFIER.matcher(py).region(i, n);
          if (q.lookingAt() && out.length() > 0) {
            String min = q.group(1);
            out.append('{').append(min.isEmpty() ? "0" : min);
            if (q.group(2) != null) {
              out.append(',').append(q.group(3));
            }
            out.append('}');
            i = q.end() - 1;
          } else {
            out.append("\\{");
          }
        }
        case '}' -> out.append("\\}");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final Pattern QUANTIFIER = Pattern.compile("\\{(\\d*)(,(\\d*))?\\}");

  private static String javaName(String name, Map<String, String> names) {
    String javaName = name.matches("[A-Za-z][A-Za-z0-9]*") ? name : "jplayG" + names.size();
    names.put(name, javaName);
    return javaName;
  }

  Matcher matcher(CharSequence s) {
    return pattern.matcher(s);
  }

  /** Python's {@code re.search(...) is not None}. */
  boolean search(CharSequence s) {
    return pattern.matcher(s).find();
  }

  /**
   * Python's {@code match.expand(template)}: {@code \1}..{@code \99}, {@code \g<1>}, {@code \g<name>} and the
   * character escapes; an unmatched group gives the empty string (Python 3.5+).
   */
  String expand(Matcher m, String template) {
    StringBuilder out = new StringBuilder();
    int n = template.length();
    for (int i = 0; i < n; i++) {
      char c = template.charAt(i);
      if (c != '\\' || i + 1 >= n) {
        out.append(c);
        continue;
      }
      char e = template.charAt(++i);
      if (e == 'g') {
        int end = template.indexOf('>', i);
        if (i + 1 >= n || template.charAt(i + 1) != '<' || end < 0) {
          throw new ModuleException("bad group reference in replacement '" + template + "': missing <");
        }
        String ref = template.substring(i + 2, end);
        out.append(group(m, ref, template));
        i = end;
      } else if (Character.isDigit(e)) {
        if (e == '0') {
          // \0 and \0nn are octal escapes in Python templates.
          int j = i + 1;
          int v = 0;
          while (j < n && j < i + 3 && template.charAt(j) >= '0' && template.charAt(j) <= '7') {
            v = v * 8 + template.charAt(j) - '0';
            j++;
          }
          out.append((char) v);
          i = j - 1;
          continue;
        }
        int j = i + 1;
        if (j < n && Character.isDigit(template.charAt(j))) {
          j++;
        }
        out.append(group(m, template.substring(i, j), template));
        i = j - 1;
      } else {
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'f' -> out.append('\f');
          case 'v' -> out.append('\u000b');
          case 'a' -> out.append('\u0007');
          case 'b' -> out.append('\b');
          case '\\' -> out.append('\\');
          default -> {
            if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
              throw new ModuleException("bad escape \\" + e + " in replacement '" + template + "'");
            }
            out.append('\\').append(e);
          }
        }
      }
    }
    return out.toString();
  }

  private String group(Matcher m, String ref, String template) {
    String value;
    if (ref.matches("\\d+")) {
      int g = Integer.parseInt(ref);
      if (g > groups) {
        throw new ModuleException("invalid group reference " + g + " in replacement '" + template + "'");
      }
      value = m.group(g);
    } else {
      String javaName = names.getOrDefault(ref, ref);
      try {
        value = m.group(javaName);
      } catch (IllegalArgumentException e) {
        throw new ModuleException("unknown group name '" + ref + "' in replacement '" + template + "'");
      }
    }
    return value == null ? "" : value;
  }

  /** The result of {@link #subn}: the new text and how many replacements were made. */
  record Sub(String text, int count) {}

  /** Python's {@code re.subn(pattern, repl, s)}: every non-overlapping match, empty ones included (3.7 rules). */
  Sub subn(String s, String template) {
    Matcher m = pattern.matcher(s);
    StringBuilder out = new StringBuilder();
    int last = 0;
    int count = 0;
    while (m.find()) {
      out.append(s, last, m.start());
      out.append(expand(m, template));
      last = m.end();
      count++;
    }
    out.append(s, last, s.length());
    return new Sub(out.toString(), count);
  }

  /** Text as Latin-1 chars (one per byte) and back, so that bytes patterns see bytes. */
  static final class Latin1 {
    private Latin1() {}

    static String of(String utf16) {
      return new String(utf16.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static String of(byte[] bytes) {
      return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String latin1) {
      return latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }
}
