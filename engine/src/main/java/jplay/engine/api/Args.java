package jplay.engine.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A module's arguments after validation against its {@link ModuleSpec}: canonical names (aliases resolved),
 * values coerced to their declared types, defaults filled in.
 *
 * <pre>{@code
 * Args args = Args.bind(spec, Map.of("dest", "/tmp/x", "state", "touch"), false);
 * args.str("path");   // "/tmp/x"
 * }</pre>
 */
public final class Args {
  private static final Set<String> TRUE = Set.of("yes", "on", "1", "true", "y", "t");
  private static final Set<String> FALSE = Set.of("no", "off", "0", "false", "n", "f");
  private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3,4}|0o[0-7]{3,4}");
  private static final Pattern SYMBOLIC_MODE =
      Pattern.compile("([ugoa]*[-+=]([rwxXst]*|[ugo]))+(,([ugoa]*[-+=]([rwxXst]*|[ugo]))+)*");

  private final ModuleSpec spec;
  private final Map<String, Object> values;
  private final Set<String> given;

  private Args(ModuleSpec spec, Map<String, Object> values, Set<String> given) {
    this.spec = spec;
    this.values = Collections.unmodifiableMap(values);
    this.given = Set.copyOf(given);
  }

  /**
   * Validates and coerces {@code raw} against {@code spec}.
   *
   * @param raw the arguments as written (keys may be aliases)
   * @param deferTemplates when true (static checking before a run), values that still hold a Jinja2 expression are
   *     accepted as they are; they are checked again once rendered
   * @throws ArgsException with every problem found, not just the first
   */
  public static Args bind(ModuleSpec spec, Map<String, ?> raw, boolean deferTemplates) throws ArgsException {
    List<ArgsException.Problem> problems = new ArrayList<>();
    Map<String, Object> values = new LinkedHashMap<>();
    Set<String> given = new java.util.HashSet<>();
    // A misspelt required parameter is one mistake: "unknown 'stat' (did you mean 'state'?)" says it all, so the
    // required parameter it suggests is not also reported missing.
    Set<String> suggested = new java.util.HashSet<>();
    for (Map.Entry<String, ?> e : raw.entrySet()) {
      String key = e.getKey();
      if (key.equals(ModuleSpec.RAW_PARAMS) && spec.freeForm()) {
        values.put(key, e.getValue() == null ? "" : String.valueOf(e.getValue()));
        given.add(key);
        continue;
      }
      Optional<Param> param = spec.param(key);
      if (param.isEmpty()) {
        Suggestions.closest(key, spec.paramNames())
            .flatMap(spec::param)
            .ifPresent(p -> suggested.add(p.name()));
        problems.add(
            new ArgsException.Problem(
                key,
                "unknown parameter '" + key + "' for " + spec.name() + Suggestions.hint(key, spec.paramNames())));
        continue;
      }
      Param p = param.get();
      if (given.contains(p.name())) {
        problems.add(
            new ArgsException.Problem(
                key, "parameter '" + p.name() + "' is given twice for " + spec.name() + " (once as an alias)"));
        continue;
      }
      given.add(p.name());
      Object value = e.getValue();
      if (deferTemplates && holdsTemplate(value)) {
        values.put(p.name(), value);
        continue;
      }
      try {
        Object coerced = value == null ? null : coerce(p, p.type(), value);
        if (coerced != null && !p.choices().isEmpty()) {
          checkChoices(spec, p, coerced);
        }
        values.put(p.name(), coerced);
      } catch (IllegalArgumentException ex) {
        problems.add(new ArgsException.Problem(key, ex.getMessage()));
      }
    }
    for (Param p : spec.params()) {
      if (!given.contains(p.name())) {
        if (p.mandatory() && !suggested.contains(p.name())) {
          problems.add(
              new ArgsException.Problem(
                  null, "missing required parameter '" + p.name() + "' for " + spec.name()));
        } else if (p.defaultValue() != null) {
          values.put(p.name(), p.defaultValue());
        }
      }
    }
    for (List<String> group : spec.mutuallyExclusive()) {
      List<String> present = group.stream().filter(given::contains).toList();
      if (present.size() > 1) {
        problems.add(
            new ArgsException.Problem(
                present.get(1),
                "parameters " + quoteAll(present) + " of " + spec.name() + " are mutually exclusive: give only one"));
      }
    }
    for (List<String> group : spec.requiredOneOf()) {
      if (group.stream().noneMatch(given::contains)) {
        problems.add(
            new ArgsException.Problem(
                null, spec.name() + " needs one of " + quoteAll(group)));
      }
    }
    if (!problems.isEmpty()) {
      throw new ArgsException(problems);
    }
    return new Args(spec, values, given);
  }

  private static String quoteAll(List<String> names) {
    return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
  }

  /** True if the value (or any string inside it) still holds a Jinja2 expression or statement. */
  public static boolean holdsTemplate(Object value) {
    if (value instanceof String s) {
      return s.contains("{{") || s.contains("{%");
    }
    if (value instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(Args::holdsTemplate) || m.keySet().stream().anyMatch(Args::holdsTemplate);
    }
    if (value instanceof List<?> l) {
      return l.stream().anyMatch(Args::holdsTemplate);
    }
    return false;
  }

  private static void checkChoices(ModuleSpec spec, Param p, Object value) {
    List<?> items = value instanceof List<?> l ? l : List.of(value);
    for (Object item : items) {
      String s = String.valueOf(item);
      if (!p.choices().contains(s)) {
        throw new IllegalArgumentException(
            "value '" + s + "' of parameter '" + p.name() + "' for " + spec.name() + " must be one of "
                + String.join(", ", p.choices()) + Suggestions.hint(s, p.choices()));
      }
    }
  }

  private static Object coerce(Param p, ParamType type, Object value) {
    return switch (type) {
      case RAW -> value;
      case STR, PATH -> {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
          throw wrongType(p, value, "a string");
        }
        yield value instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(value);
      }
      case BOOL -> toBool(p, value);
      case INT -> {
        if (value instanceof Integer || value instanceof Long) {
          yield value;
        }
        try {
          yield Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException ex) {
          throw wrongType(p, value, "an integer");
        }
      }
      case FLOAT -> {
        if (value instanceof Number n) {
          yield n.doubleValue();
        }
        try {
          yield Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException ex) {
          throw wrongType(p, value, "a number");
        }
      }
      case LIST -> {
        List<Object> out = new ArrayList<>();
        if (value instanceof List<?> l) {
          out.addAll(l);
        } else if (value instanceof String s) {
          for (String part : s.split(",")) {
            if (!part.isBlank()) {
              out.add(part.trim());
            }
          }
        } else if (value instanceof Map<?, ?>) {
          throw wrongType(p, value, "a list");
        } else {
          out.add(value);
        }
        if (p.elements() != null) {
          out.replaceAll(item -> coerce(p, p.elements(), item));
        }
        yield List.copyOf(out);
      }
      case DICT -> {
        if (value instanceof Map<?, ?> m) {
          yield m;
        }
        if (value instanceof String s) {
          Map<String, Object> out = new LinkedHashMap<>();
          for (String part : s.trim().split("[,\\s]+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
              throw wrongType(p, value, "a mapping (or k=v pairs)");
            }
            out.put(part.substring(0, eq), part.substring(eq + 1));
          }
          yield out;
        }
        throw wrongType(p, value, "a mapping");
      }
      case MODE -> toMode(p, value);
    };
  }

  private static Boolean toBool(Param p, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    if (TRUE.contains(s)) {
      return true;
    }
    if (FALSE.contains(s)) {
      return false;
    }
    throw wrongType(p, value, "a boolean (yes/no, true/false)");
  }

  private static String toMode(Param p, Object value) {
    if (value instanceof Integer i) {
      // YAML 1.1 reads an unquoted 0644 as the octal number it is; keep the digits the user wrote.
      return String.format("%04o", i);
    }
    String s = String.valueOf(value).trim();
    if (OCTAL_MODE.matcher(s).matches()) {
      String digits = s.startsWith("0o") ? s.substring(2) : s;
      return digits.length() == 3 ? "0" + digits : digits;
    }
    if (SYMBOLIC_MODE.matcher(s).matches() || s.equals("preserve")) {
      return s;
    }
    throw new IllegalArgumentException(
        "value '" + s + "' of parameter '" + p.name() + "' is not a file mode: give an octal string such as '0644'"
            + " or a symbolic mode such as 'u=rw,g=r,o=r'");
  }

  private static IllegalArgumentException wrongType(Param p, Object value, String expected) {
    String shown = p.secret() ? "********" : String.valueOf(value);
    return new IllegalArgumentException(
        "value '" + shown + "' of parameter '" + p.name() + "' is not " + expected);
  }

  public ModuleSpec spec() {
    return spec;
  }

  /** True if the user gave the parameter (defaults do not count). */
  public boolean given(String name) {
    return given.contains(name);
  }

  /** True if the parameter has a value, given or default. */
  public boolean has(String name) {
    return values.get(name) != null;
  }

  public Object raw(String name) {
    return values.get(name);
  }

  public String str(String name) {
    Object v = values.get(name);
    return v == null ? null : String.valueOf(v);
  }

  public Optional<String> optStr(String name) {
    return Optional.ofNullable(str(name));
  }

  /** The boolean value, false when absent. */
  public boolean bool(String name) {
    Object v = values.get(name);
    return v instanceof Boolean b && b;
  }

  /** The boolean value, null when absent and without default. */
  public Boolean optBool(String name) {
    return (Boolean) values.get(name);
  }

  public Integer integer(String name) {
    Object v = values.get(name);
    return v == null ? null : ((Number) v).intValue();
  }

  /** The list as strings, empty when absent. */
  public List<String> strings(String name) {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    return ((List<?>) v).stream().map(String::valueOf).toList();
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> dict(String name) {
    Object v = values.get(name);
    return v == null ? Map.of() : (Map<String, Object>) v;
  }

  /** All values by canonical name, secrets included; mask with {@link #masked()} before showing them. */
  public Map<String, Object> asMap() {
    return values;
  }

  /** The values with every no_log parameter replaced by a mask; safe to show. */
  public Map<String, Object> masked() {
    Map<String, Object> out = new LinkedHashMap<>(values);
    for (Param p : spec.params()) {
      if (p.secret() && out.get(p.name()) != null) {
        out.put(p.name(), "********");
      }
    }
    return out;
  }
}
