package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only file system under the file-writing modules (copy, template, lineinfile,
 * blockinfile, replace, sysctl, yum_repository): each must fail with the OS error and leave the original file
 * intact, with its mode, and no temp file behind. A 64 KiB tmpfs, and a read-only bind mount; both need root.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DiskFaultsRealTest {
  @TempDir Path work;

  private static void sh(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
  }

  private void check(Path dir, String error) throws IOException {
    Path orig = dir.resolve("orig");
    Path big = work.resolve("big.txt");
    Files.writeString(big, "q".repeat(100_000));
    Path site = work.resolve("site.yml");
    String value = "\"{{ lookup('file', '" + big + "') }}\"";
    Files.writeString(site, """
        - hosts: localhost
          gather_facts: false
          vars:
            big: %2$s
          tasks:
            - {name: copy, copy: {content: "{{ big }}", dest: %1$s}, ignore_errors: true}
            - {name: template, template: {src: %3$s, dest: %1$s}, ignore_errors: true}
            - {name: lineinfile, lineinfile: {path: %1$s, line: "{{ big }}"}, ignore_errors: true}
            - {name: blockinfile, blockinfile: {path: %1$s, block: "{{ big }}"}, ignore_errors: true}
            - {name: replace, replace: {path: %1$s, regexp: original, replace: "{{ big }}"}, ignore_errors: true}
            - name: sysctl
              sysctl: {name: vm.jplay_test, value: "{{ big }}", sysctl_file: %1$s, sysctl_set: false, reload: false}
              ignore_errors: true
            - name: yum_repository
              yum_repository: {name: t, description: "{{ big }}", baseurl: "http://127.0.0.1/", reposdir: %4$s, file: orig}
              ignore_errors: true
        """.formatted(orig, value, big, dir));
    Jplay r = Jplay.run(site.toString(), "-i", "localhost,", "-c", "local", "--color", "never", "--no-timing");
    assertEquals(0, r.exitCode(), r::toString);
    long failures = r.out().lines().filter(l -> l.startsWith("fatal: [localhost]: FAILED!") && l.contains(error)).count();
    assertEquals(7, failures, r::toString);
    assertEquals("original\n", Files.readString(orig));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(orig)));
    try (var list = Files.list(dir)) {
      assertEquals(List.of("filler", "orig"), list.map(p -> p.getFileName().toString()).sorted()
          .filter(n -> !n.equals("lost+found")).toList(), "no temp file left");
    }
  }

  @Test
  void aFullDiskFailsEveryWriterWithTheOsErrorAndKeepsTheOriginal() throws Exception {
    Sshd.require(Sshd.isRoot(), "mounting a small tmpfs needs root");
    Path dir = work.resolve("small");
    Files.createDirectories(dir);
    sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString());
    try {
      Files.writeString(dir.resolve("orig"), "original\n");
      Files.setPosixFilePermissions(dir.resolve("orig"), PosixFilePermissions.fromString("rw-r-----"));
      Files.write(dir.resolve("filler"), new byte[40_000]);
      check(dir, "No space left on device");
    } finally {
      sh("umount", dir.toString());
    }
  }

  @Test
  void aReadOnlyFileSystemFailsEveryWriterWithTheOsErrorAndKeepsTheOriginal() throws Exception {
    Sshd.require(Sshd.isRoot(), "a read-only bind mount needs root");
    Path dir = work.resolve("ro");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("orig"), "original\n");
    Files.setPosixFilePermissions(dir.resolve("orig"), PosixFilePermissions.fromString("rw-r-----"));
    Files.write(dir.resolve("filler"), new byte[10]);
    sh("mount", "--bind", dir.toString(), dir.toString());
    try {
      sh("mount", "-o", "remount,bind,ro", dir.toString());
      check(dir, "Read-only file system");
    } finally {
      sh("umount", dir.toString());
    }
  }
}
