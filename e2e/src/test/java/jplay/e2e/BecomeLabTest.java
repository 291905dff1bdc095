package jplay.e2e;

import static jplay.e2e.Lab.play;
import static jplay.e2e.Lab.playJar;
import static jplay.e2e.Lab.playbook;
import static jplay.e2e.Lab.root;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Become on a real host: through the NOPASSWD sudo user "jplay", and through "jplaypw", whose sudo asks for a
 * password, given with -K on standard input (the built jar in its own JVM) or as ansible_become_password. Each run
 * writes a file as root; its owner, read back with stat, shows who really wrote it.
 */
class BecomeLabTest {
  private static final String WRITE = playbook("""
      - copy:
          dest: /root/become-e2e
          content: "written through sudo\\n"
          mode: "0600"
      """);

  @AfterEach
  void removeFile() {
    root("rm -f /root/become-e2e");
  }

  private static String owner() {
    return root("stat -c '%U %a' /root/become-e2e && cat /root/become-e2e");
  }

  @Test
  void nopasswdSudoUser() {
    play(WRITE).expect(1);
    assertEquals("root 600\nwritten through sudo", owner());
    play(WRITE).expect(0);
  }

  @Test
  void passwordSudoUserWithAskBecomePassFromStdin() {
    playJar("jplaypw", Lab.JPLAYPW_PASSWORD + "\n", WRITE, "-K").expect(1);
    assertEquals("root 600\nwritten through sudo", owner());
  }

  @Test
  void passwordSudoUserWithBecomePasswordVariable() {
    Lab.playAs("jplaypw", playbook("  vars:\n    ansible_become_password: " + Lab.JPLAYPW_PASSWORD + "\n", """
        - copy:
            dest: /root/become-e2e
            content: "written through sudo\\n"
            mode: "0600"
        """)).expect(1);
    assertEquals("root 600\nwritten through sudo", owner());
  }

  @Test
  void passwordSudoUserWithoutPasswordFailsClearly() {
    Lab.playAs("jplaypw", WRITE).expectFailure("no become password was given");
    assertEquals("absent", root("test -e /root/become-e2e && echo present || echo absent"));
  }

  @Test
  void wrongPasswordFails() {
    playJar("jplaypw", "not-the-password\n", WRITE, "-K").expectFailure("refused the become password");
    assertEquals("absent", root("test -e /root/become-e2e && echo present || echo absent"));
  }
}
