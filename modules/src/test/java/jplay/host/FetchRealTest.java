package jplay.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch over the loopback sshd: the remote file is on this machine too, so what arrived is compared byte for byte. */
class FetchRealTest {
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
  void fetchesPerHostIdempotentlyAndNotInCheckMode() throws Exception {
    Path out = lab.work.resolve("collected");
    String play = """
        - hosts: all_hosts
          gather_facts: no
          tasks:
            - name: make
              shell: head -c 5000 /dev/urandom > {{ work }}/blob-{{ inventory_hostname }}
              when: make | default(true)
            - name: fetch
              fetch: {src: "{{ work }}/blob-{{ inventory_hostname }}", dest: collected}
            - name: flat
              fetch: {src: "{{ work }}/blob-{{ inventory_hostname }}", dest: "flat/", flat: true}
        """;
    Lab.Run first = lab.play("fetch.yml", play);
    assertEquals(0, first.exitCode(), first::toString);
    for (int i = 1; i <= 5; i++) {
      String h = "h" + i;
      Path remote = lab.work.resolve("blob-" + h);
      Path copy = out.resolve(h + lab.work.resolve("blob-" + h));
      Lab.Result r = first.of(h, "fetch");
      assertEquals("changed", r.status(), first::toString);
      assertEquals(copy.toString(), r.get("dest"));
      assertArrayEquals(Files.readAllBytes(remote), Files.readAllBytes(copy));
      assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
      assertEquals(r.get("checksum"), r.get("remote_checksum"));
      assertArrayEquals(Files.readAllBytes(remote), Files.readAllBytes(lab.work.resolve("flat/blob-" + h)));
    }
    // Same content: nothing is rewritten.
    Lab.Run again = lab.play("fetch.yml", play, "-e", "{\"make\": false}");
    assertEquals(0, again.exitCode(), again::toString);
    for (int i = 1; i <= 5; i++) {
      assertEquals("ok", again.of("h" + i, "fetch").status(), again::toString);
      assertEquals("ok", again.of("h" + i, "flat").status(), again::toString);
    }
    // New content under --check: reported as a change, the old copy stays.
    Path copy1 = out.resolve("h1" + lab.work.resolve("blob-h1"));
    byte[] before = Files.readAllBytes(copy1);
    Lab.Run check = lab.play("fetch.yml", play, "--check", "-e", "{\"make\": false}");
    assertEquals(0, check.exitCode(), check::toString);
    Files.writeString(lab.work.resolve("blob-h1"), "changed\n");
    check = lab.play("fetch.yml", play, "--check", "-e", "{\"make\": false}");
    assertEquals("changed", check.of("h1", "fetch").status(), check::toString);
    assertEquals("ok", check.of("h2", "fetch").status(), check::toString);
    assertArrayEquals(before, Files.readAllBytes(copy1));
  }

  @Test
  void missingDirectoryAndTraversal() throws Exception {
    Files.createDirectories(lab.work.resolve("adir"));
    Files.writeString(lab.work.resolve("exists"), "x\n");
    Lab.Run run = lab.play("fetch-bad.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: missing ignored
              fetch: {src: "{{ work }}/nope", dest: got, fail_on_missing: false}
            - name: missing
              fetch: {src: "{{ work }}/nope", dest: got}
              ignore_errors: true
            - name: directory
              fetch: {src: "{{ work }}/adir", dest: got}
              ignore_errors: true
            - name: flat onto a directory
              fetch: {src: /etc/hostname, dest: "{{ work }}/adir", flat: true}
              ignore_errors: true
            - name: escape
              fetch: {src: "{{ work }}/../../../../../../../../../../..{{ work }}/exists", dest: got}
              ignore_errors: true
        """);
    assertEquals(0, run.exitCode(), run::toString);
    Lab.Result ignored = run.of("h1", "missing ignored");
    assertEquals("ok", ignored.status(), run::toString);
    assertEquals("the remote file does not exist, not transferring, ignored", ignored.msg());
    assertEquals("failed", run.of("h1", "missing").status());
    assertEquals("remote file is a directory, fetch cannot work on directories", run.of("h1", "directory").msg());
    assertEquals("dest is an existing directory, use a trailing slash if you want to fetch src into that directory",
        run.of("h1", "flat onto a directory").msg());
    String escape = run.of("h1", "escape").msg();
    assertEquals("failed", run.of("h1", "escape").status(), run::toString);
    assertEquals(true, escape.startsWith("Detected directory traversal, expected to be contained in '"), escape);
    assertFalse(Files.exists(lab.work.resolve("got")));
  }
}
