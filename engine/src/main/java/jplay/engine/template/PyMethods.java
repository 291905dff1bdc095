package jplay.engine.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The methods of Python's str, dict and list that playbooks call on values ({@code x.split(',')}). */
final class PyMethods {
  static final Object NO_SUCH_METHOD = new Object();

  private PyMethods() {}

  static Object string(String s, String name, List<Object> a, Map<String, Object> kw) {
    switch (name) {
      case "upper":
        return s.toUpperCase(Locale.ROOT);
      case "lower":
        return s.toLowerCase(Locale.ROOT);
      case "strip":
        return strip(s, arg(a, 0), true, true);
      case "lstrip":
        return strip(s, arg(a, 0), true, false);
      case "rstrip":
        return strip(s, arg(a, 0), false, true);
      case "split":
        return split(s, arg(a, 0), a.size() > 1 ? toInt(a.get(1)) : -1);
      case "rsplit":
        return rsplit(s, arg(a, 0), a.size() > 1 ? toInt(a.get(1)) : -1);
      case "splitlines":
        return new ArrayList<Object>(Arrays.asList(s.split("\r\n|\r|\n", -1)).subList(0, lines(s)));
      case "startswith":
        return prefixes(a.get(0)).stream().anyMatch(s::startsWith);
      case "endswith":
        return prefixes(a.get(0)).stream().anyMatch(s::endsWith);
      case "replace":
        return replace(s, Py.str(a.get(0)), Py.str(a.get(1)), a.size() > 2 ? toInt(a.get(2)) : -1);
      case "find":
        return s.indexOf(Py.str(a.get(0)));
      case "rfind":
        return s.lastIndexOf(Py.str(a.get(0)));
      case "index": {
        int i = s.indexOf(Py.str(a.get(0)));
        if (i < 0) {
          throw new IllegalArgumentException("substring not found");
        }
        return i;
      }
      case "count":
        return count(s, Py.str(a.get(0)));
      case "join": {
        List<String> parts = new ArrayList<>();
        for (Object o : Py.iterate(a.get(0))) {
          parts.add(Py.str(o));
        }
        return String.join(s, parts);
      }
      case "format":
        return PyFormat.format(s, a, kw);
      case "title":
        return title(s);
      case "capitalize":
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
      case "swapcase": {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> sb.appendCodePoint(
            Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)));
        return sb.toString();
      }
      case "partition":
      case "rpartition": {
        String sep = Py.str(a.get(0));
        int i = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
        if (i < 0) {
          return name.equals("partition") ? list(s, "", "") : list("", "", s);
        }
        return list(s.substring(0, i), sep, s.substring(i + sep.length()));
      }
      case "isdigit":
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
      case "isalpha":
        return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
      case "isalnum":
        return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
      case "isspace":
        return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
      case "isupper":
        return s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase(Locale.ROOT));
      case "islower":
        return s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase(Locale.ROOT));
      case "zfill": {
        int w = toInt(a.get(0));
        if (s.length() >= w) {
          return s;
        }
        boolean sign = s.startsWith("-") || s.startsWith("+");
        String pad = "0".repeat(w - s.length());
        return sign ? s.charAt(0) + pad + s.substring(1) : pad + s;
      }
      case "ljust":
        return s + fill(a, s.length());
      case "rjust":
        return fill(a, s.length()) + s;
      case "center":
        return PyFilters.center(s, toInt(a.get(0)));
      default:
        return NO_SUCH_METHOD;
    }
  }

  private static String fill(List<Object> a, int len) {
    int w = toInt(a.get(0));
    String c = a.size() > 1 ? Py.str(a.get(1)) : " ";
    return w > len ? c.repeat(w - len) : "";
  }

  private static int lines(String s) {
    String[] parts = s.split("\r\n|\r|\n", -1);
    return parts.length > 0 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
  }

  private static List<String> prefixes(Object arg) {
    List<String> out = new ArrayList<>();
    if (arg instanceof List<?> l) {
      l.forEach(o -> out.add(Py.str(o)));
    } else {
      out.add(Py.str(arg));
    }
    return out;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  private static String arg(List<Object> a, int i) {
    return a.size() > i && a.get(i) != null ? Py.str(a.get(i)) : null;
  }

  static int toInt(Object o) {
    if (o instanceof Number n) {
      return n.intValue();
    }
    return Integer.parseInt(Py.str(o).strip());
  }

  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && (chars == null ? Character.isWhitespace(s.charAt(start))
        : chars.indexOf(s.charAt(start)) >= 0)) {
      start++;
    }
    while (right && end > start && (chars == null ? Character.isWhitespace(s.charAt(end - 1))
        : chars.indexOf(s.charAt(end - 1)) >= 0)) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's str.split: no separator splits on runs of whitespace and drops empty parts. */
  static List<Object> split(String s, String sep, int max) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      String rest = strip(s, null, true, false);
      while (!rest.isEmpty()) {
        if (max >= 0 && out.size() == max) {
          out.add(strip(rest, null, false, true));
          return out;
        }
        int i = 0;
        while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
          i++;
        }
        out.add(rest.substring(0, i));
        rest = strip(rest.substring(i), null, true, false);
      }
      return out;
    }
    if (sep.isEmpty()) {
      throw new IllegalArgumentException("empty separator");
    }
    int from = 0;
    while (max < 0 || out.size() < max) {
      int i = s.indexOf(sep, from);
      if (i < 0) {
        break;
      }
      out.add(s.substring(from, i));
      from = i + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  private static List<Object> rsplit(String s, String sep, int max) {
    if (max < 0 || sep == null) {
      return split(s, sep, max);
    }
    List<Object> out = new ArrayList<>();
    int end = s.length();
    while (out.size() < max) {
      int i = s.lastIndexOf(sep, end - sep.length());
      if (i < 0) {
        break;
      }
      out.add(0, s.substring(i + sep.length(), end));
      end = i;
    }
    out.add(0, s.substring(0, end));
    return out;
  }

  static String replace(String s, String old, String now, int count) {
    if (count < 0) {
      return s.replace(old, now);
    }
    StringBuilder sb = new StringBuilder();
    int from = 0;
    for (int n = 0; n < count; n++) {
      int i = s.indexOf(old, from);
      if (i < 0) {
        break;
      }
      sb.append(s, from, i).append(now);
      from = i + old.length();
    }
    return sb.append(s.substring(from)).toString();
  }

  private static int count(String s, String sub) {
    if (sub.isEmpty()) {
      return s.length() + 1;
    }
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }

  /** Python's str.title: a letter after a non-letter is upper case, other letters lower case. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder();
    boolean prevLetter = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
      prevLetter = Character.isLetter(c);
    }
    return sb.toString();
  }

  static Object dict(Map<?, ?> m, String name, List<Object> a) {
    switch (name) {
      case "get":
        return m.containsKey(a.get(0)) ? m.get(a.get(0)) : a.size() > 1 ? a.get(1) : null;
      case "items": {
        List<Object> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(list(k, v)));
        return out;
      }
      case "keys":
        return new ArrayList<Object>(m.keySet());
      case "values":
        return new ArrayList<Object>(m.values());
      case "copy":
        return new LinkedHashMap<Object, Object>(m);
      default:
        return NO_SUCH_METHOD;
    }
  }

  static Object list(List<?> l, String name, List<Object> a) {
    switch (name) {
      case "index":
        for (int i = 0; i < l.size(); i++) {
          if (Py.eq(l.get(i), a.get(0))) {
            return i;
          }
        }
        throw new IllegalArgumentException(Py.repr(a.get(0)) + " is not in list");
      case "count":
        return (int) l.stream().filter(o -> Py.eq(o, a.get(0))).count();
      case "copy":
        return new ArrayList<Object>(l);
      default:
        return NO_SUCH_METHOD;
    }
  }
}
