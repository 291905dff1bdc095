package jplay.engine.output;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer whose layout is Python's {@code json.dumps(..., ensure_ascii=False)}, so that what jplay
 * prints looks exactly like what Ansible prints.
 *
 * <pre>{@code
 * Json.write(Map.of("rc", 1));          // {"rc": 1}
 * Json.pretty(List.of(1, List.of()), 4); // [\n    1,\n    []\n]
 * }</pre>
 *
 * <p>Values: {@code null}, {@link Boolean}, numbers, {@link CharSequence} and {@link Character}, {@link Map} (keys
 * through {@link String#valueOf}, in the map's iteration order), {@link Iterable} and arrays; anything else is
 * written as the string of its {@code toString()}. Strings are escaped per RFC 8259 as Python does: {@code "},
 * {@code \}, the named control escapes and <code>&#92;u00XX</code> for the other control characters; other
 * characters are written as they are, except lone surrogates, which are escaped so the output stays valid UTF-8.
 * Floating point numbers use Python's {@code repr} form ({@code 1.0}, {@code 1e-05}, {@code 1e+16}); NaN and
 * infinities, which JSON cannot hold, are written as {@code null}.
 */
public final class Json {
  private Json() {}

  /** One line, with Python's default separators {@code ", "} and {@code ": "}. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    writeValue(sb, value, -1, 0);
    return sb.toString();
  }

  /**
   * Several lines, as Python's {@code json.dumps(value, indent=indent)}: one item per line, separators {@code ","}
   * and {@code ": "}, empty containers as {@code []} and {@code {}}.
   *
   * @param indent spaces per level, 0 or more
   */
  public static String pretty(Object value, int indent) {
    if (indent < 0) {
      throw new IllegalArgumentException("indent must be 0 or more, got " + indent);
    }
    StringBuilder sb = new StringBuilder();
    writeValue(sb, value, indent, 0);
    return sb.toString();
  }

  /** A JSON string literal, quotes included. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    writeString(sb, s);
    return sb.toString();
  }

  private static void writeValue(StringBuilder sb, Object value, int indent, int depth) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (value instanceof Double || value instanceof Float) {
      sb.append(pythonFloat(((Number) value).doubleValue()));
    } else if (value instanceof BigDecimal d) {
      sb.append(d.toString());
    } else if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger) {
      sb.append(value);
    } else if (value instanceof Number n) {
      // AtomicLong, LongAdder and friends: their toString is their number
      sb.append(n);
    } else if (value instanceof CharSequence || value instanceof Character) {
      writeString(sb, value.toString());
    } else if (value instanceof Map<?, ?> map) {
      writeMap(sb, map, indent, depth);
    } else if (value instanceof Iterable<?> it) {
      writeList(sb, it.iterator(), indent, depth);
    } else if (value.getClass().isArray()) {
      writeList(sb, arrayIterator(value), indent, depth);
    } else {
      writeString(sb, value.toString());
    }
  }

  /** A map key as Python's json turns it into a string: {@code True -> "true"}, {@code 1.5 -> "1.5"}. */
  public static String key(Object key) {
    if (key == null) {
      return "null";
    }
    if (key instanceof Double || key instanceof Float) {
      return pythonFloat(((Number) key).doubleValue());
    }
    return String.valueOf(key);
  }

  /**
   * A deep copy of {@code value} with every map's keys sorted as {@link #key} writes them: with {@link #pretty}, the
   * layout of Python's {@code json.dumps(value, sort_keys=True, indent=4)} (ansible-inventory's output).
   */
  public static Object sortKeys(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new java.util.TreeMap<>();
      map.forEach((k, v) -> sorted.put(key(k), sortKeys(v)));
      return sorted;
    }
    if (value instanceof Iterable<?> it) {
      List<Object> out = new java.util.ArrayList<>();
      it.forEach(v -> out.add(sortKeys(v)));
      return out;
    }
    if (value instanceof Object[] array) {
      List<Object> out = new java.util.ArrayList<>();
      for (Object v : array) {
        out.add(sortKeys(v));
      }
      return out;
    }
    return value;
  }

  private static void writeMap(StringBuilder sb, Map<?, ?> map, int indent, int depth) {
    if (map.isEmpty()) {
      sb.append("{}");
      return;
    }
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      separator(sb, first, indent, depth + 1);
      first = false;
      writeString(sb, key(e.getKey()));
      sb.append(": ");
      writeValue(sb, e.getValue(), indent, depth + 1);
    }
    newline(sb, indent, depth);
    sb.append('}');
  }

  private static void writeList(StringBuilder sb, Iterator<?> it, int indent, int depth) {
    if (!it.hasNext()) {
      sb.append("[]");
      return;
    }
    sb.append('[');
    boolean first = true;
    while (it.hasNext()) {
      separator(sb, first, indent, depth + 1);
      first = false;
      writeValue(sb, it.next(), indent, depth + 1);
    }
    newline(sb, indent, depth);
    sb.append(']');
  }

  private static void separator(StringBuilder sb, boolean first, int indent, int depth) {
    if (!first) {
      sb.append(indent < 0 ? ", " : ",");
    }
    newline(sb, indent, depth);
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static Iterator<Object> arrayIterator(Object array) {
    int length = java.lang.reflect.Array.getLength(array);
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < length;
      }

      @Override
      public Object next() {
        if (i >= length) {
          throw new java.util.NoSuchElementException();
        }
        return java.lang.reflect.Array.get(array, i++);
      }
    };
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            unicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(sb, c);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u");
    String hex = Integer.toHexString(c);
    sb.append("0".repeat(4 - hex.length())).append(hex);
  }

  /** Python's {@code repr(float)}: shortest digits, plain between 1e-4 and 1e16, else {@code 1.5e+16}. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal bd = shortest(Math.abs(d));
    String digits = bd.unscaledValue().toString();
    int exponent = digits.length() - 1 - bd.scale();
    String sign = d < 0 ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
      String plain = bd.toPlainString();
      return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = Integer.toString(Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
  }

  /**
   * The fewest significant digits that read back as {@code d}, the nearest such when there are several: Python's
   * repr. Java 17's {@code Double.toString} is not always shortest ({@code 4.9E-324}), hence the search.
   */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        return candidate.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }
}
