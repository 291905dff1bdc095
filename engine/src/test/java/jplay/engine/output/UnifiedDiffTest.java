package jplay.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every case in {@code output/diffs.json} holds Ansible's own rendering of a diff (its callback's {@code
 * _get_diff}, colour off), produced by {@code output/gen_diff.py}.
 */
class UnifiedDiffTest {
  static Stream<Arguments> cases() throws IOException {
    try (InputStream in = UnifiedDiffTest.class.getResourceAsStream("/output/diffs.json")) {
      Map<String, Object> all = MiniJson.object(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return all.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersAsAnsible(String name, Map<String, Object> c) {
    String before = c.get("before_header") == null ? "before" : "before: " + c.get("before_header");
    String after = c.get("after_header") == null ? "after" : "after: " + c.get("after_header");
    List<UnifiedDiff.Line> lines =
        UnifiedDiff.diff(before, (String) c.get("before"), after, (String) c.get("after"), 3);
    StringBuilder sb = new StringBuilder();
    for (UnifiedDiff.Line l : lines) {
      sb.append(l.text()).append('\n');
    }
    sb.append('\n');
    assertEquals(c.get("expected"), sb.toString());
  }

  @Test
  void equalTextsHaveNoDiff() {
    assertTrue(UnifiedDiff.diff("a", "x\ny\n", "b", "x\ny\n", 3).isEmpty());
    assertTrue(UnifiedDiff.diff("a", "", "b", "", 3).isEmpty());
  }

  @Test
  void linesAreClassifiedForColours() {
    List<UnifiedDiff.Line> lines = UnifiedDiff.diff("before", "a\nb", "after", "a\nc\n", 3);
    assertEquals(
        List.of(
            new UnifiedDiff.Line(UnifiedDiff.Kind.HEADER_BEFORE, "--- before"),
            new UnifiedDiff.Line(UnifiedDiff.Kind.HEADER_AFTER, "+++ after"),
            new UnifiedDiff.Line(UnifiedDiff.Kind.HUNK, "@@ -1,2 +1,2 @@"),
            new UnifiedDiff.Line(UnifiedDiff.Kind.CONTEXT, " a"),
            new UnifiedDiff.Line(UnifiedDiff.Kind.REMOVED, "-b"),
            new UnifiedDiff.Line(UnifiedDiff.Kind.NO_NEWLINE_REMOVED, "\\ No newline at end of file"),
            new UnifiedDiff.Line(UnifiedDiff.Kind.ADDED, "+c")),
        lines);
  }

  @Test
  void contextWidthIsHonoured() {
    String a = "1\n2\n3\n4\n5\n";
    String b = "1\n2\nthree\n4\n5\n";
    List<String> texts = UnifiedDiff.diff("a", a, "b", b, 1).stream().map(UnifiedDiff.Line::text).toList();
    assertEquals(List.of("--- a", "+++ b", "@@ -2,3 +2,3 @@", " 2", "-3", "+three", " 4"), texts);
  }
}
