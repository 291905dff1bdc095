package jplay.engine.api;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files on the controller (vault files, fetched copies, reports), written so that no reader sees half of one. */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * Replaces or creates {@code file} with {@code data}: written to a private temp file in the same folder, given
   * the old file's mode ({@code newMode} for a new file), and renamed over it. The folder must exist. A symbolic
   * link at {@code file} is itself replaced (the new file takes the mode of what it pointed to); resolve it first
   * to write through it. The temp file never outlives
   * the call.
   */
  public static void replace(Path file, byte[] data, Set<PosixFilePermission> newMode) throws IOException {
    Path target = file.toAbsolutePath().normalize();
    Set<PosixFilePermission> mode = Files.exists(target) ? Files.getPosixFilePermissions(target) : newMode;
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".jplay-tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(tmp, data);
      Files.setPosixFilePermissions(tmp, mode);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
