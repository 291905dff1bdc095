package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.playbook.KvArgs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The specs that drive {@code jplay doc} and validation: every module has a summary, a description and examples,
 * every parameter a description, Ansible's fully-qualified name as an alias, and every example binds to the spec.
 */
class SpecsTest {
  static Stream<Module> modules() {
    return Stream.of(new FileModule(), new CopyModule(), new TemplateModule(), new LineInFile(), new BlockInFile(),
        new ReplaceModule(), new StatModule(), new GetUrl(), new Slurp());
  }

  @ParameterizedTest
  @MethodSource("modules")
  void documentedAndExamplesBind(Module m) {
    ModuleSpec spec = m.spec();
    assertTrue(spec.aliases().contains("ansible.builtin." + spec.name()), spec.name());
    assertFalse(spec.summary().isBlank(), spec.name() + " summary");
    assertFalse(spec.description().isBlank(), spec.name() + " description");
    for (Param p : spec.params()) {
      assertFalse(p.description().isBlank(), spec.name() + "." + p.name() + " has no description");
    }
    Object examples = new Load(LoadSettings.builder().build()).loadFromString(spec.examples());
    List<Map<?, ?>> tasks = new ArrayList<>();
    for (Object t : (List<?>) examples) {
      tasks.add((Map<?, ?>) t);
    }
    int bound = 0;
    for (Map<?, ?> task : tasks) {
      Object args = task.get(spec.name());
      if (!task.containsKey(spec.name())) {
        continue;
      }
      Map<String, Object> raw = args instanceof String s ? kv(s) : castMap(args);
      try {
        Args.bind(spec, raw, true);
      } catch (ArgsException e) {
        fail(spec.name() + " example " + raw + ": " + e.getMessage());
      }
      bound++;
    }
    assertTrue(bound >= 1, spec.name() + " has no example of itself");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> kv(String s) {
    try {
      return new java.util.LinkedHashMap<>(KvArgs.parse(s, null).options());
    } catch (RuntimeException e) {
      throw new AssertionError("cannot parse k=v example '" + s + "': " + e.getMessage(), e);
    }
  }

  @ParameterizedTest
  @MethodSource("modules")
  void registeredUnderBothNames(Module m) {
    var registry = jplay.engine.playbook.ModuleRegistry.discover();
    assertEquals(m.getClass(), registry.find(m.spec().name()).orElseThrow().getClass());
    assertEquals(m.getClass(), registry.find("ansible.builtin." + m.spec().name()).orElseThrow().getClass());
  }
}
