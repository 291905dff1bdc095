package jplay.e2e;

import static jplay.e2e.Lab.play;
import static jplay.e2e.Lab.playbook;
import static jplay.e2e.Lab.root;
import static jplay.e2e.Lab.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * modprobe against the VM's stock Debian kernel: br_netfilter and overlay loaded and made persistent (as the
 * Kubernetes playbook does), module parameters (dummy's numdummies: that many dummy interfaces), and unloading. Checked
 * with lsmod, ip link and the files in /etc/modules-load.d and /etc/modprobe.d.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModprobeLabTest {
  private static final String K8S = playbook("""
      - modprobe:
          name: "{{ item }}"
          persistent: present
        loop: [br_netfilter, overlay]
      """);

  @BeforeAll
  static void modulesNotLoaded() {
    root("for m in br_netfilter overlay dummy; do modprobe -r $m 2>/dev/null; done; rm -f /etc/modules-load.d/br_netfilter.conf"
        + " /etc/modules-load.d/overlay.conf /etc/modules-load.d/dummy.conf /etc/modprobe.d/dummy.conf");
    assertFalse(loaded("br_netfilter"));
    assertFalse(loaded("overlay"));
  }

  @AfterAll
  static void unload() {
    root("modprobe -r dummy || true; rm -f /etc/modules-load.d/dummy.conf /etc/modprobe.d/dummy.conf");
  }

  private static boolean loaded(String module) {
    return sh("lsmod | awk '{print $1}' | grep -qx " + module).exit() == 0;
  }

  @Test
  @Order(1)
  void checkModeLoadsAndWritesNothing() {
    play(K8S, "--check").expect(1);
    assertFalse(loaded("br_netfilter"));
    assertFalse(loaded("overlay"));
    assertEquals("absent", root("test -e /etc/modules-load.d/br_netfilter.conf && echo present || echo absent"));
  }

  @Test
  @Order(2)
  void loadsAndPersistsThenNoChange() {
    play(K8S).expect(1);
    assertTrue(loaded("br_netfilter"));
    assertTrue(loaded("overlay"));
    assertEquals("br_netfilter", root("grep -v '^#' /etc/modules-load.d/br_netfilter.conf"));
    assertEquals("overlay", root("grep -v '^#' /etc/modules-load.d/overlay.conf"));
    // systemd-modules-load reads these files at boot: ask it to, and it must accept them.
    root("systemctl restart systemd-modules-load && systemctl is-active systemd-modules-load");
    play(K8S).expect(0);
  }

  @Test
  @Order(3)
  void paramsReachTheKernelAndModprobeD() {
    String dummy = playbook("""
        - modprobe:
            name: dummy
            params: numdummies=3
            persistent: present
        """);
    play(dummy, "--check").expect(1);
    assertFalse(loaded("dummy"));
    play(dummy).expect(1);
    assertTrue(loaded("dummy"));
    assertEquals("3", root("ip -o link show type dummy | wc -l"));
    assertEquals("options dummy numdummies=3", root("grep -v '^#' /etc/modprobe.d/dummy.conf"));
    assertEquals("dummy", root("grep -v '^#' /etc/modules-load.d/dummy.conf"));
    // numdummies is not in /sys (its permissions are 0), but its effect is: dummy0..dummy2 above. A later plain
    // "modprobe dummy" would NOT get 3 from this file: systemd's /usr/lib/modprobe.d/systemd.conf says
    // "options dummy numdummies=0", and modprobe applies files in name order, so systemd.conf wins over
    // dummy.conf (the same happens with Ansible's modprobe module, which writes the same file).
    play(dummy).expect(0);
  }

  @Test
  @Order(4)
  void absentUnloadsAndCommentsOut() {
    String absent = playbook("""
        - modprobe:
            name: dummy
            state: absent
            persistent: absent
        """);
    play(absent, "--check").expect(1);
    assertTrue(loaded("dummy"));
    play(absent).expect(1);
    assertFalse(loaded("dummy"));
    assertEquals("", root("grep -v '^#' /etc/modules-load.d/dummy.conf || true"));
    assertEquals("", root("grep -v '^#' /etc/modprobe.d/dummy.conf || true"));
    play(absent).expect(0);
  }
}
