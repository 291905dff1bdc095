package jplay.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.output.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every template of {@code src/test/resources/template/cases.txt}, rendered with the variables of {@code vars.yml},
 * against what Ansible 2.14 rendered for it ({@code expected.json}, written by {@code capture.py} there).
 *
 * <p>Ansible's default mode renders to a string and turns strings that look like lists, dicts or booleans back
 * into them; its {@code jinja2_native} mode keeps the value of a template that is one expression. jplay keeps that
 * native value when it is not a string (so {@code "{{ x + 1 }}"} is the number 4, as with jinja2_native and in
 * ansible-core 2.19), and otherwise does what the default mode does (so {@code "{{ '1.10' }}"} stays a string,
 * where jinja2_native would make it the float 1.1). Hence the expected value is the native one when Ansible
 * reported a non-string type for the expression, and the default one otherwise.
 */
class TemplarOracleTest {
  private static final Set<String> STRING_TYPES =
      Set.of("str", "AnsibleUnicode", "AnsibleUnsafeText", "NativeJinjaText", "NativeJinjaUnsafeText");

  static Path dir() {
    try {
      return Path.of(TemplarOracleTest.class.getResource("/template/cases.txt").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> vars() throws IOException {
    return (Map<String, Object>) load(dir().resolve("vars.yml"));
  }

  private static Object load(Path file) throws IOException {
    return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases() throws IOException {
    return (List<Map<String, Object>>) load(dir().resolve("expected.json"));
  }

  /**
   * Where jplay knowingly differs from Ansible: Jinjava's expression language has no operator overloading for
   * strings, no chained comparisons, no slice steps, no loop filters or for-else, and its {@code and}/{@code or}
   * give booleans. Each is pinned here to what jplay does, so that a change shows up; README lists them.
   */
  static final Map<String, String> KNOWN_DIFFERENCES = Map.ofEntries(
      Map.entry("{{ 'ab' * 3 }}", "error: Cannot coerce 'ab' of class java.lang.String to class java.lang.Long"),
      Map.entry("{{ '%s-%d' % ('a', 3) }}", "error: Cannot coerce '%s-%d' of class java.lang.String"),
      Map.entry("{{ 'a' ~ 1 ~ none }}", "\"a1\""),
      Map.entry("{{ 'a' ~ t }}", "\"atrue\""),
      Map.entry("{{ 1 < 2 < 3 }}", "error: syntax error at position 8, encountered '<'"),
      Map.entry("{{ t and x }}", "true"),
      Map.entry("{{ l[::2] }}", "error: syntax error at position 5, encountered ':'"),
      Map.entry("{{ l[::-1] }}", "error: syntax error at position 5, encountered ':'"),
      Map.entry("{% for u in users if u.admin is defined %}{{ u.name }}{% endfor %}", "\"\""),
      Map.entry("{% for i in el %}x{% else %}empty{% endfor %}", "\"\""));

  @SuppressWarnings("unchecked")
  private static Map<String, Object> expected(Map<String, Object> c) {
    Map<String, Object> native_ = (Map<String, Object>) c.get("native");
    Object type = c.get("type");
    if (type != null && !STRING_TYPES.contains(type) && native_.containsKey("value")) {
      return native_;
    }
    return (Map<String, Object>) c.get("default");
  }

  private static Object sorted(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.TreeMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), sorted(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(TemplarOracleTest::sorted).toList();
    }
    return v;
  }

  @Test
  void theTableIsLargeAndCoversErrors() throws IOException {
    List<Map<String, Object>> all = cases();
    assertTrue(all.size() >= 150, "only " + all.size() + " cases");
    assertTrue(all.stream().filter(c -> expected(c).containsKey("error")).count() >= 5);
    List<String> templates = all.stream().map(c -> (String) c.get("template")).toList();
    for (String known : KNOWN_DIFFERENCES.keySet()) {
      assertTrue(templates.contains(known), "not in the table: " + known);
    }
  }

  @TestFactory
  List<DynamicTest> rendersAsAnsible() throws IOException {
    Templar templar = new Templar();
    Map<String, Object> vars = vars();
    TemplateContext context = TemplateContext.of(dir());
    List<DynamicTest> tests = new ArrayList<>();
    for (Map<String, Object> c : cases()) {
      String template = (String) c.get("template");
      Map<String, Object> expected = expected(c);
      String known = KNOWN_DIFFERENCES.get(template);
      tests.add(DynamicTest.dynamicTest(template, () -> {
        if (known != null && known.startsWith("error: ")) {
          TemplateException e = assertThrows(TemplateException.class, () -> templar.render(template, vars, context));
          assertTrue(e.getMessage().contains(known.substring("error: ".length())), e.getMessage());
        } else if (known != null) {
          assertEquals(known, Json.write(templar.render(template, vars, context)));
        } else if (expected.containsKey("error")) {
          assertThrows(TemplateException.class, () -> templar.render(template, vars, context),
              "Ansible failed with: " + expected.get("error"));
        } else {
          Object actual = templar.render(template, vars, context);
          // Ansible's JSON callback sorts keys, so the order of a dict is not in the table
          assertEquals(Json.write(sorted(expected.get("value"))), Json.write(sorted(actual)));
        }
      }));
    }
    return tests;
  }
}
