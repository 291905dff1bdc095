package jplay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mount against a temp fstab per host (the fstab parameter), for real over SSH; nothing is ever mounted: the
 * states used are present, absent, absent_from_fstab and unmounted of paths that are not mount points, plus
 * mounted of a path that already is one (/proc), which only edits the temp fstab.
 */
class MountRealTest {
  @TempDir static Path dir;
  private static Lab lab;

  @BeforeAll
  static void start() {
    lab = new Lab(dir);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void editsTheFstabAtomicallyAndIdempotently() throws IOException {
    for (int i = 1; i <= 2; i++) {
      Path f = lab.work.resolve("fstab-h" + i);
      Files.writeString(f, "# static file system information\nUUID=abc / ext4 errors=remount-ro 0 1\n"
          + "/dev/sdb1 /srv/old xfs defaults 0 0\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
      Files.createDirectories(lab.work.resolve("mnt-h" + i + "/old dir"));
    }
    String play = """
        - hosts: h1:h2
          gather_facts: no
          tasks:
            - name: data
              mount: {path: "/srv/my data", src: "LABEL=data&more", fstype: xfs, opts: noatime, state: present, fstab: "{{ work }}/fstab-{{ inventory_hostname }}"}
            - name: swap
              mount: {path: none, src: /swap.img, fstype: swap, state: present, fstab: "{{ work }}/fstab-{{ inventory_hostname }}"}
            - name: old gone from fstab only
              mount: {path: /srv/old, state: absent_from_fstab, fstab: "{{ work }}/fstab-{{ inventory_hostname }}"}
            - name: not mounted
              mount: {path: "{{ work }}", state: unmounted, fstab: "{{ work }}/fstab-{{ inventory_hostname }}"}
            - name: proc is mounted already
              mount: {path: /proc, src: proc, fstype: proc, state: mounted, fstab: "{{ work }}/fstab-{{ inventory_hostname }}", boot: false}
        """;
    Lab.Run check = lab.play("mount.yml", play, "--check", "--diff");
    assertEquals(0, check.exitCode(), check::toString);
    assertEquals("changed", check.of("h1", "data").status());
    assertTrue(Files.readString(lab.work.resolve("fstab-h1")).contains("/srv/old"), "check mode changed nothing");

    Lab.Run run = lab.play("mount.yml", play, "--diff");
    assertEquals(0, run.exitCode(), run::toString);
    for (int i = 1; i <= 2; i++) {
      Path f = lab.work.resolve("fstab-h" + i);
      assertEquals("""
          # static file system information
          UUID=abc / ext4 errors=remount-ro 0 1
          LABEL=data\\046more /srv/my\\040data xfs noatime 0 0
          /swap.img none swap defaults 0 0
          proc /proc proc defaults 0 0
          """, Files.readString(f));
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "mode kept");
      assertEquals("ok", run.of("h" + i, "not mounted").status());
      assertEquals("changed", run.of("h" + i, "proc is mounted already").status(), "entry added, no mount");
      assertEquals("no", run.of("h" + i, "proc is mounted already").get("boot"));
    }
    try (var s = Files.list(lab.work)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".jplay.")), "no temp file left");
    }

    Lab.Run again = lab.play("mount.yml", play);
    assertEquals(0, again.exitCode(), again::toString);
    for (String task : new String[] {"data", "swap", "old gone from fstab only", "not mounted",
        "proc is mounted already"}) {
      assertEquals("ok", again.of("h2", task).status(), task + "\n" + again);
    }

    Lab.Run absent = lab.play("absent.yml", """
        - hosts: h1:h2
          gather_facts: no
          tasks:
            - name: gone
              mount: {path: "{{ work }}/mnt-{{ inventory_hostname }}/old dir", state: absent, fstab: "{{ work }}/new/fstab-{{ inventory_hostname }}"}
            - name: entry
              mount: {path: "/srv/x", src: /dev/x, fstype: ext4, state: present, fstab: "{{ work }}/new/fstab-{{ inventory_hostname }}"}
            - name: entry and mount point gone
              mount: {path: "/srv/x", state: absent, fstab: "{{ work }}/new/fstab-{{ inventory_hostname }}"}
        """);
    assertEquals(0, absent.exitCode(), absent::toString);
    assertEquals("ok", absent.of("h2", "gone").status(), "no entry: nothing to do, as Ansible");
    assertTrue(Files.isDirectory(lab.work.resolve("mnt-h2/old dir")));
    assertEquals("changed", absent.of("h2", "entry and mount point gone").status());
    assertEquals("", Files.readString(lab.work.resolve("new/fstab-h2")));
  }
}
