package jplay.modules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleContext;
import jplay.modules.testing.LocalTarget;

/**
 * A {@link ModuleContext} for unit tests: facts answered from canned probe results (by fact key or by the probe's
 * exact script), expressions from a table. It records which probes a module asked for.
 */
final class FakeContext implements ModuleContext {
  /** An expression the table maps to this value is reported as undefined, as the template engine would. */
  static final String UNDEFINED = "!undefined";

  private final Args args;
  private final Map<String, CommandResult> facts;
  private final boolean checkMode;
  private final boolean diffMode;
  private final Map<String, Object> vars;
  private final Map<String, Object> expressions;
  final List<String> probes = new ArrayList<>();

  FakeContext(
      Args args,
      Map<String, CommandResult> facts,
      boolean checkMode,
      boolean diffMode,
      Map<String, Object> vars,
      Map<String, Object> expressions) {
    this.args = args;
    this.facts = facts;
    this.checkMode = checkMode;
    this.diffMode = diffMode;
    this.vars = vars;
    this.expressions = expressions;
  }

  @Override
  public Args args() {
    return args;
  }

  @Override
  public String host() {
    return "testhost";
  }

  @Override
  public <T> T fact(Fact<T> fact) {
    probes.add(fact.probe().script());
    if (!"C".equals(fact.probe().env().get("LC_ALL"))) {
      throw new AssertionError("probe without LC_ALL=C: " + fact.probe().script());
    }
    CommandResult r = facts.get(fact.key());
    if (r == null) {
      r = facts.get(fact.probe().script());
    }
    if (r == null) {
      throw new AssertionError(
          "the fixture has no fact for key '" + fact.key() + "' (probe script:\n" + fact.probe().script() + ")");
    }
    return fact.parser().apply(r);
  }

  @Override
  public boolean checkMode() {
    return checkMode;
  }

  @Override
  public boolean diffMode() {
    return diffMode;
  }

  @Override
  public Map<String, Object> vars() {
    return vars;
  }

  @Override
  public Object evaluate(String expression) {
    if (!expressions.containsKey(expression)) {
      throw new AssertionError("the fixture does not say what '" + expression + "' evaluates to");
    }
    Object v = expressions.get(expression);
    if (UNDEFINED.equals(v)) {
      throw new IllegalStateException("'" + expression + "' is undefined");
    }
    return v;
  }

  @Override
  public String render(String template) {
    return LocalTarget.render(template, vars);
  }

  /**
   * Answers the n-th reconnect from the fact {@code reconnect n}; a missing one means the host could not be reached.
   * Records the probe like a fact's.
   */
  @Override
  public java.util.Optional<CommandResult> reconnect(jplay.engine.api.Command probe, java.time.Duration timeout) {
    probes.add(probe.script());
    reconnects++;
    return java.util.Optional.ofNullable(facts.get("reconnect " + reconnects));
  }

  /** Files the module wrote on the controller, by path. */
  final Map<Path, byte[]> written = new java.util.LinkedHashMap<>();

  private int reconnects;

  @Override
  public void writeLocal(Path path, byte[] content) {
    written.put(path, content.clone());
  }

  @Override
  public Path localPath(String name) {
    return Path.of(name);
  }
}
