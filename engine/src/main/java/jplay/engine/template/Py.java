package jplay.engine.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jplay.engine.output.Json;

/**
 * Python's view of the values templates handle (what YAML and Jinjava produce: maps, lists, strings, integers as
 * Integer/Long/BigInteger, Double, Boolean, null): {@code str()}, {@code repr()}, truth, equality and ordering.
 */
final class Py {
  private Py() {}

  /** Python's {@code str(value)}: strings as they are, containers in repr form, {@code True}, {@code None}. */
  static String str(Object value) {
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    StringBuilder sb = new StringBuilder();
    repr(sb, value);
    return sb.toString();
  }

  /** Python's {@code repr(value)}. */
  static String repr(Object value) {
    StringBuilder sb = new StringBuilder();
    repr(sb, value);
    return sb.toString();
  }

  private static void repr(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("None");
    } else if (value instanceof Undefined u) {
      throw u.error();
    } else if (value instanceof Boolean b) {
      sb.append(b ? "True" : "False");
    } else if (value instanceof Double || value instanceof Float) {
      sb.append(floatStr(((Number) value).doubleValue()));
    } else if (value instanceof BigDecimal d) {
      sb.append(floatStr(d.doubleValue()));
    } else if (value instanceof Number n) {
      sb.append(n);
    } else if (value instanceof CharSequence || value instanceof Character) {
      quote(sb, value.toString());
    } else if (value instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        repr(sb, e.getKey());
        sb.append(": ");
        repr(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof Iterable<?> it) {
      sb.append('[');
      boolean first = true;
      for (Object o : it) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        repr(sb, o);
      }
      sb.append(']');
    } else {
      sb.append(value);
    }
  }

  /** Python's float repr: {@code 1.0}, {@code 0.30000000000000004}, {@code 1e+16}, {@code inf}, {@code nan}. */
  static String floatStr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return Json.write(d);
  }

  private static void quote(StringBuilder sb, String s) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == q || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append(q);
  }

  /** Python truth: empty strings, containers, zero and None are false. */
  static boolean truth(Object v) {
    if (v instanceof Undefined u) {
      throw u.error();
    }
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n instanceof Double || n instanceof Float ? n.doubleValue() != 0 : !isZero(n);
    }
    if (v instanceof CharSequence s) {
      return s.length() > 0;
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  private static boolean isZero(Number n) {
    return n instanceof BigInteger b ? b.signum() == 0 : n.doubleValue() == 0;
  }

  static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger;
  }

  static boolean isNumber(Object v) {
    return v instanceof Number && !(v instanceof Boolean);
  }

  /** Python's {@code ==}: numbers by value across types (True == 1 as well), containers deeply. */
  static boolean eq(Object a, Object b) {
    if (a instanceof Boolean x && isNumber(b)) {
      return eq(x ? 1 : 0, b);
    }
    if (b instanceof Boolean y && isNumber(a)) {
      return eq(a, y ? 1 : 0);
    }
    if (isNumber(a) && isNumber(b)) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
    }
    if (a instanceof CharSequence x && b instanceof CharSequence y) {
      return x.toString().equals(y.toString());
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!eq(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !eq(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  /** Python's ordering of numbers, strings and lists; other mixes are a TypeError as in Python. */
  static int compare(Object a, Object b) {
    if (isNumber(a) || a instanceof Boolean) {
      if (isNumber(b) || b instanceof Boolean) {
        return new BigDecimal(numStr(a)).compareTo(new BigDecimal(numStr(b)));
      }
    } else if (a instanceof CharSequence x && b instanceof CharSequence y) {
      return x.toString().compareTo(y.toString());
    } else if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        int c = compare(x.get(i), y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    throw new IllegalArgumentException(
        "'<' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
  }

  private static String numStr(Object n) {
    if (n instanceof Boolean b) {
      return b ? "1" : "0";
    }
    if (n instanceof Double d) {
      return BigDecimal.valueOf(d).toString();
    }
    return n.toString();
  }

  /** Python's type name, for messages: 'dict object', 'list object'. */
  static String typeName(Object v) {
    if (v == null) {
      return "NoneType";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (isInteger(v)) {
      return "int";
    }
    if (v instanceof Number) {
      return "float";
    }
    if (v instanceof CharSequence) {
      return "str";
    }
    if (v instanceof Map) {
      return "dict";
    }
    if (v instanceof Iterable) {
      return "list";
    }
    return v.getClass().getSimpleName();
  }

  /** The items Python would iterate: a list's items, a dict's keys, a string's characters. */
  static List<Object> iterate(Object v) {
    if (v instanceof Undefined u) {
      throw u.error();
    }
    List<Object> out = new ArrayList<>();
    if (v instanceof Map<?, ?> m) {
      out.addAll(m.keySet());
    } else if (v instanceof Iterable<?> it) {
      for (Object o : it) {
        out.add(o);
      }
    } else if (v instanceof Iterator<?> it) {
      it.forEachRemaining(out::add);
    } else if (v instanceof CharSequence s) {
      s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
    } else if (v != null && v.getClass().isArray()) {
      for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) {
        out.add(java.lang.reflect.Array.get(v, i));
      }
    } else {
      throw new IllegalArgumentException("'" + typeName(v) + "' object is not iterable");
    }
    return out;
  }

  /** Narrows an integer result to Integer or Long when it fits, as YAML loads them. */
  static Number integer(BigInteger b) {
    if (b.bitLength() < 32) {
      return b.intValue();
    }
    if (b.bitLength() < 64) {
      return b.longValue();
    }
    return b;
  }

  static BigInteger bigInteger(Number n) {
    if (n instanceof BigInteger b) {
      return b;
    }
    if (n instanceof BigDecimal d) {
      return d.toBigInteger();
    }
    if (n instanceof Double || n instanceof Float) {
      return new BigDecimal(n.doubleValue()).toBigInteger();
    }
    return BigInteger.valueOf(n.longValue());
  }
}
