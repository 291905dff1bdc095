package jplay.engine.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import jplay.engine.api.Args;
import jplay.engine.yaml.Node;

/**
 * What a keyword's value must look like, and how it becomes the plain value stored on a {@link Play} or
 * {@link Task}. A value that holds a template ({@code "{{ x }}"}) is accepted for every type: it is checked once
 * rendered.
 */
enum ValueType {
  BOOL("a boolean (yes/no, true/false)"),
  STRING("a string"),
  MAPPING("a mapping"),
  /** {@code vars}: a mapping of valid variable names; a template cannot stand for the whole mapping. */
  VARS("a mapping of variable names to values"),
  /** {@code when}, {@code changed_when}, {@code failed_when}. */
  CONDITION("a condition (a string, a boolean or a list of them)"),
  /** Stored as a list of tag names; a string is split on commas, as Ansible does. */
  TAGS("a tag or a list of tags"),
  /** Stored as one pattern; a list is joined with ',', as Ansible does. */
  HOSTS("a host pattern such as 'all', or a list of them"),
  INT("an integer"),
  PERCENT("a percentage (a number such as 30)"),
  SERIAL("a number, a percentage such as '30%' or a list of them"),
  /** {@code tasks}: read by the parser itself, task by task. */
  TASKS("a list of tasks"),
  /** {@code args}: read by the parser itself and merged into the module's arguments. */
  ARGS("a mapping of module arguments"),
  /** {@code loop}: a list, or a template that gives one once rendered. */
  LOOP("a list, or a template that gives one"),
  /** {@code with_*}: the lookup's terms, any value but empty. */
  WITH("a list, a mapping or a string"),
  /** {@code loop_control}: a mapping of loop settings, read by the parser itself. */
  LOOP_CONTROL("a mapping of loop settings (loop_var, index_var, label, pause, extended)"),
  /** {@code notify}, {@code listen}: stored as a list of names. */
  NAMES("a name or a list of names"),
  /** {@code vars_files}: stored as a list whose entries are a name or a list of names (the first found is read). */
  VARS_FILES("a file name or a list of them"),
  /** {@code roles}: read by the parser itself, role by role. */
  ROLES("a list of roles"),
  STRATEGY("'linear' or 'free'");

  private static final Set<String> TRUE = Set.of("yes", "on", "1", "true", "y", "t");
  private static final Set<String> FALSE = Set.of("no", "off", "0", "false", "n", "f");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  private static final Pattern PERCENTAGE = Pattern.compile("[0-9]+(\\.[0-9]+)?%");

  private final String expected;

  ValueType(String expected) {
    this.expected = expected;
  }

  /** For messages: "'become' must be {expected}, not 'maybe'". */
  String expected() {
    return expected;
  }

  /** A value of the wrong type; {@code node} is the offending part (an element of a list, say). */
  static final class BadValue extends Exception {
    private final transient Node node;

    BadValue(Node node) {
      super(null, null, false, false);
      this.node = node;
    }

    Node node() {
      return node;
    }
  }

  /**
   * The plain value of {@code node}, checked against this type.
   *
   * @param node a value that is not null (absent and empty values are handled by the caller)
   */
  Object read(Node node) throws BadValue {
    if (this != VARS && isTemplate(node)) {
      return ((Node.Scalar) node).value();
    }
    switch (this) {
      case BOOL:
        return bool(node);
      case STRING:
        return text(node);
      case MAPPING:
      case VARS:
      case ARGS:
        if (node instanceof Node.MapNode) {
          return node.toPlain();
        }
        throw new BadValue(node);
      case CONDITION:
        if (node instanceof Node.Seq seq) {
          List<Object> out = new ArrayList<>();
          for (Node item : seq.items()) {
            out.add(condition(item));
          }
          return out;
        }
        return condition(node);
      case TAGS:
        return tags(node);
      case LOOP:
        if (node instanceof Node.Seq) {
          return node.toPlain();
        }
        throw new BadValue(node);
      case WITH:
        if (isNull(node)) {
          throw new BadValue(node);
        }
        return node.toPlain();
      case LOOP_CONTROL:
        if (node instanceof Node.MapNode) {
          return node.toPlain();
        }
        throw new BadValue(node);
      case NAMES:
        return names(node);
      case VARS_FILES:
        return varsFiles(node);
      case STRATEGY:
        String strategy = text(node).trim();
        if (strategy.equals("linear") || strategy.equals("free")) {
          return strategy;
        }
        throw new BadValue(node);
      case HOSTS:
        return hosts(node);
      case INT:
        return integer(node);
      case PERCENT:
        return percent(node);
      case SERIAL:
        if (node instanceof Node.Seq seq) {
          List<Object> out = new ArrayList<>();
          for (Node item : seq.items()) {
            out.add(isTemplate(item) ? ((Node.Scalar) item).value() : serial(item));
          }
          return out;
        }
        return serial(node);
      default:
        throw new AssertionError(this);
    }
  }

  static boolean isTemplate(Node node) {
    return node instanceof Node.Scalar s && s.value() instanceof String text && Args.holdsTemplate(text);
  }

  static boolean isNull(Node node) {
    return node instanceof Node.Scalar s && s.value() == null && !s.quoted();
  }

  /** How a wrong value is shown: its text, or what kind of node it is. */
  static String describe(Node node) {
    if (node instanceof Node.MapNode) {
      return "a mapping";
    }
    if (node instanceof Node.Seq) {
      return "a list";
    }
    Node.Scalar s = (Node.Scalar) node;
    return s.value() == null && !s.quoted() ? "empty" : "'" + s.text() + "'";
  }

  private static Boolean bool(Node node) throws BadValue {
    if (node instanceof Node.Scalar s) {
      Object v = s.value();
      if (v instanceof Boolean b) {
        return b;
      }
      String t = s.text().trim().toLowerCase(Locale.ROOT);
      if ((v instanceof String || v instanceof Integer) && TRUE.contains(t)) {
        return true;
      }
      if ((v instanceof String || v instanceof Integer) && FALSE.contains(t)) {
        return false;
      }
    }
    throw new BadValue(node);
  }

  private static String text(Node node) throws BadValue {
    if (node instanceof Node.Scalar s && !isNull(s)) {
      return s.text();
    }
    throw new BadValue(node);
  }

  private static Object condition(Node node) throws BadValue {
    if (node instanceof Node.Scalar s && !isNull(s)) {
      return s.value() instanceof Boolean b ? b : s.text();
    }
    throw new BadValue(node);
  }

  private static List<String> tags(Node node) throws BadValue {
    List<String> out = new ArrayList<>();
    if (node instanceof Node.Seq seq) {
      for (Node item : seq.items()) {
        out.add(text(item));
      }
      return out;
    }
    for (String part : text(node).split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private static List<String> names(Node node) throws BadValue {
    List<String> out = new ArrayList<>();
    if (node instanceof Node.Seq seq) {
      for (Node item : seq.items()) {
        out.add(text(item));
      }
    } else {
      out.add(text(node));
    }
    return out;
  }

  private static List<Object> varsFiles(Node node) throws BadValue {
    List<Object> out = new ArrayList<>();
    if (node instanceof Node.Seq seq) {
      for (Node item : seq.items()) {
        out.add(item instanceof Node.Seq alternatives ? names(alternatives) : text(item));
      }
    } else {
      out.add(text(node));
    }
    return out;
  }

  private static String hosts(Node node) throws BadValue {
    List<String> patterns = new ArrayList<>();
    if (node instanceof Node.Seq seq) {
      for (Node item : seq.items()) {
        patterns.add(text(item).trim());
      }
    } else {
      patterns.add(text(node).trim());
    }
    if (patterns.isEmpty() || patterns.stream().anyMatch(String::isEmpty)) {
      throw new BadValue(node);
    }
    return String.join(",", patterns);
  }

  private static Object integer(Node node) throws BadValue {
    if (node instanceof Node.Scalar s) {
      if (s.value() instanceof Integer || s.value() instanceof Long) {
        return s.value();
      }
      if (s.value() instanceof String t && DIGITS.matcher(t.trim()).matches()) {
        try {
          return Integer.parseInt(t.trim());
        } catch (NumberFormatException tooBig) {
          throw new BadValue(node);
        }
      }
    }
    throw new BadValue(node);
  }

  private static Number percent(Node node) throws BadValue {
    if (node instanceof Node.Scalar s) {
      if (s.value() instanceof Number n && !(s.value() instanceof Double d && (d.isNaN() || d.isInfinite()))) {
        return n;
      }
      if (s.value() instanceof String t) {
        String digits = t.trim().endsWith("%") ? t.trim().substring(0, t.trim().length() - 1) : t.trim();
        if (NUMBER.matcher(digits).matches()) {
          double d = Double.parseDouble(digits);
          return d == Math.rint(d) && d <= Integer.MAX_VALUE ? (Number) (int) d : (Number) d;
        }
      }
    }
    throw new BadValue(node);
  }

  /** An integer batch size, or a percentage kept as its text ("30%") for the executor to resolve. */
  private static Object serial(Node node) throws BadValue {
    if (node instanceof Node.Scalar s) {
      if (s.value() instanceof Integer i && i >= 0) {
        return i;
      }
      if (s.value() instanceof String t) {
        String v = t.trim();
        if (PERCENTAGE.matcher(v).matches()) {
          return v;
        }
        if (DIGITS.matcher(v).matches() && v.length() < 10) {
          return Integer.parseInt(v);
        }
      }
    }
    throw new BadValue(node);
  }
}
