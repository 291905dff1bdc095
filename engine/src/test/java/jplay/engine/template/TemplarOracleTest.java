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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> expected(Map<String, Object> c) {
    Map<String, Object> native_ = (Map<String, Object>) c.get("native");
    Object type = c.get("type");
    if (type != null && !STRING_TYPES.contains(type) && native_.containsKey("value")) {
      return native_;
    }
    return (Map<String, Object>) c.get("default");
  }

  @Test
  void theTableIsLargeAndCoversErrors() throws IOException {
    List<Map<String, Object>> all = cases();
    assertTrue(all.size() >= 150, "only " + all.size() + " cases");
    assertTrue(all.stream().filter(c -> expected(c).containsKey("error")).count() >= 5);
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
      tests.add(DynamicTest.dynamicTest(template, () -> {
        if (expected.containsKey("error")) {
          assertThrows(TemplateException.class, () -> templar.render(template, vars, context),
              "Ansible failed with: " + expected.get("error"));
        } else {
          Object actual = templar.render(template, vars, context);
          assertEquals(Json.write(expected.get("value")), Json.write(actual));
        }
      }));
    }
    return tests;
  }
}
