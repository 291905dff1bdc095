package jplay.e2e;

import static jplay.e2e.Lab.play;
import static jplay.e2e.Lab.playbook;
import static jplay.e2e.Lab.root;
import static jplay.e2e.Lab.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * yum_repository, dnf and dnf_module against the VM's real dnf and rpm (configured like EL8) and the stand-in
 * repositories e2e/run.sh copied to /opt/jplay-repo: repository files, install with a dependency, a version pin,
 * latest, downgrade, dnf's exclude, a repository exclude lifted by disable_excludes (as the Kubernetes playbook
 * installs kubelet), a module stream enabled without installing anything and then installed, removal, and a
 * systemd unit shipped in an RPM. Checked with rpm -q, dnf's own listings and the repository file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnfLabTest {
  /** Back to a host without stand-ins (one rpm -e per package: rpm removes nothing when one is missing). */
  private static final String CLEAN = "systemctl stop crio 2>/dev/null; dnf -q -y module reset cri-o 2>/dev/null;"
      + " for p in cri-o-standin crun-standin kubelet-standin cri-o-module-standin; do rpm -e --nodeps $p 2>/dev/null;"
      + " done; rm -f /etc/yum.repos.d/jplay.repo /etc/dnf/modules.d/cri-o.module; systemctl daemon-reload; true";
  private static final String REPOS = """
      - yum_repository:
          name: jplay-local
          description: jplay local stand-in packages
          baseurl: file:///opt/jplay-repo/base
          gpgcheck: false
          file: jplay
          EXCLUDE
      - yum_repository:
          name: jplay-modular
          description: jplay local stand-in modules
          baseurl: file:///opt/jplay-repo/modular
          gpgcheck: false
          file: jplay
      """;

  @BeforeAll
  static void cleanHost() {
    assertEquals("yes", root("test -f /opt/jplay-repo/base/repodata/repomd.xml && echo yes"),
        "e2e/run.sh copies the stand-in repositories to /opt/jplay-repo");
    root(CLEAN);
    assertEquals("not installed", version("cri-o-standin"));
    assertEquals("not installed", version("kubelet-standin"));
  }

  @AfterAll
  static void cleanUp() {
    root(CLEAN);
  }

  private static String repos(String exclude) {
    return playbook(REPOS.replace("EXCLUDE", exclude.isEmpty() ? "" : "exclude: " + exclude));
  }

  private static String version(String pkg) {
    Lab.Sh r = sh("rpm -q --qf '%{VERSION}' " + pkg);
    return r.exit() == 0 ? r.line() : "not installed";
  }

  private static String dnf(String name, String extra) {
    return playbook("- dnf:\n    name: " + name + "\n" + extra.indent(4).stripTrailing());
  }

  @Test
  @Order(1)
  void yumRepositoryWritesOneFileThatDnfReads() {
    play(repos(""), "--check").expect(2);
    assertEquals("absent", root("test -e /etc/yum.repos.d/jplay.repo && echo present || echo absent"));
    play(repos("")).expect(2);
    String file = root("cat /etc/yum.repos.d/jplay.repo");
    assertTrue(file.contains("[jplay-local]") && file.contains("[jplay-modular]"), file);
    assertTrue(file.contains("baseurl = file:///opt/jplay-repo/base"), file);
    assertTrue(file.contains("gpgcheck = 0"), file);
    String repolist = root("dnf -q repolist --enabled");
    assertTrue(repolist.contains("jplay-local") && repolist.contains("jplay-modular"), repolist);
    play(repos("")).expect(0);
  }

  @Test
  @Order(2)
  void installWithItsDependencyThenStartItsUnit() {
    String site = dnf("cri-o-standin", "state: present");
    play(site, "--check").expect(1);
    assertEquals("not installed", version("cri-o-standin"));
    play(site).expect(1);
    assertEquals("1.28.1", version("cri-o-standin"));
    assertEquals("1.8.7", version("crun-standin"));
    play(site).expect(0);

    // The RPM's systemd unit, driven by the systemd module.
    String crio = playbook("""
        - systemd:
            name: crio
            state: started
            enabled: true
        """);
    play(crio).expect(1);
    assertEquals("active enabled", root("echo $(systemctl is-active crio) $(systemctl is-enabled crio)"));
    play(crio).expect(0);
  }

  @Test
  @Order(3)
  void pinLatestExcludeAndDowngrade() {
    String pin = dnf("kubelet-standin-1.28.0", "");
    play(pin).expect(1);
    assertEquals("1.28.0", version("kubelet-standin"));
    play(pin).expect(0);

    // dnf's exclude hides 1.28.2, so latest has nothing to do.
    play(dnf("kubelet-standin", "state: latest\nexclude: kubelet-standin-1.28.2*")).expect(0);
    assertEquals("1.28.0", version("kubelet-standin"));

    String latest = dnf("kubelet-standin", "state: latest");
    play(latest, "--check").expect(1);
    assertEquals("1.28.0", version("kubelet-standin"));
    play(latest).expect(1);
    assertEquals("1.28.2", version("kubelet-standin"));
    play(latest).expect(0);

    String down = dnf("kubelet-standin-1.28.0", "allow_downgrade: true");
    play(down).expect(1);
    assertEquals("1.28.0", version("kubelet-standin"));
    play(down).expect(0);
  }

  @Test
  @Order(4)
  void repositoryExcludeLiftedByDisableExcludes() {
    String absent = dnf("kubelet-standin", "state: absent");
    play(absent, "--check").expect(1);
    assertEquals("1.28.0", version("kubelet-standin"));
    play(absent).expect(1);
    assertEquals("not installed", version("kubelet-standin"));
    play(absent).expect(0);

    play(repos("kubelet-standin*")).expect(1);
    assertTrue(root("cat /etc/yum.repos.d/jplay.repo").contains("exclude = kubelet-standin*"));

    play(dnf("kubelet-standin", "")).expectFailure("kubelet-standin");
    assertEquals("not installed", version("kubelet-standin"));

    String lifted = dnf("kubelet-standin", "disable_excludes: jplay-local");
    play(lifted).expect(1);
    assertEquals("1.28.2", version("kubelet-standin"));
    play(lifted).expect(0);
  }

  @Test
  @Order(5)
  void moduleStreamEnabledWithoutInstallThenInstalled() {
    assertNotEquals(0, sh("dnf -q list --available cri-o-module-standin").exit(),
        "a modular package is hidden until its stream is enabled");
    String enable = playbook("""
        - dnf_module:
            name: cri-o:1.28
            state: enabled
        """);
    play(enable, "--check").expect(1);
    assertEquals("", root("dnf -q module list --enabled 2>/dev/null | grep '^cri-o' || true"));
    play(enable).expect(1);
    String enabled = root("dnf -q module list --enabled | grep '^cri-o'");
    assertTrue(enabled.matches("(?s)cri-o\\s+1\\.28 \\[e\\].*"), enabled);
    assertEquals("not installed", version("cri-o-module-standin"));
    play(enable).expect(0);

    String install = dnf("'@cri-o:1.28/default'", "state: present");
    play(install).expect(1);
    assertEquals("1.28.1", version("cri-o-module-standin"));
    assertEquals("1.28.1", root("cat /etc/crio-module/version"));
    play(install).expect(0);
  }

  @Test
  @Order(6)
  void removeEverything() {
    String stop = playbook("""
        - systemd:
            name: crio
            state: stopped
            enabled: false
        """);
    play(stop).expect(1);
    assertEquals("inactive disabled", root("echo $(systemctl is-active crio) $(systemctl is-enabled crio)"));
    play(stop).expect(0);

    String site = playbook("""
        - dnf:
            name: [cri-o-standin, crun-standin, kubelet-standin, cri-o-module-standin]
            state: absent
        - yum_repository:
            name: "{{ item }}"
            file: jplay
            state: absent
          loop: [jplay-local, jplay-modular]
        """);
    play(site, "--check").expect(2);
    assertEquals("1.28.1", version("cri-o-standin"));
    assertEquals("present", root("test -e /etc/yum.repos.d/jplay.repo && echo present || echo absent"));
    play(site).expect(2);
    assertEquals("not installed", version("cri-o-standin"));
    assertEquals("not installed", version("crun-standin"));
    assertEquals("not installed", version("kubelet-standin"));
    assertEquals("not installed", version("cri-o-module-standin"));
    assertEquals("absent", root("test -e /etc/yum.repos.d/jplay.repo && echo present || echo absent"));
    play(site).expect(0);
  }
}
