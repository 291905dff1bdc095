package jplay.modules.core;

import java.util.LinkedHashMap;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code debug}: returns a message or the value of an expression; never touches the host.
 *
 * <p>{@code verbosity}: the task is skipped ("Verbosity threshold not met.", as Ansible) unless the host variable
 * {@code ansible_verbosity} (the run's {@code -v} count, which Ansible also exposes) is at least the given value; a
 * missing {@code ansible_verbosity} counts as 0.
 */
public final class Debug implements Module {
  static final String UNDEFINED = "VARIABLE IS NOT DEFINED!";

  static final ModuleSpec SPEC =
      ModuleSpec.builder("debug")
          .aliases("ansible.builtin.debug")
          .summary("Print a message or the value of an expression")
          .description("Shows 'msg', or the value of the expression 'var' under its own text. Never touches the host.")
          .param(Param.raw("msg").doc("The message; default \"Hello world!\"."))
          .param(Param.str("var").doc("An expression (no braces) whose value is shown, e.g. result.stdout_lines."))
          .param(Param.integer("verbosity").defaultValue(0).doc("Show only when run with at least this many -v."))
          .mutuallyExclusive("msg", "var")
          .examples(
              """
              - debug:
                  msg: "kubelet is {{ kubelet_state }}"
              - debug: var=pods.stdout_lines
              - debug:
                  var: hostvars[inventory_hostname]
                  verbosity: 2
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    int wanted = args.integer("verbosity");
    if (wanted > verbosity(ctx)) {
      String reason = "Verbosity threshold not met.";
      return new Plan.Noop(reason, new Outcome(false, false, true, reason, Map.of("skipped_reason", reason), null));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (args.has("var")) {
      String expression = args.str("var");
      data.put(expression, value(ctx, expression));
      return Plan.noop("debug", data);
    }
    Object msg = args.has("msg") ? args.raw("msg") : "Hello world!";
    data.put("msg", msg);
    return Plan.noop("debug", data);
  }

  private static int verbosity(ModuleContext ctx) {
    Object v = ctx.vars().get("ansible_verbosity");
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return v == null ? 0 : Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The expression's value. The template engine reads an undefined name as null, so null means "not defined"
   * unless the expression is a plain variable that exists with a null value.
   */
  private static Object value(ModuleContext ctx, String expression) {
    Object v;
    try {
      v = ctx.evaluate(expression);
    } catch (RuntimeException e) {
      // The engine reports an undefined name or attribute as a ModuleException ("'x' is undefined in 'x'",
      // "'r' has no attribute 'y' in 'r.y'"); debug shows it as Ansible does instead of failing.
      String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (m.contains("undefined") || m.contains("not defined") || m.contains("unknown")
          || m.contains("has no attribute")) {
        return UNDEFINED;
      }
      throw e instanceof ModuleException me ? me
          : new ModuleException("cannot evaluate '" + expression + "': " + e.getMessage());
    }
    if (v == null) {
      boolean plainName = expression.strip().matches("[A-Za-z_][A-Za-z0-9_]*");
      return plainName && ctx.vars().containsKey(expression.strip()) ? null : UNDEFINED;
    }
    return v;
  }
}
