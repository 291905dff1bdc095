package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jplay.engine.api.Module;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import jplay.modules.testing.LocalTarget;

/**
 * lineinfile, blockinfile and replace against Ansible itself: every case of {@code oracle/text-edits.yml} (made by
 * running Ansible 2.14's modules, see {@code src/test/oracle/text_edits.py}) runs here for real on a temp file,
 * twice; the file, changed and msg must be Ansible's after each run.
 */
class TextEditsOracleTest {
  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  static Stream<Arguments> cases() throws IOException {
    try (InputStream in = TextEditsOracleTest.class.getResourceAsStream("/oracle/text-edits.yml")) {
      List<Object> all = (List<Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
      List<Arguments> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        Map<String, Object> c = (Map<String, Object>) all.get(i);
        out.add(Arguments.of(i + " " + c.get("module") + " " + c.get("args"), c));
      }
      return out.stream();
    }
  }

  private static Module module(String name) {
    return switch (name) {
      case "lineinfile" -> new LineInFile();
      case "blockinfile" -> new BlockInFile();
      case "replace" -> new ReplaceModule();
      default -> throw new AssertionError(name);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void sameAsAnsible(String name, Map<String, Object> c) throws IOException {
    Path file = tmp.resolve("f");
    Files.write(file, ((String) c.get("before")).getBytes(StandardCharsets.UTF_8));
    Map<String, Object> args = new LinkedHashMap<>((Map<String, Object>) c.get("args"));
    args.put("path", file.toString());
    LocalTarget target = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Module m = module((String) c.get("module"));

    Outcome first = target.apply(m, args);
    assertFalse(first.failed(), first.msg());
    assertEquals(c.get("after"), Files.readString(file), "file after the first run");
    assertEquals(c.get("changed"), first.changed(), "changed");
    assertEquals(c.get("msg"), first.msg(), "msg");

    Outcome again = target.apply(m, args);
    assertFalse(again.failed(), again.msg());
    assertEquals(c.get("changed_again"), again.changed(), "changed on the second run");
    assertEquals(c.getOrDefault("after_again", c.get("after")), Files.readString(file), "file after the second run");
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(file), s.toList(), "no temp file left behind");
    }
  }
}
