package jplay.engine.run;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Values written as Python's {@code str()} writes them: how Ansible shows a loop item ({@code (item={'a': 1})}). */
final class PyRepr {
  private PyRepr() {}

  /** {@code str(value)}: a string as it is, anything else as {@link #repr}. */
  static String str(Object value) {
    return value instanceof String s ? s : repr(value);
  }

  static String repr(Object value) {
    StringBuilder sb = new StringBuilder();
    repr(value, sb);
    return sb.toString();
  }

  private static void repr(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("None");
    } else if (v instanceof Boolean b) {
      sb.append(b ? "True" : "False");
    } else if (v instanceof String s) {
      quote(s, sb);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        repr(e.getKey(), sb);
        sb.append(": ");
        repr(e.getValue(), sb);
        if (it.hasNext()) {
          sb.append(", ");
        }
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        repr(l.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(v);
    }
  }

  /** Python's repr of a string: single quotes unless the text holds one and no double quote. */
  private static void quote(String s, StringBuilder sb) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c == q) {
            sb.append('\\');
          }
          sb.append(c);
        }
      }
    }
    sb.append(q);
  }
}
