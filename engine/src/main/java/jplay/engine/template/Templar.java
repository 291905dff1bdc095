package jplay.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.LazyExpression;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.SafeString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;
import jplay.engine.inventory.PyLiteral;

/**
 * Jinja2 as Ansible has it, through Jinjava with Python's semantics: renders strings (recursively inside lists and
 * maps), whole texts (template files) and {@code when} conditions.
 *
 * <pre>{@code
 * Templar t = new Templar();
 * t.render("{{ x + 1 }}", Map.of("x", 3));            // 4
 * t.render("{{ x }}0", Map.of("x", 3));               // "30"
 * t.render("[{{ x }}]", Map.of("x", 3));              // [3], as Ansible turns list-looking text into lists
 * t.render("{{ lookup('file', 'motd') }}", vars, TemplateContext.of(playbookDir));
 * t.condition("r is changed and x > 2", vars);        // true or false
 * }</pre>
 *
 * <p>Types: a string that is exactly one {@code {{ expression }}} keeps the expression's value when it is not a
 * string ({@code "{{ x + 1 }}"} is the number 4, as with Ansible's {@code jinja2_native} and in ansible-core
 * 2.19; Ansible 2.14's default makes it the string "4"). Any other result is a string, which Ansible's rule then
 * turns into a list, dict or boolean when it reads as one ({@code "[{{ x }}]"}, {@code "{{ '{a: 1}' }}"},
 * {@code "True"}); the results of {@code string}, {@code to_json}, {@code to_yaml} and friends stay strings.
 *
 * <p>Undefined values are errors that name the expression and what is missing ({@code 'd.b' has no attribute
 * 'zz'}), never an empty string; {@code default}, {@code is defined}, {@code mandatory} and {@code omit} work.
 *
 * <p>Thread-safe: one instance serves all hosts.
 */
public final class Templar {
  /**
   * Whitespace options of a whole-text render (Jinja2's {@code trim_blocks}, {@code lstrip_blocks}).
   * {@link #ANSIBLE} is what Ansible's template module and its expressions use: trim_blocks on.
   */
  public record TextOptions(boolean trimBlocks, boolean lstripBlocks) {
    public static final TextOptions ANSIBLE = new TextOptions(true, false);
    public static final TextOptions JINJA2 = new TextOptions(false, false);

    // equals and hashCode written out, as the record's own would be: a record's are linked on first use through
    // invokedynamic (ObjectMethods), several milliseconds of every run's start for a map key.
    @Override
    public boolean equals(Object o) {
      return o instanceof TextOptions t && trimBlocks == t.trimBlocks && lstripBlocks == t.lstripBlocks;
    }

    @Override
    public int hashCode() {
      return (trimBlocks ? 2 : 0) + (lstripBlocks ? 1 : 0);
    }
  }

  private static final String RENDER_KEY = "__jplay_render__";

  /** One Jinjava per whitespace options, shared: an engine holds only its configuration and registered names. */
  private static final Map<TextOptions, Jinjava> ENGINES = new ConcurrentHashMap<>();

  /** What a render needs beyond Jinjava's context: the variables, the lookup paths, the strings not to convert. */
  record Render(Templar templar, Map<String, Object> vars, TemplateContext context, Set<Object> nativeTexts) {
    static Render current() {
      JinjavaInterpreter in = JinjavaInterpreter.getCurrent();
      Object r = in == null ? null : in.getContext().get(RENDER_KEY);
      if (!(r instanceof Render render)) {
        throw new IllegalStateException("no template is being rendered");
      }
      return render;
    }
  }

  /**
   * Per thread and options, a private copy of the engine's global context (its filters, tests, functions, tags):
   * the parent of every render's context. Jinjava's {@code newInterpreter()} copies the global context for each
   * render, which instantiates every built-in filter, test and tag again (a sixth of a run's templating time); a
   * child context reads them from its parent instead. The copy is per thread because a render records what it
   * resolved in its parents, which is no shared object's business.
   */
  private final ThreadLocal<Map<TextOptions, Context>> parents = ThreadLocal.withInitial(HashMap::new);

  private static Jinjava engine(TextOptions options) {
    return ENGINES.computeIfAbsent(options, Templar::newEngine);
  }

  /**
   * Starts building the engine for Ansible's options on a background thread (about 50 ms: Jinjava's configuration,
   * its JSON mapper, our filters and tests), so the first render does not wait for it; call it as early as a
   * command knows it will render templates. Cheap to call again.
   */
  public static void warmUp() {
    if (!ENGINES.containsKey(TextOptions.ANSIBLE)) {
      Thread t = new Thread(() -> engine(TextOptions.ANSIBLE), "jplay-templates-warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  /** An interpreter with a fresh context of its own, as Jinjava's {@code newInterpreter()} but cheaper. */
  private JinjavaInterpreter interpreter(TextOptions options) {
    Jinjava j = engine(options);
    Context parent = parents.get().computeIfAbsent(options, o -> j.newInterpreter().getContext());
    return j.getGlobalConfig().getInterpreterFactory().newInstance(j, new Context(parent), j.getGlobalConfig());
  }

  private static Jinjava newEngine(TextOptions options) {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new PyResolver());
    resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withFailOnUnknownTokens(false)
        .withTrimBlocks(options.trimBlocks())
        .withLstripBlocks(options.lstripBlocks())
        .withNestedInterpretationEnabled(false)
        .withElResolver(resolver)
        .withInterperterFactory(new PyInterpreterFactory())
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withIterateOverMapKeys(true)
            .withEvaluateMapKeys(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withKeepNullableLoopValues(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .build())
        .build();
    Jinjava j = new Jinjava(config);
    PyFilters.register(j);
    PyTests.register(j);
    Context globals = j.getGlobalContext();
    globals.registerFunction(new ELFunctionDefinition("", "lookup", Lookups.class, "lookup", String.class,
        Object[].class));
    globals.registerFunction(new ELFunctionDefinition("", "query", Lookups.class, "query", String.class,
        Object[].class));
    globals.registerFunction(new ELFunctionDefinition("", "q", Lookups.class, "query", String.class,
        Object[].class));
    globals.registerFunction(new ELFunctionDefinition("", "dict", Lookups.class, "dict", Object[].class));
    return j;
  }

  /** Jinjava's interpreter, printing values as Python's {@code str()} does, None as nothing (Ansible's finalize). */
  private static final class PyInterpreterFactory implements InterpreterFactory {
    @Override
    public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
      return new PyInterpreter(orig);
    }

    @Override
    public JinjavaInterpreter newInstance(Jinjava jinjava, Context context, JinjavaConfig config) {
      return new PyInterpreter(jinjava, context, config);
    }
  }

  private static final class PyInterpreter extends JinjavaInterpreter {
    PyInterpreter(JinjavaInterpreter orig) {
      super(orig);
    }

    PyInterpreter(Jinjava jinjava, Context context, JinjavaConfig config) {
      super(jinjava, context, config);
    }

    @Override
    public String getAsString(Object object) {
      if (object == null) {
        return "";
      }
      if (object instanceof SafeString s) {
        return s.toString();
      }
      return Py.str(object);
    }
  }

  static String nativeText(JinjavaInterpreter in, String s) {
    Object r = in == null ? null : in.getContext().get(RENDER_KEY);
    if (r instanceof Render render) {
      render.nativeTexts().add(s);
    }
    return s;
  }

  /** Renders every string in {@code value} (maps and lists walked); other values are returned as they are. */
  public Object render(Object value, Map<String, Object> vars) throws TemplateException {
    return render(value, vars, TemplateContext.CURRENT_DIRECTORY);
  }

  /** As {@link #render(Object, Map)}, with lookups resolved against {@code context}. */
  public Object render(Object value, Map<String, Object> vars, TemplateContext context) throws TemplateException {
    if (value instanceof String s) {
      return renderString(s, vars, context);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(render(e.getKey(), vars, context)), render(e.getValue(), vars, context));
      }
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object item : l) {
        out.add(render(item, vars, context));
      }
      return out;
    }
    return value;
  }

  private Object renderString(String s, Map<String, Object> vars, TemplateContext context)
      throws TemplateException {
    if (!isTemplate(s)) {
      return s;
    }
    String simple = substituted(s, vars);
    if (simple != null) {
      return literal(simple);
    }
    Render render = new Render(this, vars, context, Collections.newSetFromMap(new IdentityHashMap<>()));
    String single = Source.singleExpression(s);
    if (single != null) {
      String expression = Source.expression(single);
      Object v = run(s, render, TextOptions.ANSIBLE, in -> in.resolveELExpression(expression, 1));
      if (v instanceof Undefined u) {
        throw undefined(s, u);
      }
      if (v instanceof String str) {
        return render.nativeTexts().contains(str) ? str : literal(str);
      }
      return plain(v);
    }
    String source = Source.template(s);
    return literal(String.valueOf(run(s, render, TextOptions.ANSIBLE, in -> in.render(source))));
  }

  /**
   * The fast path for the most common template, text with plain variable references ({@code {{ root }}/{{ name }}})
   * whose values are strings without templates of their own, or a run's lazily templated variables ({@code dir:
   * "{{ root }}/{{ host }}"}, rendered once) that render to a string: the text with the values put in, as Jinja
   * would render it. Null for anything else (filters, tests, statements, whitespace control, other value types, an
   * undefined name), which then goes through Jinjava with its errors and rules. A run renders thousands of these;
   * Jinjava takes a tenth of a millisecond or more for each.
   */
  static String substituted(String s, Map<String, Object> vars) {
    if (s.contains("{%") || s.contains("{#")) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length() + 32);
    int at = 0;
    while (true) {
      int open = s.indexOf("{{", at);
      if (open < 0) {
        out.append(s, at, s.length());
        return out.toString();
      }
      int close = s.indexOf("}}", open + 2);
      if (close < 0) {
        return null;
      }
      String name = s.substring(open + 2, close).strip();
      Object v = isName(name) ? vars.get(name) : null;
      if (v instanceof LazyExpression lazy) {
        try {
          v = lazy.get();
        } catch (RuntimeException e) {
          return null; // Jinjava meets the same error and reports it as it does
        }
      }
      if (!(v instanceof String value) || isTemplate(value)) {
        return null;
      }
      out.append(s, at, open).append(value);
      at = close + 2;
    }
  }

  /** Jinja's literals, which look like names but are not variables. */
  private static final java.util.Set<String> LITERALS = java.util.Set.of("true", "false", "none", "True", "False", "None");

  private static boolean isName(String s) {
    if (LITERALS.contains(s)) {
      return false;
    }
    if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_') || s.charAt(0) > 127) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 127 || !(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** Ansible's rule for rendered text: what reads as a Python list, dict or boolean becomes one. */
  private static Object literal(String s) {
    if (s.startsWith("[") || s.startsWith("{") || s.equals("True") || s.equals("False")) {
      return plain(PyLiteral.parseValue(s));
    }
    return s;
  }

  /** Jinjava's values as the plain ones the rest of jplay handles: LinkedHashMap, ArrayList, Integer or Long. */
  static Object plain(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(plain(k), plain(x)));
      return out;
    }
    if (v instanceof Iterable<?> it && !(v instanceof CharSequence)) {
      List<Object> out = new ArrayList<>();
      it.forEach(x -> out.add(plain(x)));
      return out;
    }
    if (v instanceof SafeString s) {
      return s.toString();
    }
    if (v instanceof Long || v instanceof BigInteger) {
      return Py.integer(Py.bigInteger((Number) v));
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    if (v instanceof BigDecimal d) {
      return d.doubleValue();
    }
    if (v instanceof Undefined u) {
      throw u.error();
    }
    return v;
  }

  /** Renders a whole text (a template file) to a string as Ansible's template module does (trim_blocks on). */
  public String renderText(String template, Map<String, Object> vars) throws TemplateException {
    return renderText(template, vars, TemplateContext.CURRENT_DIRECTORY, TextOptions.ANSIBLE);
  }

  /** As {@link #renderText(String, Map)}, with lookups against {@code context} and the whitespace options given. */
  public String renderText(String template, Map<String, Object> vars, TemplateContext context, TextOptions options)
      throws TemplateException {
    Render render = new Render(this, vars, context, Collections.newSetFromMap(new IdentityHashMap<>()));
    String source = Source.template(template);
    return String.valueOf(run(template, render, options, in -> in.render(source)));
  }

  /** True if {@code s} holds a Jinja2 expression or statement. */
  public static boolean isTemplate(String s) {
    return s.contains("{{") || s.contains("{%") || s.contains("{#");
  }

  /** Evaluates a bare expression ({@code x | default(1)}), giving its native value. */
  public Object evaluate(String expression, Map<String, Object> vars) throws TemplateException {
    return evaluate(expression, vars, TemplateContext.CURRENT_DIRECTORY);
  }

  /** As {@link #evaluate(String, Map)}, with lookups against {@code context}. */
  public Object evaluate(String expression, Map<String, Object> vars, TemplateContext context)
      throws TemplateException {
    Render render = new Render(this, vars, context, Collections.newSetFromMap(new IdentityHashMap<>()));
    String template = "{{ " + expression + " }}";
    String source = Source.expression(expression);
    Object v = run(template, render, TextOptions.ANSIBLE, in -> in.resolveELExpression(source, 1));
    if (v instanceof Undefined u) {
      throw undefined(expression, u);
    }
    return plain(v);
  }

  /**
   * Evaluates a {@code when}-style condition: a bare expression, a boolean, or a list of them (all must hold).
   * As Ansible, a string holding {@code {{ }}} is rendered first and its text, if it is a string, evaluated as an
   * expression ({@code when: "{{ flag }}"} with flag "False" is false); the result counts with Python's truth.
   */
  public boolean condition(Object when, Map<String, Object> vars) throws TemplateException {
    return condition(when, vars, TemplateContext.CURRENT_DIRECTORY);
  }

  /** As {@link #condition(Object, Map)}, with lookups against {@code context}. */
  public boolean condition(Object when, Map<String, Object> vars, TemplateContext context)
      throws TemplateException {
    if (when == null) {
      return true;
    }
    if (when instanceof Boolean b) {
      return b;
    }
    if (when instanceof List<?> l) {
      for (Object item : l) {
        if (!condition(item, vars, context)) {
          return false;
        }
      }
      return true;
    }
    String text = String.valueOf(when).strip();
    Object result;
    if (isTemplate(text)) {
      result = render(text, vars, context);
      if (result instanceof String s && !s.isBlank()) {
        result = evaluate(s, vars, context);
      }
    } else {
      result = evaluate(text, vars, context);
    }
    return Py.truth(result);
  }

  /** Jinja2/Python truthiness; strings "false"/"no"/"off"/"0" count as false, as Ansible's boolean options do. */
  public static boolean truthy(Object value) {
    if (value instanceof String s) {
      String t = s.strip().toLowerCase(java.util.Locale.ROOT);
      return !(t.equals("false") || t.equals("no") || t.equals("off") || t.equals("0") || t.isEmpty());
    }
    return Py.truth(value);
  }

  private interface Step {
    Object apply(JinjavaInterpreter in);
  }

  private Object run(String template, Render render, TextOptions options, Step step) throws TemplateException {
    Map<String, Object> vars = render.vars();
    JinjavaInterpreter in = interpreter(options);
    Context context = in.getContext();
    context.putAll(vars);
    context.put(RENDER_KEY, render);
    context.setDynamicVariableResolver(name -> switch (name) {
      case "True" -> Boolean.TRUE;
      case "False" -> Boolean.FALSE;
      case "none", "None" -> null;
      default -> vars.containsKey(name) || context.containsKey(name) ? null : Undefined.variable(name);
    });
    JinjavaInterpreter.pushCurrent(in);
    try {
      checkNames(template, context);
      Object out = step.apply(in);
      for (TemplateError e : in.getErrors()) {
        if (e.getSeverity() == TemplateError.ErrorType.FATAL || unknownFilterOrTest(e)) {
          throw error(template, e);
        }
      }
      return out;
    } catch (Undefined.UndefinedException e) {
      throw undefined(template, e.undefined());
    } catch (RuntimeException e) {
      Undefined.UndefinedException u = undefinedCause(e);
      if (u != null) {
        throw undefined(template, u.undefined());
      }
      throw new TemplateException(where(template) + ": " + message(e), template);
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }

  /** Jinjava renders an unknown filter or test as nothing; Jinja2 refuses the template, and so does jplay. */
  private static void checkNames(String template, Context context) throws TemplateException {
    for (String code : Source.code(template)) {
      Matcher f = FILTER_NAME.matcher(code);
      while (f.find()) {
        if (context.getFilter(f.group(1)) == null) {
          throw new TemplateException(where(template) + ": no filter named '" + f.group(1) + "'", template);
        }
      }
      Matcher t = TEST_NAME.matcher(code);
      while (t.find()) {
        if (context.getExpTest(t.group(1)) == null) {
          throw new TemplateException(where(template) + ": no test named '" + t.group(1) + "'", template);
        }
      }
    }
  }

  private static final Pattern FILTER_NAME = Pattern.compile("(?<![|])\\|(?![|])\\s*([A-Za-z_]\\w*)");
  private static final Pattern TEST_NAME = Pattern.compile("\\bis\\s+(?:not\\s+)?([A-Za-z_]\\w*)");

  private static boolean unknownFilterOrTest(TemplateError e) {
    return e.getReason() == TemplateError.ErrorReason.UNKNOWN
        && (e.getItem() == TemplateError.ErrorItem.FILTER || e.getItem() == TemplateError.ErrorItem.EXPRESSION_TEST);
  }

  /** The innermost message, without Java's class names. */
  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

  private static Undefined.UndefinedException undefinedCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Undefined.UndefinedException u) {
        return u;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String where(String template) {
    return "template error in '" + shown(template) + "'";
  }

  /** The template for a one-line message: stripped, line breaks as \\n. */
  private static String shown(String template) {
    return template.strip().replace("\n", "\\n");
  }

  private static TemplateException error(String template, TemplateError e) {
    Undefined.UndefinedException u = undefinedCause(e.getException());
    if (u != null) {
      return undefined(template, u.undefined());
    }
    // "Error invoking function 'lookup'" hides the reason in the cause
    String message = (e.getException() != null && e.getException().getCause() != null
        ? message(e.getException()) : e.getMessage())
        .replaceFirst("^(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
    int line = Math.max(e.getLineno(), 1);
    int column = e.getStartPosition() > 0 ? e.getStartPosition() : 0;
    return new TemplateException(
        where(template) + (column > 0 ? " at line " + line + ", column " + column : "") + ": " + message,
        template, line, column);
  }

  /**
   * The message for an undefined value, naming the path that lacks the attribute: {@code 'd.b' has no attribute
   * 'zz'} rather than Jinja2's {@code 'dict object' has no attribute 'zz'}.
   */
  private static TemplateException undefined(String template, Undefined u) {
    String reason = u.message();
    int at = -1;
    if (u.base() != null && u.name() != null) {
      Matcher m = Pattern.compile("([A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*|\\[[^\\]\\[]*\\])*?)\\s*(?:\\.\\s*"
          + Pattern.quote(u.name()) + "\\b|\\[\\s*['\"]" + Pattern.quote(u.name()) + "['\"]\\s*\\])")
          .matcher(template);
      if (m.find()) {
        reason = "'" + m.group(1) + "' has no attribute '" + u.name() + "'";
        at = m.start();
      }
    } else if (u.base() == null && u.name() != null) {
      Matcher m = Pattern.compile("(?<![\\w.'\"])" + Pattern.quote(u.name()) + "\\b").matcher(template);
      if (m.find()) {
        at = m.start();
      }
    }
    if (at < 0) {
      return new TemplateException(reason + " in '" + shown(template) + "'", template);
    }
    // Point at the {{ or {% that holds the name (a bare condition has none: the name itself).
    int open = Math.max(template.lastIndexOf("{{", at), template.lastIndexOf("{%", at));
    int close = open < 0 ? -1 : template.indexOf(open == template.lastIndexOf("{{", at) ? "}}" : "%}", open);
    int start = open >= 0 && (close < 0 || close > at) ? open : at;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < start; i++) {
      if (template.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new TemplateException(reason + " in '" + shown(template) + "'", template, line, start - lineStart + 1);
  }
}
