package jplay.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error messages, whitespace options, lookups and conditions; expected texts from Ansible 2.14 where noted. */
class TemplarTest {
  private final Templar templar = new Templar();
  private final Map<String, Object> vars = new LinkedHashMap<>(Map.of(
      "x", 1, "d", Map.of("b", Map.of("c", 2)), "users", List.of(Map.of("name", "a")), "flag", "False",
      "omit", "__omit_place_holder__x"));

  private String error(String template) {
    return assertThrows(TemplateException.class, () -> templar.render(template, vars)).getMessage();
  }

  @Test
  void plainVariableReferencesTakeTheFastPathAndRenderAsJinjaDoes() throws Exception {
    Map<String, Object> v = new LinkedHashMap<>(Map.of("root", "/srv", "name", "web 1", "list", "[1, 2]",
        "yes", "True", "n", 3, "nested", "{{ root }}/x", "none", "v"));
    // Taken: names whose values are plain strings; the result is what Jinjava gives for the same text.
    assertEquals("/srv/web 1/a", Templar.substituted("{{ root }}/{{name}}/a", v));
    assertEquals("/srv/web 1/a", templar.render("{{ root }}/{{name}}/a", v));
    assertEquals(List.of(1, 2), templar.render("{{ list }}", v), "a list-looking result becomes a list, as in Ansible");
    assertEquals(true, templar.render("{{ yes }}", v));
    // Not taken (Jinjava renders them): other types, templates in the value, filters, literals, undefined names,
    // statements, whitespace control.
    for (String t : List.of("{{ n }}", "{{ nested }}", "{{ root | upper }}", "{{ none }}", "{{ nope }}",
        "{% if true %}{{ root }}{% endif %}", "{{- root }}", "{{ root }", "{{ d.b }}")) {
      assertEquals(null, Templar.substituted(t, v), t);
    }
    assertEquals(3, templar.render("{{ n }}", v));
    // A run's lazily templated variable: rendered once, then taken as its string.
    java.util.concurrent.atomic.AtomicInteger renders = new java.util.concurrent.atomic.AtomicInteger();
    v.put("dir", com.hubspot.jinjava.interpret.LazyExpression.of(() -> {
      renders.incrementAndGet();
      return "/srv/h1";
    }, "{{ root }}/h1"));
    v.put("items", com.hubspot.jinjava.interpret.LazyExpression.of(() -> List.of(1), "{{ [1] }}"));
    v.put("broken", com.hubspot.jinjava.interpret.LazyExpression.of(() -> {
      throw new IllegalStateException("broken");
    }, "{{ nope }}"));
    assertEquals("/srv/h1/etc", Templar.substituted("{{ dir }}/etc", v));
    assertEquals("/srv/h1/etc/a", templar.render("{{ dir }}/etc/a", v));
    assertEquals(1, renders.get());
    assertEquals(null, Templar.substituted("{{ items }}/a", v), "not a string: Jinjava renders it");
    assertEquals(null, Templar.substituted("{{ broken }}/a", v), "an error: Jinjava reports it");
    assertEquals("/SRV", templar.render("{{ root | upper }}", v));
  }

  @Test
  void undefinedVariableNamesItAndTheExpression() {
    assertEquals("'nope' is undefined in '{{ nope + 1 }}'", error("{{ nope + 1 }}"));
    assertEquals("'nope' is undefined in 'a {{ nope }} b'", error("a {{ nope }} b"));
  }

  @Test
  void missingAttributeNamesThePathThatLacksIt() {
    assertEquals("'d.b' has no attribute 'zz' in '{{ d.b.zz }}'", error("{{ d.b.zz }}"));
    assertEquals("'d' has no attribute 'q' in '{{ d['q'].r }}'", error("{{ d['q'].r }}"));
    assertEquals("'users[0]' has no attribute 'uid' in '{{ users[0].uid }}'", error("{{ users[0].uid }}"));
  }

  @Test
  void undefinedIsNeverAnEmptyString() {
    assertTrue(error("{{ nope | upper }}").contains("'nope' is undefined"));
    assertTrue(error("{% if nope %}x{% endif %}").contains("'nope' is undefined"));
    assertTrue(error("{{ 'a' ~ nope }}").contains("'nope' is undefined"));
    assertTrue(error("{% for i in nope %}{{ i }}{% endfor %}").contains("'nope' is undefined"));
  }

  @Test
  void strictModeStillAllowsDefaultDefinedOmitAndMandatory() throws TemplateException {
    assertEquals(5, templar.render("{{ nope.a.b | default(5) }}", vars));
    assertEquals(false, templar.render("{{ d.b.zz is defined }}", vars));
    assertEquals("__omit_place_holder__x", templar.render("{{ nope | default(omit) }}", vars));
    assertEquals(1, templar.render("{{ x | mandatory }}", vars));
    // Ansible 2.14: "Mandatory variable 'x'  not defined." (its double space is not copied)
    assertTrue(error("{{ nope | mandatory }}").contains("Mandatory variable 'nope' not defined."));
    assertTrue(error("{{ nope | mandatory('set nope in group_vars') }}").contains("set nope in group_vars"));
  }

  @Test
  void syntaxErrorsGiveLineAndColumnInsideTheTemplate() {
    TemplateException e = assertThrows(TemplateException.class, () -> templar.render("a\nb {{ x +* 2 }}", vars));
    assertEquals(2, e.line());
    assertEquals(8, e.column()); // where "+*" starts
    assertTrue(e.getMessage().startsWith("template error in 'a\\nb {{ x +* 2 }}' at line 2, column 8: "),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void unknownFiltersAndTestsAreErrors() {
    assertEquals("template error in '{{ x | nosuch }}': no filter named 'nosuch'", error("{{ x | nosuch }}"));
    assertEquals("template error in '{{ x is nosuch }}': no test named 'nosuch'", error("{{ x is nosuch }}"));
  }

  @Test
  void filterErrorsCarryPythonsMessageWithoutJavaClassNames() {
    String m = error("{{ 'a' is version('1', 'lt') }}");
    assertTrue(m.endsWith("Version comparison failed: '<' not supported between instances of 'str' and 'int'"), m);
    assertFalse(m.contains("java.lang"), m);
  }

  private static final String WS =
      "start\n  {% if x %}\n  yes {{ x }}\n  {% endif %}\n{% for i in [1,2] %}\n- {{ i }}\n{% endfor %}\nend\n";

  @Test
  void renderTextHasTheTemplateModulesWhitespaceOptions() throws TemplateException {
    // ansible -m template -a "src=ws.j2 dest=out [lstrip_blocks=true|trim_blocks=false]" -e x=1
    assertEquals("start\n    yes 1\n  - 1\n- 2\nend\n", templar.renderText(WS, vars));
    assertEquals("start\n  yes 1\n- 1\n- 2\nend\n",
        templar.renderText(WS, vars, TemplateContext.CURRENT_DIRECTORY, new Templar.TextOptions(true, true)));
    assertEquals("start\n  \n  yes 1\n  \n\n- 1\n\n- 2\n\nend\n",
        templar.renderText(WS, vars, TemplateContext.CURRENT_DIRECTORY, Templar.TextOptions.JINJA2));
  }

  @Test
  void lookupsResolveAgainstTheContextsDirectories(@TempDir Path dir) throws IOException, TemplateException {
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/motd"), "from files/\n");
    Files.writeString(dir.resolve("plain"), "beside\n");
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("templates/t.j2"), "x={{ x }}\n");
    TemplateContext ctx = TemplateContext.of(dir);
    assertEquals("from files/", templar.render("{{ lookup('file', 'motd') }}", vars, ctx));
    assertEquals("beside", templar.render("{{ lookup('file', 'plain') }}", vars, ctx));
    assertEquals("x=1\n", templar.render("{{ lookup('template', 't.j2') }}", vars, ctx));
    assertEquals(dir.toRealPath().toString(), templar.render("{{ lookup('pipe', 'pwd -P') }}", vars, ctx));
    assertEquals(List.of("beside", "from files/"), templar.render("{{ query('file', 'plain', 'motd') }}", vars, ctx));
    assertEquals(System.getenv("PATH"), templar.render("{{ lookup('env', 'PATH') }}", vars, ctx));
    TemplateException e = assertThrows(TemplateException.class,
        () -> templar.render("{{ lookup('file', 'missing') }}", vars, ctx));
    assertTrue(e.getMessage().contains("could not locate file in lookup: missing"), e.getMessage());
    e = assertThrows(TemplateException.class, () -> templar.render("{{ lookup('pipe', 'exit 3') }}", vars, ctx));
    assertTrue(e.getMessage().contains("lookup_plugin.pipe(exit 3) returned 3"), e.getMessage());
  }

  @Test
  void conditionsFollowAnsible() throws TemplateException {
    assertTrue(templar.condition("x == 1 and d.b.c > 1", vars));
    assertTrue(templar.condition(List.of("x is defined", true), vars));
    assertFalse(templar.condition("nope is defined", vars));
    // when: "{{ flag }}" renders "False", which Ansible then evaluates: false
    assertFalse(templar.condition("{{ flag }}", vars));
    // when: flag is the non-empty string "False": true in Python, and so in Ansible
    assertTrue(templar.condition("flag", vars));
    TemplateException e = assertThrows(TemplateException.class, () -> templar.condition("nope", vars));
    assertEquals("'nope' is undefined in 'nope'", e.getMessage());
  }

  @Test
  void renderWalksMapsAndListsAndLeavesPlainStrings() throws TemplateException {
    Object out = templar.render(Map.of("a", List.of("{{ x + 1 }}", "plain {x}", 7)), vars);
    assertEquals(Map.of("a", List.of(2, "plain {x}", 7)), out);
  }

  @Test
  void evaluateGivesNativeValues() throws TemplateException {
    assertEquals(List.of(1, 2), templar.evaluate("[x, d.b.c]", vars));
    assertEquals("v1", templar.evaluate("'v' ~ x", vars));
  }
}
