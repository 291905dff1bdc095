package jplay.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFilesTest {
  @TempDir Path dir;

  @Test
  void aNewFileGetsTheGivenModeAnOldOneKeepsItsOwnAndNoTempFileIsLeft() throws IOException {
    Path f = dir.resolve("a.txt");
    LocalFiles.replace(f, "one".getBytes(), PosixFilePermissions.fromString("rw-r-----"));
    assertEquals("one", Files.readString(f));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
    LocalFiles.replace(f, "two".getBytes(), PosixFilePermissions.fromString("rw-------"));
    assertEquals("two", Files.readString(f));
    assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    try (var list = Files.list(dir)) {
      assertEquals(List.of(f), list.toList());
    }
  }

  @Test
  void aMissingFolderFailsAndWritesNothing() {
    Path f = dir.resolve("no/such/a.txt");
    assertThrows(IOException.class, () -> LocalFiles.replace(f, "x".getBytes(), PosixFilePermissions.fromString("rw-------")));
    assertTrue(Files.notExists(dir.resolve("no")));
  }
}
