package jplay.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.objects.collections.PyList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tests of Jinja2 and Ansible ({@code x is defined}, {@code r is failed}, {@code v is version('2', '>=')}). */
final class PyTests {
  private PyTests() {}

  interface Impl {
    boolean test(Object value, PyFilters.Args args);
  }

  private static final class Test implements ExpTest {
    private final String name;
    private final Impl impl;
    private final boolean acceptsUndefined;

    Test(String name, Impl impl, boolean acceptsUndefined) {
      this.name = name;
      this.impl = impl;
      this.acceptsUndefined = acceptsUndefined;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter in, Object... args) {
      if (var instanceof Undefined u && !acceptsUndefined) {
        throw u.error();
      }
      List<Object> pos = new ArrayList<>();
      Map<String, Object> kw = new LinkedHashMap<>();
      Object[] all = args == null ? new Object[0] : args;
      // Jinjava hands a test's several arguments over as one tuple, a plain PyList (literals are wrapped in a
      // SizeLimitingPyList), so `is version('1.2', '<')` arrives as [('1.2', '<')]
      if (all.length == 1 && all[0] != null && all[0].getClass() == PyList.class) {
        all = ((PyList) all[0]).toArray();
      }
      for (Object a : all) {
        if (a instanceof NamedParameter np) {
          kw.put(np.getName(), np.getValue());
        } else {
          pos.add(a);
        }
      }
      return impl.test(var, new PyFilters.Args(pos, kw, in));
    }

    @Override
    public boolean evaluateNegated(Object var, JinjavaInterpreter in, Object... args) {
      return !evaluate(var, in, args);
    }
  }

  static void register(Jinjava j) {
    Map<String, Impl> all = new LinkedHashMap<>();
    Map<String, Impl> lenient = new HashMap<>();
    lenient.put("defined", (v, a) -> !(v instanceof Undefined));
    lenient.put("undefined", (v, a) -> v instanceof Undefined);
    all.put("none", (v, a) -> v == null);
    Impl succeeded = (v, a) -> !Py.truth(result(v, "succeeded").getOrDefault("failed", false));
    Impl failed = (v, a) -> Py.truth(result(v, "failed").getOrDefault("failed", false));
    Impl changed = (v, a) -> Py.truth(result(v, "changed").getOrDefault("changed", false));
    Impl skipped = (v, a) -> Py.truth(result(v, "skipped").getOrDefault("skipped", false));
    all.put("succeeded", succeeded);
    all.put("success", succeeded);
    all.put("successful", succeeded);
    all.put("failed", failed);
    all.put("failure", failed);
    all.put("changed", changed);
    all.put("change", changed);
    all.put("skipped", skipped);
    all.put("skip", skipped);
    all.put("finished", (v, a) -> Py.truth(result(v, "finished").getOrDefault("finished", 1)));
    all.put("started", (v, a) -> Py.truth(result(v, "started").getOrDefault("started", 1)));
    for (String kind : List.of("match", "search", "regex", "fullmatch")) {
      all.put(kind, (v, a) -> Regex.test(v, a.get(0, "pattern", ""), a.bool(-1, "ignorecase", false),
          a.bool(-1, "multiline", false), kind.equals("regex") ? a.str(-1, "match_type", "search") : kind));
    }
    Impl version = (v, a) -> Versions.compare(v, a.get(0, "version", ""), a.str(1, "operator", "eq"),
        a.bool(2, "strict", false), a.str(3, "version_type", null));
    all.put("version", version);
    all.put("version_compare", version);
    all.put("string", (v, a) -> v instanceof CharSequence);
    all.put("number", (v, a) -> Py.isNumber(v));
    all.put("integer", (v, a) -> Py.isInteger(v));
    all.put("float", (v, a) -> v instanceof Double || v instanceof Float);
    all.put("boolean", (v, a) -> v instanceof Boolean);
    all.put("mapping", (v, a) -> v instanceof Map);
    all.put("sequence", (v, a) -> v instanceof List || v instanceof Map || v instanceof CharSequence);
    all.put("iterable", (v, a) -> v instanceof Iterable || v instanceof Map || v instanceof CharSequence);
    all.put("callable", (v, a) -> false);
    all.put("true", (v, a) -> Boolean.TRUE.equals(v));
    all.put("false", (v, a) -> Boolean.FALSE.equals(v));
    all.put("in", (v, a) -> contains(a.get(0, "seq", List.of()), v));
    all.put("contains", (v, a) -> contains(v, a.get(0, "value", null)));
    all.put("subset", (v, a) -> Py.iterate(v).stream()
        .allMatch(x -> PyFilters.contains(Py.iterate(a.get(0, "b", List.of())), x)));
    all.put("superset", (v, a) -> Py.iterate(a.get(0, "b", List.of())).stream()
        .allMatch(x -> PyFilters.contains(Py.iterate(v), x)));
    all.put("truthy", (v, a) -> truthy(v, a.bool(0, "convert_bool", false)));
    all.put("falsy", (v, a) -> !truthy(v, a.bool(0, "convert_bool", false)));
    all.put("odd", (v, a) -> Py.bigInteger((Number) v).testBit(0));
    all.put("even", (v, a) -> !Py.bigInteger((Number) v).testBit(0));
    all.put("divisibleby", (v, a) -> Py.bigInteger((Number) v)
        .mod(Py.bigInteger((Number) a.get(0, "num", 1)).abs()).signum() == 0);
    for (String n : List.of("eq", "equalto", "==", "sameas")) {
      all.put(n, (v, a) -> Py.eq(v, a.get(0, "other", null)));
    }
    for (String n : List.of("ne", "!=")) {
      all.put(n, (v, a) -> !Py.eq(v, a.get(0, "other", null)));
    }
    for (String n : List.of("lt", "<", "lessthan")) {
      all.put(n, (v, a) -> Py.compare(v, a.get(0, "other", null)) < 0);
    }
    for (String n : List.of("le", "<=")) {
      all.put(n, (v, a) -> Py.compare(v, a.get(0, "other", null)) <= 0);
    }
    for (String n : List.of("gt", ">", "greaterthan")) {
      all.put(n, (v, a) -> Py.compare(v, a.get(0, "other", null)) > 0);
    }
    for (String n : List.of("ge", ">=")) {
      all.put(n, (v, a) -> Py.compare(v, a.get(0, "other", null)) >= 0);
    }
    all.put("lower", (v, a) -> Py.str(v).equals(Py.str(v).toLowerCase(Locale.ROOT)));
    all.put("upper", (v, a) -> Py.str(v).equals(Py.str(v).toUpperCase(Locale.ROOT)));
    // path tests look at the controller, as Ansible's do
    all.put("abs", (v, a) -> Py.str(v).startsWith("/"));
    all.put("exists", (v, a) -> Files.exists(Path.of(Py.str(v))));
    all.put("file", (v, a) -> Files.isRegularFile(Path.of(Py.str(v))));
    all.put("directory", (v, a) -> Files.isDirectory(Path.of(Py.str(v))));
    all.put("link", (v, a) -> Files.isSymbolicLink(Path.of(Py.str(v))));
    for (Map.Entry<String, Impl> e : all.entrySet()) {
      j.getGlobalContext().registerExpTest(new Test(e.getKey(), e.getValue(), false));
    }
    for (Map.Entry<String, Impl> e : lenient.entrySet()) {
      j.getGlobalContext().registerExpTest(new Test(e.getKey(), e.getValue(), true));
    }
  }

  /** A registered task result; Ansible's message when it is something else. */
  @SuppressWarnings("unchecked")
  private static Map<Object, Object> result(Object v, String test) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("The '" + test + "' test expects a dictionary");
    }
    return (Map<Object, Object>) m;
  }

  /** Python's {@code in}: substring, list item, dict key. */
  static boolean contains(Object container, Object item) {
    if (container instanceof Undefined u) {
      throw u.error();
    }
    if (container instanceof CharSequence s) {
      return s.toString().contains(Py.str(item));
    }
    if (container instanceof Map<?, ?> m) {
      return m.keySet().stream().anyMatch(k -> Py.eq(k, item));
    }
    return PyFilters.contains(Py.iterate(container), item);
  }

  private static boolean truthy(Object v, boolean convertBool) {
    if (convertBool && (v instanceof CharSequence || Py.isNumber(v))) {
      String s = Py.str(v).strip().toLowerCase(Locale.ROOT);
      if (List.of("yes", "on", "1", "true", "1.0").contains(s)) {
        return true;
      }
      if (List.of("no", "off", "0", "false", "0.0").contains(s)) {
        return false;
      }
    }
    return Py.truth(v);
  }
}
