package jplay.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * YAML and JSON for the {@code to_yaml}, {@code to_nice_yaml}, {@code from_yaml} and {@code from_json} filters.
 * Output follows PyYAML's {@code safe_dump} as Ansible calls it: keys sorted, strings plain unless they would read
 * back as something else, {@code to_yaml} with collections of scalars in flow style ({@code [a, b]}),
 * {@code to_nice_yaml} all block style, indented by 4 with sequences in a mapping not indented. Unlike PyYAML,
 * long strings are not folded at 80 columns.
 */
final class PyYaml {
  private PyYaml() {}

  private static final Pattern PLAIN_UNSAFE = Pattern.compile(
      "^$|^[\\s\\-?:,\\[\\]{}#&*!|>'\"%@`]|\\s$|: |:$| #|[\\n\\r\\t\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
          + "|^(?i:y|yes|n|no|true|false|on|off|null|~)$"
          + "|^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$|^[-+]?0[xob]|^[-+]?\\.(?i:inf|nan)$"
          + "|^\\d{4}-\\d\\d?-\\d\\d?");

  static String dump(Object value, boolean nice) {
    StringBuilder sb = new StringBuilder();
    Object v = sorted(value);
    if (isCollection(v) && !empty(v)) {
      block(sb, v, nice ? 4 : 2, 0, nice);
    } else {
      sb.append(scalarOrFlow(v)).append('\n');
    }
    return sb.toString();
  }

  private static boolean isCollection(Object v) {
    return v instanceof Map || v instanceof List;
  }

  private static boolean empty(Object v) {
    return v instanceof Map<?, ?> m ? m.isEmpty() : ((List<?>) v).isEmpty();
  }

  private static Object sorted(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> out.put(Py.str(k), sorted(x)));
      return out;
    }
    if (v instanceof Iterable<?> it && !(v instanceof CharSequence)) {
      List<Object> out = new ArrayList<>();
      it.forEach(x -> out.add(sorted(x)));
      return out;
    }
    return v;
  }

  /** Flow style where PyYAML's default_flow_style=None puts it: a collection with no collection inside. */
  private static boolean flow(Object v, boolean nice) {
    if (nice || !isCollection(v) || empty(v)) {
      return isCollection(v);
    }
    Iterable<?> items = v instanceof Map<?, ?> m ? m.values() : (List<?>) v;
    for (Object o : items) {
      if (isCollection(o)) {
        return false;
      }
    }
    return true;
  }

  private static void block(StringBuilder sb, Object v, int indent, int col, boolean nice) {
    if (!nice && flow(v, false)) {
      sb.append(scalarOrFlow(v)).append('\n');
      return;
    }
    String pad = " ".repeat(col);
    boolean first = true;
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(pad);
        }
        first = false;
        sb.append(scalar(e.getKey())).append(':');
        Object x = e.getValue();
        if (isCollection(x) && !empty(x) && (nice || !flow(x, false))) {
          sb.append('\n');
          int inner = x instanceof List ? col : col + indent;
          sb.append(" ".repeat(inner));
          block(sb, x, indent, inner, nice);
        } else {
          sb.append(' ').append(scalarOrFlow(x)).append('\n');
        }
      }
    } else {
      for (Object x : (List<?>) v) {
        if (!first) {
          sb.append(pad);
        }
        first = false;
        sb.append('-').append(" ".repeat(indent - 1));
        if (isCollection(x) && !empty(x) && (nice || !flow(x, false))) {
          block(sb, x, indent, col + indent, nice);
        } else {
          sb.append(scalarOrFlow(x)).append('\n');
        }
      }
    }
  }

  private static String scalarOrFlow(Object v) {
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(scalar(k) + ": " + scalarOrFlow(x)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(x -> parts.add(scalarOrFlow(x)));
      return "[" + String.join(", ", parts) + "]";
    }
    return scalar(v);
  }

  private static String scalar(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (v instanceof Double d) {
      return Double.isNaN(d) ? ".nan" : Double.isInfinite(d) ? (d > 0 ? ".inf" : "-.inf") : Py.floatStr(d);
    }
    if (Py.isNumber(v)) {
      return Py.str(v);
    }
    String s = Py.str(v);
    if (!PLAIN_UNSAFE.matcher(s).find()) {
      return s;
    }
    if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
      return jplay.engine.output.Json.quote(s);
    }
    return "'" + s.replace("'", "''").replace("\n", "\n\n") + "'";
  }

  /** YAML 1.2 (core schema) into maps, lists and scalars. */
  static Object load(String text) {
    return new Load(LoadSettings.builder().build()).loadFromString(text);
  }

  /** JSON text into maps, lists and scalars; snakeyaml-engine's JSON schema reads JSON as YAML 1.2 does. */
  static Object loadJson(String text) {
    return new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
  }
}
