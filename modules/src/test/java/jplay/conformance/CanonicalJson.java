package jplay.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the JSON that Ansible's default callback (and jplay's human output) prints after {@code =>} and writes it
 * back in one canonical form: keys sorted, no whitespace, strings re-escaped. Two tools that print the same value
 * with a different key order or spacing then compare equal.
 */
final class CanonicalJson {
  private final String s;
  private int i;

  private CanonicalJson(String s) {
    this.s = s;
  }

  /** The canonical form of {@code json}; throws IllegalArgumentException naming the offset of bad input. */
  static String of(String json) {
    CanonicalJson p = new CanonicalJson(json);
    StringBuilder out = new StringBuilder();
    p.value(out);
    p.skipSpace();
    if (p.i != json.length()) {
      throw p.error("end of input");
    }
    return out.toString();
  }

  private void value(StringBuilder out) {
    skipSpace();
    if (i >= s.length()) {
      throw error("a value");
    }
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      Map<String, String> members = new TreeMap<>();
      skipSpace();
      if (peek('}')) {
        i++;
      } else {
        while (true) {
          skipSpace();
          String key = string();
          skipSpace();
          expect(':');
          StringBuilder v = new StringBuilder();
          value(v);
          members.put(key, v.toString());
          skipSpace();
          if (peek(',')) {
            i++;
          } else {
            expect('}');
            break;
          }
        }
      }
      out.append('{');
      String sep = "";
      for (Map.Entry<String, String> e : members.entrySet()) {
        out.append(sep);
        quote(e.getKey(), out);
        out.append(':').append(e.getValue());
        sep = ",";
      }
      out.append('}');
    } else if (c == '[') {
      i++;
      List<String> items = new ArrayList<>();
      skipSpace();
      if (peek(']')) {
        i++;
      } else {
        while (true) {
          StringBuilder v = new StringBuilder();
          value(v);
          items.add(v.toString());
          skipSpace();
          if (peek(',')) {
            i++;
          } else {
            expect(']');
            break;
          }
        }
      }
      out.append('[').append(String.join(",", items)).append(']');
    } else if (c == '"') {
      quote(string(), out);
    } else {
      int start = i;
      while (i < s.length() && "{}[],: \t\r\n".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String atom = s.substring(start, i);
      if (atom.isEmpty()) {
        throw error("a value");
      }
      // 1.0 and 1.00 are the same number; Python prints floats its own way, so compare their values.
      boolean number = atom.matches("-?[0-9].*");
      if (number && (atom.contains(".") || atom.contains("e") || atom.contains("E"))) {
        try {
          atom = Double.toString(Double.parseDouble(atom));
        } catch (NumberFormatException e) {
          throw error("a number");
        }
      }
      out.append(atom);
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    throw error("a closing quote");
  }

  private static void quote(String v, StringBuilder out) {
    out.append('"');
    for (char c : v.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("'" + c + "'");
    }
    i++;
  }

  private void skipSpace() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("expected " + expected + " at offset " + i + " of: " + s);
  }
}
