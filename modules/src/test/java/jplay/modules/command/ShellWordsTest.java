package jplay.modules.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Words as Python's shlex splits them, and the other Python renderings command returns. */
class ShellWordsTest {
  @SuppressWarnings("unchecked")
  private static Stream<List<?>> table(String key) throws SourceException, URISyntaxException {
    Path file = Path.of(ShellWordsTest.class.getResource("/shlex.yml").toURI());
    Map<String, Object> all = (Map<String, Object>) YamlLoader.load(file).orElseThrow().toPlain();
    return ((List<Object>) all.get(key)).stream().map(r -> (List<?>) r);
  }

  static Stream<List<?>> splits() throws SourceException, URISyntaxException {
    return table("split");
  }

  static Stream<List<?>> errors() throws SourceException, URISyntaxException {
    return table("errors");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splits")
  void splitsAsShlex(List<?> row) {
    assertEquals(row.get(1), ShellWords.split((String) row.get(0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void refusesAsShlex(List<?> row) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split((String) row.get(0)));
    assertEquals(row.get(1), e.getMessage());
  }

  @Test
  void linesSplitAsPythonSplitlines() {
    assertEquals(List.of("a", "b", "", "c"), CommandRun.lines("a\r\nb\n\rc\n"));
    assertEquals(List.of("x", "y"), CommandRun.lines("x\u2028y"));
    assertEquals(List.of(), CommandRun.lines(""));
  }

  @Test
  void deltaAndTimestampAsPythonStr() {
    assertEquals("0:00:00.003456", CommandRun.delta(Duration.ofNanos(3_456_000)));
    assertEquals("0:00:00", CommandRun.delta(Duration.ZERO));
    assertEquals("2 days, 1:02:03", CommandRun.delta(Duration.ofSeconds(2 * 86400 + 3723)));
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      assertEquals("2024-01-01 12:00:00.000100", CommandRun.timestamp(Instant.parse("2024-01-01T12:00:00.0001Z")));
      assertEquals("2024-01-01 12:00:00", CommandRun.timestamp(Instant.parse("2024-01-01T12:00:00Z")));
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void globWordLeavesOnlyGlobCharactersUnquoted() {
    assertEquals("'/my dir/'*.o", CommandRun.globWord("/my dir/*.o"));
    assertEquals("/etc/x", CommandRun.globWord("/etc/x"));
    assertEquals("/var/log/app[0-9].log", CommandRun.globWord("/var/log/app[0-9].log"));
    assertEquals("'/a/[$(x)]'", CommandRun.globWord("/a/[$(x)]"));
  }
}
