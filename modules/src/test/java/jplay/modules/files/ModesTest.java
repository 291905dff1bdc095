package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import jplay.engine.api.ModuleException;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModesTest {
  static Stream<List<?>> ansibleCases() throws SourceException, URISyntaxException {
    Path table = Path.of(ModesTest.class.getResource("/modes.yml").toURI());
    List<?> rows = (List<?>) YamlLoader.load(table).orElseThrow().toPlain();
    return rows.stream().map(r -> (List<?>) r);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ansibleCases")
  void matchesAnsible(List<?> row) {
    int current = Integer.parseInt((String) row.get(1), 8);
    int want = Integer.parseInt((String) row.get(3), 8);
    int got = Modes.resolve((String) row.get(0), current, (Boolean) row.get(2), 0022);
    assertEquals(Integer.toOctalString(want), Integer.toOctalString(got), row.toString());
  }

  @Test
  void badSymbolicModeNamesTheClause() {
    ModuleException e = assertThrows(ModuleException.class, () -> Modes.resolve("u+x,q+r", 0644, false, 022));
    assertEquals("bad symbolic permission for mode: q+r", e.getMessage());
  }

  @Test
  void formatIsAnsibles() {
    assertEquals("0644", Modes.format(0644));
    assertEquals("04755", Modes.format(04755));
    assertEquals("0000", Modes.format(0));
  }
}
