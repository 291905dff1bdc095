package jplay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * selinux for real against a temp configuration file per host. This lab's kernel runs without SELinux, so the
 * running mode is never touched: the module must see that and ask for a reboot instead.
 */
class SelinuxRealTest {
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
  void editsTheConfigAndAsksForAReboot() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/sys/fs/selinux/enforce")),
        "this test expects a kernel without SELinux, so that it changes nothing at runtime");
    for (int i = 1; i <= 2; i++) {
      Files.writeString(lab.work.resolve("selinux-h" + i), "# SELinux\nSELINUX=enforcing\nSELINUXTYPE=targeted\n");
    }
    String play = """
        - hosts: h1:h2
          gather_facts: no
          tasks:
            - name: permissive
              selinux: {policy: targeted, state: permissive, configfile: "{{ work }}/selinux-{{ inventory_hostname }}"}
            - name: other policy
              selinux: {policy: no-such-policy, state: permissive, configfile: "{{ work }}/selinux-{{ inventory_hostname }}"}
              ignore_errors: true
        """;
    Lab.Run run = lab.play("selinux.yml", play, "--diff");
    assertEquals(0, run.exitCode(), run::toString);
    for (int i = 1; i <= 2; i++) {
      Lab.Result r = run.of("h" + i, "permissive");
      assertEquals("changed", r.status(), run::toString);
      assertEquals(true, r.get("reboot_required"));
      assertEquals(List.of("Reboot is required to set SELinux state to 'permissive'"), r.get("warnings"));
      assertEquals("# SELinux\nSELINUX=permissive\nSELINUXTYPE=targeted\n",
          Files.readString(lab.work.resolve("selinux-h" + i)));
      assertEquals("Policy no-such-policy does not exist in /etc/selinux/", run.of("h" + i, "other policy").msg());
    }
    Lab.Run again = lab.play("selinux.yml", play);
    Lab.Result r = again.of("h2", "permissive");
    assertEquals("ok", r.status(), again::toString);
    assertTrue((Boolean) r.get("reboot_required"), "still not running it: still a reboot to go");
  }
}
