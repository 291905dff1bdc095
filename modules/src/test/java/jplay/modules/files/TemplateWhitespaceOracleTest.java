package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * trim_blocks and lstrip_blocks against Ansible's template module: every case of {@code oracle/templates.yml}
 * (see {@code src/test/oracle/templates.py}) rendered through {@link JinjaWhitespace} and the engine's renderer.
 */
class TemplateWhitespaceOracleTest {
  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() throws IOException {
    try (InputStream in = TemplateWhitespaceOracleTest.class.getResourceAsStream("/oracle/templates.yml")) {
      List<Object> all = (List<Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
      List<Arguments> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        Map<String, Object> c = (Map<String, Object>) all.get(i);
        out.add(Arguments.of(i + " " + c.get("options"), c));
      }
      return out.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void sameAsAnsible(String name, Map<String, Object> c) {
    Map<String, Object> o = (Map<String, Object>) c.get("options");
    Templar templar = new Templar();
    String rendered = JinjaWhitespace.render((String) c.get("template"),
        (Boolean) o.getOrDefault("trim_blocks", true), (Boolean) o.getOrDefault("lstrip_blocks", false),
        text -> {
          try {
            return templar.renderText(text, Map.of("x", "X", "items", List.of("a", "b")),
                jplay.engine.template.TemplateContext.CURRENT_DIRECTORY, Templar.TextOptions.JINJA2);
          } catch (TemplateException e) {
            throw new AssertionError(e.getMessage(), e);
          }
        });
    assertEquals(c.get("rendered"), rendered, "template:\n" + c.get("template"));
  }
}
