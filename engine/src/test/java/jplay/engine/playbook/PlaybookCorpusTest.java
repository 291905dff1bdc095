package jplay.engine.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden-file corpus: every {@code bad/*.yml} must fail with exactly the error lines in its {@code .expected}
 * sibling, every {@code good/*.yml} must parse into exactly the model dumped in its {@code .expected}. Run with
 * {@code -Djplay.refreshGolden=true} to rewrite the files after an intended change (then review the diff).
 */
final class PlaybookCorpusTest {
  private static final boolean REFRESH = Boolean.getBoolean("jplay.refreshGolden");
  private static final Path SOURCE_DIR = Path.of("src/test/resources/playbook");

  private final PlaybookParser parser = new PlaybookParser(FakeModules.registry());

  static Stream<Path> bad() throws IOException, URISyntaxException {
    return playbooks("bad", 25);
  }

  static Stream<Path> good() throws IOException, URISyntaxException {
    return playbooks("good", 5);
  }

  private static Stream<Path> playbooks(String dir, int atLeast) throws IOException, URISyntaxException {
    Path root = Path.of(PlaybookCorpusTest.class.getResource("/playbook/" + dir).toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(root)) {
      files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertTrue(files.size() >= atLeast, "expected at least " + atLeast + " playbooks in " + root);
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void badPlaybookFailsWithExactErrors(Path file) throws IOException {
    SourceException e = assertThrows(SourceException.class, () -> parser.parse(file));
    List<String> actual = new ArrayList<>();
    for (SourceError error : e.errors()) {
      assertEquals(file.toString(), error.mark().file(), "errors name the file as it was given");
      actual.add(relative(error.mark(), file) + ": " + error.message());
    }
    compare(file, String.join("\n", actual) + "\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void goodPlaybookParsesToExpectedModel(Path file) throws Exception {
    Playbook pb = parser.parse(file);
    assertEquals(file, pb.file());
    compare(file, dump(pb, file));
  }

  private static String relative(Mark mark, Path file) {
    String name = file.getFileName().toString();
    return mark.line() <= 0 ? name : name + ":" + mark.line() + ":" + mark.column();
  }

  private static void compare(Path file, String actual) throws IOException {
    String expectedName = file.getFileName().toString().replaceFirst("\\.yml$", ".expected");
    Path expected = file.resolveSibling(expectedName);
    if (REFRESH) {
      Path source = SOURCE_DIR.resolve(file.getParent().getFileName()).resolve(expectedName);
      Files.writeString(source, actual, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.exists(expected), "missing " + expected + "; actual:\n" + actual);
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual, file.getFileName().toString());
  }

  /** The model as stable text: types are visible ('0644' is a string, 420 an integer). */
  static String dump(Playbook pb, Path file) {
    StringBuilder out = new StringBuilder();
    for (Play p : pb.plays()) {
      out.append("play ").append(show(p.name())).append(" hosts=").append(show(p.hosts())).append(" @")
          .append(relative(p.mark(), file)).append('\n');
      if (!p.vars().isEmpty()) {
        out.append("  vars ").append(show(p.vars())).append('\n');
      }
      if (!p.keywords().isEmpty()) {
        out.append("  keywords ").append(show(p.keywords())).append('\n');
      }
      for (Task t : p.tasks()) {
        out.append("  task ").append(show(t.name())).append(" module=").append(t.module()).append(" @")
            .append(relative(t.mark(), file)).append('\n');
        out.append("    args ").append(show(t.args())).append('\n');
        StringBuilder marks = new StringBuilder();
        for (Map.Entry<String, Object> a : t.args().entrySet()) {
          Mark m = t.argMarks().get(a.getKey());
          marks.append(marks.length() == 0 ? "" : " ").append(a.getKey()).append('@')
              .append(m.line()).append(':').append(m.column());
        }
        if (marks.length() > 0) {
          out.append("    marks ").append(marks).append('\n');
        }
        if (!t.keywords().isEmpty()) {
          out.append("    keywords ").append(show(t.keywords())).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("'", "\\'") + "'";
    }
    if (v instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, x) -> parts.add(k + ": " + show(x)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (v instanceof List<?> l) {
      return "[" + String.join(", ", l.stream().map(PlaybookCorpusTest::show).toList()) + "]";
    }
    return v + ":" + v.getClass().getSimpleName();
  }
}
