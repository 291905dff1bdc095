package jplay.engine.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import jplay.engine.yaml.SourceException;

/** Paths to the fixtures under src/test/resources/inventory, and loading them. */
final class Fixtures {
  private Fixtures() {}

  static Path path(String relative) {
    URL url = Fixtures.class.getResource("/inventory/" + relative);
    if (url == null) {
      throw new IllegalArgumentException("no test resource inventory/" + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Inventory load(String... sources) throws SourceException {
    return Inventory.load(Arrays.stream(sources).map(s -> s.contains(",") ? s : path(s).toString()).toList(), null);
  }

  /** An inventory from text written to a temp file named {@code name}. */
  static Inventory inline(Path dir, String name, String text) throws SourceException {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return Inventory.load(List.of(file.toString()), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
