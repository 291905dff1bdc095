package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jplay.modules.testing.LocalTarget;

/** file with state link and hard, and fixed times, for real on this machine. */
class FileLinksTimesTest {
  @TempDir Path tmp;

  @Test
  void symlinkCreatedRetargetedAndRefusedOverAFile() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Files.createDirectories(tmp.resolve("releases/1"));
    Files.createDirectories(tmp.resolve("releases/2"));
    Path current = tmp.resolve("current");
    Map<String, Object> v1 = Map.of("path", current.toString(), "src", "releases/1", "state", "link");

    LocalTarget.Run check = t.run(new FileModule(), v1, true);
    assertTrue(check.changed());
    assertFalse(Files.exists(current, LinkOption.NOFOLLOW_LINKS));

    Outcome made = t.apply(new FileModule(), v1);
    assertTrue(made.changed(), made.msg());
    assertEquals(Path.of("releases/1"), Files.readSymbolicLink(current));
    assertEquals("link", made.data().get("state"));
    assertFalse(t.apply(new FileModule(), v1).changed(), "second run");

    LocalTarget.Run moved = t.run(new FileModule(), Map.of("path", current.toString(), "src", "releases/2",
        "state", "link"), false);
    assertTrue(moved.changed(), moved.outcome().msg());
    assertEquals(Path.of("releases/2"), Files.readSymbolicLink(current), "renamed over, not moved into the old target");
    assertEquals("path: " + current + "\nstate: link\nsrc: releases/1\n", moved.diffBefore());
    assertEquals(java.util.Set.of("1", "2"), names(tmp.resolve("releases")));

    Path file = Files.writeString(tmp.resolve("plain"), "x");
    Outcome refused = t.apply(new FileModule(), Map.of("path", file.toString(), "src", "releases/1", "state", "link"));
    assertEquals("refusing to convert from file to symlink for " + file, refused.msg());
    Outcome missing = t.apply(new FileModule(), Map.of("path", tmp.resolve("l2").toString(), "src", "nowhere",
        "state", "link"));
    assertEquals("src file does not exist, use \"force=yes\" if you really want to create the link: "
        + tmp.resolve("nowhere"), missing.msg());
    Outcome forced = t.apply(new FileModule(), Map.of("path", file.toString(), "src", "nowhere", "state", "link",
        "force", true));
    assertTrue(forced.changed(), forced.msg());
    assertTrue(Files.isSymbolicLink(file));
  }

  private static java.util.Set<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  @Test
  void hardLink() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path a = Files.writeString(tmp.resolve("a"), "data");
    Path b = tmp.resolve("b");
    Map<String, Object> args = Map.of("path", b.toString(), "src", a.toString(), "state", "hard");
    Outcome made = t.apply(new FileModule(), args);
    assertTrue(made.changed(), made.msg());
    assertEquals(Files.getAttribute(a, "unix:ino"), Files.getAttribute(b, "unix:ino"));
    assertEquals("hard", made.data().get("state"));
    assertFalse(t.apply(new FileModule(), args).changed(), "second run");

    Path c = Files.writeString(tmp.resolve("c"), "other");
    Outcome refused = t.apply(new FileModule(), Map.of("path", c.toString(), "src", a.toString(), "state", "hard"));
    assertEquals("Cannot link, file exists at destination", refused.msg());
    Outcome forced = t.apply(new FileModule(), Map.of("path", c.toString(), "src", a.toString(), "state", "hard",
        "force", true));
    assertTrue(forced.changed(), forced.msg());
    assertEquals("data", Files.readString(c));
  }

  @Test
  void fixedTimesAreSetOnceInLocalTime() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path f = Files.writeString(tmp.resolve("stamp"), "");
    Map<String, Object> args = Map.of("path", f.toString(), "state", "touch", "modification_time", "202401021530.45",
        "access_time", "02/03/2023 10:00", "access_time_format", "%d/%m/%Y %H:%M");
    LocalTarget.Run first = t.run(new FileModule(), args, false);
    assertTrue(first.changed(), first.outcome().msg());
    LocalDateTime mtime = LocalDateTime.ofInstant(Files.getLastModifiedTime(f).toInstant(), ZoneId.systemDefault());
    assertEquals(LocalDateTime.of(2024, 1, 2, 15, 30, 45), mtime);
    LocalDateTime atime = LocalDateTime.ofInstant(
        ((java.nio.file.attribute.FileTime) Files.getAttribute(f, "lastAccessTime")).toInstant(), ZoneId.systemDefault());
    assertEquals(LocalDateTime.of(2023, 3, 2, 10, 0), atime);
    assertTrue(first.diffAfter().contains("mtime: 2024-01-02 15:30:45\n"), first.diffAfter());

    assertFalse(t.apply(new FileModule(), args).changed(), "same times: nothing to do");
    assertFalse(t.apply(new FileModule(), Map.of("path", f.toString(), "modification_time", "202401021530.45"))
        .changed());

    Outcome bad = t.apply(new FileModule(), Map.of("path", f.toString(), "modification_time", "yesterday"));
    assertTrue(bad.failed());
    assertTrue(bad.msg().startsWith("Error while obtaining timestamp for time yesterday using format %Y%m%d%H%M.%S"),
        bad.msg());
  }
}
