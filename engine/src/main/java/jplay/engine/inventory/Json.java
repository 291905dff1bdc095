package jplay.engine.inventory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text exactly as Python's {@code json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False)} writes it,
 * which is what {@code ansible-inventory} prints: keys sorted, four-space indent, floats in Python's repr.
 */
public final class Json {
  private Json() {}

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as pretty-printed JSON, no trailing newline. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, int depth) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(keyText(k), v));
      out.append("{");
      String sep = "\n";
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        out.append(sep).append("    ".repeat(depth + 1));
        string(e.getKey(), out);
        out.append(": ");
        write(e.getValue(), out, depth + 1);
        sep = ",\n";
      }
      out.append("\n").append("    ".repeat(depth)).append("}");
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[");
      String sep = "\n";
      for (Object item : list) {
        out.append(sep).append("    ".repeat(depth + 1));
        write(item, out, depth + 1);
        sep = ",\n";
      }
      out.append("\n").append("    ".repeat(depth)).append("]");
    } else if (value instanceof String s) {
      string(s, out);
    } else {
      out.append(scalar(value));
    }
  }

  /** A map key as Python's json turns it into a string (True -> "true", 1.5 -> "1.5"). */
  static String keyText(Object key) {
    return key instanceof String s ? s : scalar(key);
  }

  private static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Double || value instanceof Float) {
      return pythonFloat(((Number) value).doubleValue());
    }
    return value.toString();
  }

  /** Python's repr of a float: shortest digits, exponent form below 1e-4 and from 1e16 on. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal b = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = b.unscaledValue().toString();
    int decpt = digits.length() - b.scale(); // value = 0.digits * 10^decpt
    String sign = d < 0 ? "-" : "";
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        return sign + "0." + "0".repeat(-decpt) + digits;
      }
      if (decpt >= digits.length()) {
        return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
      }
      return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
    }
    int exp = decpt - 1;
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
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
}
