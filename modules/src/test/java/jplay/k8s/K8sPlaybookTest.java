package jplay.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jplay.engine.cli.Main;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled Kubernetes playbook (playbooks/k8s/site.yml): it parses whole, lists exactly the tasks of the golden
 * files with both example inventories, ansible-playbook accepts it too, and a --check --diff run over real SSH
 * completes on three loopback hosts without failing or changing anything on disk.
 *
 * <p>Refresh the golden files with {@code -Djplay.k8s.refresh=true} (and read the diff before committing).
 */
class K8sPlaybookTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SITE = ROOT.resolve("playbooks/k8s/site.yml");
  private static final Path GOLDEN = Path.of("src/test/resources/k8s").toAbsolutePath();

  /** What one in-process run printed and returned. */
  record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  private static Run jplay(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args.toArray(String[]::new));
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Path inventory(String name) {
    return ROOT.resolve("inventory").resolve(name + ".ini");
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s", "k8s-single"})
  void syntaxCheckAcceptsThePlaybook(String inv) {
    Run run = jplay(List.of(SITE.toString(), "-i", inventory(inv).toString(), "--syntax-check"));
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("\nplaybook: " + SITE + "\n", run.out(), run::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s", "k8s-single"})
  void listTasksMatchesTheGoldenFile(String inv) throws IOException {
    Run run = jplay(List.of(SITE.toString(), "-i", inventory(inv).toString(), "--list-tasks"));
    assertEquals(0, run.exitCode(), run::toString);
    String actual = run.out().replace(SITE.toString(), "SITE");
    Path golden = GOLDEN.resolve("list-tasks-" + inv + ".txt");
    if (Boolean.getBoolean("jplay.k8s.refresh")) {
      Files.writeString(golden, actual);
    }
    assertEquals(Files.readString(golden), actual);
  }

  /** The oracle: ansible-playbook 2.14 must accept the playbook and list the same tasks (it is required in CI). */
  @ParameterizedTest
  @ValueSource(strings = {"k8s", "k8s-single"})
  void ansiblePlaybookAcceptsItAndListsTheSameTasks(String inv) throws IOException, InterruptedException {
    boolean present = Files.isExecutable(Path.of("/usr/bin/ansible-playbook"));
    Sshd.require(present, "ansible-playbook is not installed (apt-get install ansible)");
    String syntax = ansible(SITE.toString(), "-i", inventory(inv).toString(), "--syntax-check");
    assertEquals("\nplaybook: " + SITE + "\n", syntax.replace("\r", ""));
    String tasks = ansible(SITE.toString(), "-i", inventory(inv).toString(), "--list-tasks");
    assertEquals(Files.readString(GOLDEN.resolve("list-tasks-" + inv + ".txt")), tasks.replace(SITE.toString(), "SITE"));
  }

  private static String ansible(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ansible-playbook"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_LOCAL_TEMP", Files.createTempDirectory("k8s-ansible").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ansible-playbook did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /** The paths the playbook would change on a real node; check mode must leave every one as it was. */
  private static final List<Path> WATCHED = List.of(
      Path.of("/etc/fstab"), Path.of("/etc/sysctl.d/99-kubernetes-cri.conf"),
      Path.of("/etc/modules-load.d/br_netfilter.conf"), Path.of("/etc/modules-load.d/overlay.conf"),
      Path.of("/etc/crio"), Path.of("/etc/kubernetes"), Path.of("/root/.kube"), Path.of("/etc/yum.repos.d"),
      Path.of("/etc/selinux/config"));

  private static Map<Path, String> snapshot() throws IOException {
    Map<Path, String> m = new LinkedHashMap<>();
    for (Path p : WATCHED) {
      if (!Files.exists(p)) {
        m.put(p, "absent");
      } else if (Files.isDirectory(p)) {
        try (var s = Files.walk(p)) {
          m.put(p, "dir " + s.map(Path::toString).sorted().toList() + " " + Files.getLastModifiedTime(p));
        }
      } else {
        m.put(p, Files.readString(p) + Files.getLastModifiedTime(p));
      }
    }
    return m;
  }

  /**
   * A check-mode run of the whole playbook over real SSH on this (Debian) machine, as three nodes: a control plane
   * and two workers on 127.0.0.2-4. The variables turn off what only an EL host has (dnf, firewalld, SELinux, the
   * bridge kernel modules); the rest runs, and what needs CRI-O or kubeadm installed is skipped in check mode.
   */
  @Test
  void checkModeRunCompletesAndChangesNothing(@TempDir Path dir) throws IOException {
    try (Sshd sshd = Sshd.start(3)) {
      // The sshd user (root in CI) must be able to read here.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      String[] names = {"cp1", "w1", "w2"};
      StringBuilder ini = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        ini.append(i == 0 ? "[control_plane]\n" : i == 1 ? "[workers]\n" : "")
            .append(names[i]).append(" ansible_host=").append(sshd.addresses().get(i))
            .append(" ansible_port=").append(sshd.port())
            .append(" k8s_node_ip=").append(sshd.addresses().get(i)).append('\n');
      }
      ini.append("[k8s_cluster:children]\ncontrol_plane\nworkers\n");
      ini.append("[k8s_cluster:vars]\nansible_user=").append(sshd.user()).append('\n');
      ini.append("ansible_ssh_private_key_file=").append(sshd.clientKey()).append('\n');
      Path inv = dir.resolve("k8s.ini");
      Files.writeString(inv, ini.toString());
      Path vars = dir.resolve("lab.yml");
      Files.writeString(vars, "k8s_peer_check_port: " + sshd.port() + "\n" + """
          k8s_allow_unsupported_os: true
          k8s_install_packages: false
          k8s_firewall: unmanaged
          k8s_selinux_state: unmanaged
          k8s_kernel_modules: []
          k8s_patch_version: 1.30.4
          k8s_node_name: "{{ inventory_hostname }}"
          """);
      Map<Path, String> before = snapshot();
      Run run = jplay(List.of(SITE.toString(), "-i", inv.toString(), "-e", "@" + vars,
          "--known-hosts", sshd.knownHosts().toString(), "--color", "never", "--no-timing", "--check", "--diff"));
      assertEquals(0, run.exitCode(), run::toString);
      assertEquals(before, snapshot(), "check mode changed the disk");
      for (String h : names) {
        assertTrue(recap(run, h).contains(" failed=0 "), run::toString);
        assertTrue(recap(run, h).contains(" unreachable=0 "), run::toString);
      }
      // What a real node would get, shown as diffs: the sysctl file and the CRI-O drop-ins on every node, the
      // kubeadm configuration on the control plane with the pinned version and the loopback address.
      assertTrue(run.out().contains("net.bridge.bridge-nf-call-iptables"), run::toString);
      assertTrue(run.out().contains("default_runtime = \"crun\""), run::toString);
      assertTrue(run.out().contains("cgroup_manager = \"systemd\""), run::toString);
      assertTrue(run.out().contains("kubernetesVersion: \"v1.30.4\""), run::toString);
      assertTrue(run.out().contains("advertiseAddress: \"" + sshd.addresses().get(0) + "\""), run::toString);
      assertTrue(run.out().contains("controlPlaneEndpoint: \"" + sshd.addresses().get(0) + ":6443\""),
          run::toString);
      assertFalse(run.out().contains("FAILED!"), run::toString);
    }
  }

  private static String recap(Run run, String host) {
    for (String line : run.out().split("\n")) {
      String l = line.strip();
      if (l.startsWith(host + " ") && l.contains(": ok=")) {
        return l.replaceAll("\\s+", " ") + " ";
      }
    }
    throw new AssertionError("no recap line for " + host + " in:\n" + run);
  }
}
