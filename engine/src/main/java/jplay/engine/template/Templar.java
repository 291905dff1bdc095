package jplay.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import com.hubspot.jinjava.util.ObjectTruthValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2 for playbooks, through Jinjava: renders strings (recursively inside lists and maps) and evaluates
 * conditions. A string that is exactly one {@code {{ expression }}} keeps the expression's native type, as Ansible
 * does ({@code "{{ 3 }}"} is the number 3, {@code "{{ [1,2] }}"} a list). An undefined variable is an error that
 * names the variable and the expression, never an empty string.
 *
 * <p>Thread-safe: one instance serves all hosts.
 */
public final class Templar {
  private static final Pattern SINGLE_EXPRESSION = Pattern.compile("\\A\\s*\\{\\{((?:(?!\\{\\{|\\}\\}).)*)\\}\\}\\s*\\z", Pattern.DOTALL);

  private final Jinjava jinjava =
      new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());

  /** Renders every string in {@code value} (maps and lists walked); other values are returned as they are. */
  public Object render(Object value, Map<String, Object> vars) throws TemplateException {
    if (value instanceof String s) {
      return renderString(s, vars);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(String.valueOf(render(e.getKey(), vars)), render(e.getValue(), vars));
      }
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object item : l) {
        out.add(render(item, vars));
      }
      return out;
    }
    return value;
  }

  private Object renderString(String s, Map<String, Object> vars) throws TemplateException {
    if (!isTemplate(s)) {
      return s;
    }
    Matcher m = SINGLE_EXPRESSION.matcher(s);
    if (m.matches()) {
      return evaluate(m.group(1), vars);
    }
    return run(s, vars, in -> in.render(s));
  }

  /** Renders a whole text (a template file) to a string; no native types, whitespace as written. */
  public String renderText(String template, Map<String, Object> vars) throws TemplateException {
    return String.valueOf(run(template, vars, in -> in.render(template)));
  }

  /** True if {@code s} holds a Jinja2 expression or statement. */
  public static boolean isTemplate(String s) {
    return s.contains("{{") || s.contains("{%");
  }

  /** Evaluates a bare expression ({@code x | default(1)}), giving its native value. */
  public Object evaluate(String expression, Map<String, Object> vars) throws TemplateException {
    return run(expression, vars, in -> in.resolveELExpression(expression, 1));
  }

  /**
   * Evaluates a {@code when}-style condition: a bare expression, a boolean, or a list of them (all must hold).
   * Bare strings may themselves hold {@code {{ }}} (Ansible warns about it but allows it).
   */
  public boolean condition(Object when, Map<String, Object> vars) throws TemplateException {
    if (when == null) {
      return true;
    }
    if (when instanceof Boolean b) {
      return b;
    }
    if (when instanceof List<?> l) {
      for (Object item : l) {
        if (!condition(item, vars)) {
          return false;
        }
      }
      return true;
    }
    String text = String.valueOf(when).strip();
    Object result = isTemplate(text) ? render(text, vars) : evaluate(text, vars);
    return truthy(result);
  }

  /** Jinja2/Python truthiness; strings "false"/"no"/"off"/"0" count as false, as Ansible's conditionals do. */
  public static boolean truthy(Object value) {
    if (value instanceof String s) {
      String t = s.strip().toLowerCase(java.util.Locale.ROOT);
      if (t.equals("false") || t.equals("no") || t.equals("off") || t.equals("0") || t.isEmpty()) {
        return false;
      }
      return true;
    }
    return ObjectTruthValue.evaluate(value);
  }

  private interface Step {
    Object apply(JinjavaInterpreter in);
  }

  private Object run(String template, Map<String, Object> vars, Step step) throws TemplateException {
    JinjavaInterpreter in = jinjava.newInterpreter();
    in.getContext().putAll(vars);
    JinjavaInterpreter.pushCurrent(in);
    try {
      Object out = step.apply(in);
      for (TemplateError e : in.getErrors()) {
        if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
          throw new TemplateException("template error in '" + template.strip() + "': " + e.getMessage(), template);
        }
      }
      return out;
    } catch (UnknownTokenException e) {
      String name = e.getToken();
      throw new TemplateException(
          "'" + name + "' is undefined in '" + template.strip() + "'", template);
    } catch (RuntimeException e) {
      throw new TemplateException("template error in '" + template.strip() + "': " + e.getMessage(), template);
    } finally {
      JinjavaInterpreter.popCurrent();
    }
  }
}
