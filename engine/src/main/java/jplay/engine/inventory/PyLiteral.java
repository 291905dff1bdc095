package jplay.engine.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code ast.literal_eval} for the value types an INI inventory can hold: numbers, strings,
 * {@code True/False/None}, lists, tuples, dicts and sets. Ansible runs every INI value through it and keeps the
 * text when it fails, so {@code port=22} is an int but {@code ip=10.0.0.1} and {@code flag=yes} stay strings.
 */
public final class PyLiteral {
  private final String s;
  private int pos;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** The value Ansible's INI plugin would store for {@code text}: the literal's value, or the text itself. */
  public static Object parseValue(String text) {
    PyLiteral p = new PyLiteral(text.replaceFirst("^[ \t]+", ""));
    try {
      Object v = p.expression();
      p.skipSpace();
      return p.pos == p.s.length() ? unwrap(v) : text;
    } catch (Fail f) {
      return text;
    }
  }

  // None travels as this marker while parsing, so that null never means "nothing parsed".
  private static final Object NONE = new Object();

  private static final class Fail extends Exception {
    private static final long serialVersionUID = 1L;

    Fail() {
      super(null, null, false, false);
    }
  }

  private void skipSpace() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pos++;
      } else if (c == '#') {
        while (pos < s.length() && s.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
        pos += 2;
      } else {
        return;
      }
    }
  }

  private boolean peek(char c) {
    skipSpace();
    return pos < s.length() && s.charAt(pos) == c;
  }

  private Object expression() throws Fail {
    skipSpace();
    if (pos >= s.length()) {
      throw new Fail();
    }
    char c = s.charAt(pos);
    if (c == '-' || c == '+') {
      pos++;
      skipSpace();
      Object v = atom();
      if (v instanceof Boolean || !(v instanceof Number n)) {
        throw new Fail();
      }
      return c == '+' ? n : negate(n);
    }
    return atom();
  }

  private static Object negate(Number n) {
    if (n instanceof Double d) {
      return -d;
    }
    return narrow(toBig(n).negate());
  }

  private static BigInteger toBig(Number n) {
    return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
  }

  private Object atom() throws Fail {
    skipSpace();
    if (pos >= s.length()) {
      throw new Fail();
    }
    char c = s.charAt(pos);
    if (c == '[') {
      pos++;
      return new ArrayList<>(items(']'));
    }
    if (c == '(') {
      pos++;
      int save = pos;
      if (peek(')')) {
        pos++;
        return new ArrayList<>();
      }
      pos = save;
      Object first = expression();
      if (peek(')')) {
        pos++;
        return first == null ? NONE : first;
      }
      if (!peek(',')) {
        throw new Fail();
      }
      pos++;
      List<Object> rest = new ArrayList<>();
      rest.add(unwrap(first));
      rest.addAll(items(')'));
      return rest;
    }
    if (c == '{') {
      pos++;
      return braces();
    }
    if (c == '.' || Character.isDigit(c)) {
      return number();
    }
    if (c == '\'' || c == '"' || Character.isLetter(c)) {
      int save = pos;
      String word = name();
      switch (word) {
        case "True":
          return Boolean.TRUE;
        case "False":
          return Boolean.FALSE;
        case "None":
          return NONE;
        default:
          break;
      }
      pos = save;
      return strings();
    }
    throw new Fail();
  }

  private static Object unwrap(Object v) {
    return v == NONE ? null : v;
  }

  private String name() {
    int start = pos;
    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private List<Object> items(char close) throws Fail {
    List<Object> out = new ArrayList<>();
    while (true) {
      if (peek(close)) {
        pos++;
        return out;
      }
      out.add(unwrap(expression()));
      if (peek(',')) {
        pos++;
      } else if (peek(close)) {
        pos++;
        return out;
      } else {
        throw new Fail();
      }
    }
  }

  private Object braces() throws Fail {
    if (peek('}')) {
      pos++;
      return new LinkedHashMap<String, Object>();
    }
    Object first = unwrap(expression());
    if (peek(':')) {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      map.put(key(first), unwrap(expression()));
      while (true) {
        if (peek('}')) {
          pos++;
          return map;
        }
        if (!peek(',')) {
          throw new Fail();
        }
        pos++;
        if (peek('}')) {
          pos++;
          return map;
        }
        Object k = unwrap(expression());
        if (!peek(':')) {
          throw new Fail();
        }
        pos++;
        map.put(key(k), unwrap(expression()));
      }
    }
    // A set: JSON has none, so it becomes a list of its distinct items.
    List<Object> out = new ArrayList<>();
    out.add(first);
    if (peek(',')) {
      pos++;
      out.addAll(items('}'));
    } else if (peek('}')) {
      pos++;
    } else {
      throw new Fail();
    }
    return new ArrayList<>(new java.util.LinkedHashSet<>(out));
  }

  private static String key(Object k) throws Fail {
    if (k instanceof List<?> || k instanceof Map<?, ?>) {
      throw new Fail(); // unhashable in Python
    }
    return jplay.engine.output.Json.key(k);
  }

  private Object strings() throws Fail {
    StringBuilder out = new StringBuilder();
    boolean any = false;
    while (true) {
      skipSpace();
      int save = pos;
      String prefix = name().toLowerCase(java.util.Locale.ROOT);
      if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')
          || !List.of("", "r", "u", "b", "br", "rb").contains(prefix)) {
        pos = save;
        if (!any) {
          throw new Fail();
        }
        return out.toString();
      }
      out.append(string(prefix.contains("r")));
      any = true;
    }
  }

  private String string(boolean raw) throws Fail {
    char q = s.charAt(pos);
    boolean triple = s.startsWith(String.valueOf(q).repeat(3), pos);
    String end = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
    pos += end.length();
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw new Fail();
      }
      if (s.startsWith(end, pos)) {
        pos += end.length();
        return out.toString();
      }
      char c = s.charAt(pos);
      if (c == '\n' && !triple) {
        throw new Fail();
      }
      if (c == '\\' && pos + 1 < s.length()) {
        char e = s.charAt(pos + 1);
        if (raw) {
          out.append(c).append(e);
          pos += 2;
          continue;
        }
        pos += 2;
        switch (e) {
          case '\n' -> {}
          case '\\', '\'', '"' -> out.append(e);
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'a' -> out.append('\u0007');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'v' -> out.append('\u000b');
          case 'x' -> out.appendCodePoint(hex(2));
          case 'u' -> out.appendCodePoint(hex(4));
          case 'U' -> out.appendCodePoint(hex(8));
          default -> {
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; k++) {
                v = v * 8 + (s.charAt(pos++) - '0');
              }
              out.append((char) v);
            } else {
              out.append('\\').append(e);
            }
          }
        }
        continue;
      }
      out.append(c);
      pos++;
    }
  }

  private int hex(int digits) throws Fail {
    if (pos + digits > s.length()) {
      throw new Fail();
    }
    String h = s.substring(pos, pos + digits);
    if (!h.matches("[0-9a-fA-F]+")) {
      throw new Fail();
    }
    pos += digits;
    int v = (int) Long.parseLong(h, 16);
    if (!Character.isValidCodePoint(v)) {
      throw new Fail();
    }
    return v;
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile(
          "0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+"
              + "|(?:[0-9](?:_?[0-9])*\\.(?:[0-9](?:_?[0-9])*)?|\\.[0-9](?:_?[0-9])*)(?:[eE][-+]?[0-9](?:_?[0-9])*)?"
              + "|[0-9](?:_?[0-9])*[eE][-+]?[0-9](?:_?[0-9])*"
              + "|[1-9](?:_?[0-9])*|0+(?:_?0)*");

  private Object number() throws Fail {
    var m = NUMBER.matcher(s).region(pos, s.length());
    if (!m.lookingAt()) {
      throw new Fail();
    }
    String text = m.group().replace("_", "");
    pos = m.end();
    // "1j", "1abc", "10.0.0.1": Python's tokenizer rejects (or makes complex of) a number glued to more.
    if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.' || s.charAt(pos) == '_')) {
      throw new Fail();
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("0x")) {
      return narrow(new BigInteger(text.substring(2), 16));
    }
    if (lower.startsWith("0o")) {
      return narrow(new BigInteger(text.substring(2), 8));
    }
    if (lower.startsWith("0b")) {
      return narrow(new BigInteger(text.substring(2), 2));
    }
    if (text.contains(".") || lower.contains("e")) {
      return Double.parseDouble(text);
    }
    return narrow(new BigInteger(text));
  }

  private static Object narrow(BigInteger b) {
    if (b.bitLength() < 32) {
      return b.intValue();
    }
    if (b.bitLength() < 64) {
      return b.longValue();
    }
    return b;
  }
}
