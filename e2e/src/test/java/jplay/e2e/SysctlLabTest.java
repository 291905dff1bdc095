package jplay.e2e;

import static jplay.e2e.Lab.play;
import static jplay.e2e.Lab.playbook;
import static jplay.e2e.Lab.root;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * sysctl against the VM's kernel, as the Kubernetes playbook uses it: net.bridge.* keys exist only once
 * br_netfilter is loaded, so setting them first fails with a message that says so; after modprobe they are set
 * live and in /etc/sysctl.d/99-kubernetes-cri.conf. Checked with sysctl -n and the file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SysctlLabTest {
  private static final String FILE = "/etc/sysctl.d/99-kubernetes-cri.conf";
  private static final String BRIDGE = """
      - sysctl:
          name: "{{ item }}"
          value: "1"
          sysctl_file: /etc/sysctl.d/99-kubernetes-cri.conf
          reload: true
        loop:
          - net.bridge.bridge-nf-call-iptables
          - net.bridge.bridge-nf-call-ip6tables
          - net.ipv4.ip_forward
      """;

  @BeforeAll
  static void bridgeModuleNotLoaded() {
    root("modprobe -r br_netfilter || true; rm -f " + FILE + "; sysctl -qw net.ipv4.ip_forward=0");
    assertEquals("absent", root("test -e /proc/sys/net/bridge && echo present || echo absent"));
  }

  @AfterAll
  static void cleanUp() {
    root("rm -f " + FILE + "; sysctl -qw net.ipv4.ip_forward=0");
  }

  @Test
  @Order(1)
  void bridgeKeysFailClearlyBeforeBrNetfilter() {
    play(playbook(BRIDGE)).expectFailure("br_netfilter");
    // The loop's other item (net.ipv4.ip_forward) still ran, as in Ansible; no net.bridge entry was written.
    assertEquals("0", root("grep -c net.bridge " + FILE + " || true"));
    root("rm -f " + FILE + "; sysctl -qw net.ipv4.ip_forward=0");
  }

  @Test
  @Order(2)
  void checkModeAfterModprobeChangesNothing() {
    String site = playbook("- modprobe:\n    name: br_netfilter\n" + BRIDGE);
    // In check mode the module is not loaded, so the net.bridge keys are warnings there, not failures.
    Lab.Run check = play(site, "--check");
    assertEquals(0, check.exit(), check::toString);
    assertEquals(0, check.failed(), check::toString);
    assertEquals("0", root("sysctl -n net.ipv4.ip_forward"));
    assertEquals("absent", root("test -e " + FILE + " && echo present || echo absent"));
  }

  @Test
  @Order(3)
  void setLiveAndInTheFileAfterModprobeThenNoChange() {
    String site = playbook("- modprobe:\n    name: br_netfilter\n" + BRIDGE);
    play(site).expect(2);
    assertEquals("1", root("sysctl -n net.bridge.bridge-nf-call-iptables"));
    assertEquals("1", root("sysctl -n net.bridge.bridge-nf-call-ip6tables"));
    assertEquals("1", root("sysctl -n net.ipv4.ip_forward"));
    assertEquals("net.bridge.bridge-nf-call-iptables=1\nnet.bridge.bridge-nf-call-ip6tables=1\nnet.ipv4.ip_forward=1",
        root("grep -v '^#' " + FILE + " | tr -d ' '"));
    play(site).expect(0);
    // The file is what the kernel gets at boot: systemd-sysctl must read it without complaint.
    root("/lib/systemd/systemd-sysctl " + FILE);
  }

  @Test
  @Order(4)
  void liveValueDriftIsRepairedAndAbsentRemovesTheEntry() {
    root("sysctl -qw net.ipv4.ip_forward=0");
    String forward = playbook("""
        - sysctl:
            name: net.ipv4.ip_forward
            value: "1"
            sysctl_file: /etc/sysctl.d/99-kubernetes-cri.conf
        """);
    play(forward, "--check").expect(1);
    assertEquals("0", root("sysctl -n net.ipv4.ip_forward"));
    play(forward).expect(1);
    assertEquals("1", root("sysctl -n net.ipv4.ip_forward"));

    String absent = playbook("""
        - sysctl:
            name: net.ipv4.ip_forward
            state: absent
            sysctl_file: /etc/sysctl.d/99-kubernetes-cri.conf
        """);
    play(absent).expect(1);
    assertEquals("", root("grep ip_forward " + FILE + " || true"));
    play(absent).expect(0);
  }
}
