package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files for what users read (help, doc pages): the test compares the text with a file under
 * {@code src/test/resources}; run with {@code -Djplay.golden.refresh=true} to rewrite the files from the current
 * output, then review the diff in git.
 */
public final class Golden {
  /** The system property that rewrites golden files instead of comparing with them. */
  public static final String REFRESH = "jplay.golden.refresh";

  private Golden() {}

  public static boolean refreshing() {
    return Boolean.getBoolean(REFRESH);
  }

  /**
   * Asserts that {@code actual} equals the golden file {@code src/test/resources/<name>} of the module the test
   * runs in (Maven runs tests from the module's folder), or rewrites it when refreshing.
   */
  public static void check(String name, String actual) {
    check(Path.of("src", "test", "resources").resolve(name), actual);
  }

  /** As {@link #check(String, String)} with any file (generated docs pages outside the test resources). */
  public static void check(Path file, String actual) {
    try {
      if (refreshing()) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError(file + " is missing; create it with -D" + REFRESH + "=true");
      }
      assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
          file + " is stale; refresh with -D" + REFRESH + "=true and review the diff");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
