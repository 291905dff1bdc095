package jplay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.cli.Main;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The bundled Kubernetes playbook (playbooks/k8s/site.yml) on three lab VMs booted by e2e/k8s/run.sh: node1,
 * node2, node3 with the private addresses 192.168.100.11-13, the stand-in packages of e2e/k8s/build-repos.sh
 * under /opt/k8s-repo (laid out like pkgs.k8s.io; the playbook only gets its base URLs, e2e/k8s/lab-vars.yml).
 *
 * <p>The steps share the VMs and run in order: a single node on node1 and its second run; {@code kubeadm reset}
 * on node1, then the cluster node1 (control plane) + node2, node3 (workers) and its second run; node3 stopped and
 * a last run. What the playbook did is checked with independent commands over OpenSSH as root (rpm, systemctl,
 * lsmod, sysctl, firewall-cmd, /etc files) and with what the kubeadm and kubectl stand-ins recorded
 * (/var/lib/k8s-standin/: they check their configuration and arguments the way kubeadm does, and fail on
 * anything wrong).
 *
 * <p>Only run through e2e/k8s/run.sh (it sets {@code JPLAY_K8S_NODES}, {@code JPLAY_LAB_KEY},
 * {@code JPLAY_LAB_STOP}); its name does not end in Test, so neither e2e/run.sh nor a plain build picks it up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K8sPlaybookLab {
  private static final Path ROOT = Path.of(System.getenv().getOrDefault("JPLAY_ROOT", "..")).toAbsolutePath()
      .normalize();
  private static final Path SITE = ROOT.resolve("playbooks/k8s/site.yml");
  private static final Path LAB_VARS = ROOT.resolve("e2e/k8s/lab-vars.yml");
  private static final String VERSION = "1.30.5";
  private static final String CALICO = "https://raw.githubusercontent.com/projectcalico/calico/v3.28.1/manifests/"
      + "calico.yaml";
  private static final Set<String> CONTROL_PLANE_PORTS = Set.of("6443/tcp", "2379-2380/tcp", "10250/tcp",
      "10257/tcp", "10259/tcp");
  private static final Set<String> NODE_PORTS = Set.of("10250/tcp", "30000-32767/tcp", "179/tcp", "4789/udp");

  /**
   * firewall-cmd on the default zone (where the playbook opens the ports), named: without --zone, firewall-cmd
   * prints a warning on stdout when no interface is in the default zone, as in the lab.
   */
  private static final String DEFAULT_ZONE = "firewall-cmd --zone=\"$(firewall-cmd --get-default-zone)\"";

  /** A booted node: its name (also its host name), the ssh port on 127.0.0.1, its private address. */
  record Node(String name, int port, String ip) {}

  private static List<Node> nodes() {
    String spec = System.getenv("JPLAY_K8S_NODES");
    if (spec == null || spec.isBlank()) {
      // Not a skip: without the VMs this run is broken and must say so.
      throw new IllegalStateException("JPLAY_K8S_NODES is not set: run this test through e2e/k8s/run.sh");
    }
    List<Node> nodes = new ArrayList<>();
    for (String n : spec.split(",")) {
      String[] f = n.split(":");
      nodes.add(new Node(f[0], Integer.parseInt(f[1]), f[2]));
    }
    assertEquals(3, nodes.size(), spec);
    return nodes;
  }

  private static Node node(int i) {
    return nodes().get(i - 1);
  }

  // ---- runs

  /** One jplay run: exit code and output. */
  record Run(int exit, String out, String err) {
    /** ok, changed, unreachable, failed of {@code host} in the recap. */
    int[] recap(String host) {
      Matcher m = Pattern.compile("^" + host
          + "\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)", Pattern.MULTILINE)
          .matcher(out);
      if (!m.find()) {
        throw new AssertionError("no recap line for " + host + " in:\n" + this);
      }
      return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
          Integer.parseInt(m.group(4))};
    }

    /** Asserts that {@code host} ran without failures or unreachability and returns its changed count. */
    int clean(String host) {
      int[] r = recap(host);
      assertEquals(0, r[2], () -> host + " unreachable:\n" + this);
      assertEquals(0, r[3], () -> host + " failed:\n" + this);
      return r[1];
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  /** The playbook on {@code controlPlane} and {@code workers}, as user jplay (sudo), in-process. */
  private static Run play(Node controlPlane, List<Node> workers) {
    StringBuilder inv = new StringBuilder("all:\n  children:\n    k8s_cluster:\n      children:\n");
    inv.append("        control_plane:\n          hosts:\n").append(host(controlPlane));
    inv.append("        workers:\n          hosts:").append(workers.isEmpty() ? " {}\n" : "\n");
    workers.forEach(w -> inv.append(host(w)));
    inv.append("      vars:\n        ansible_user: jplay\n        ansible_ssh_private_key_file: ")
        .append(key()).append('\n');
    try {
      Path dir = Files.createTempDirectory("jplay-k8s-lab");
      Path inventory = dir.resolve("k8s-lab.yml");
      Files.writeString(inventory, inv);
      String[] args = {SITE.toString(), "-i", inventory.toString(), "-e", "@" + LAB_VARS,
          "--host-key-checking", "off", "--color", "never", "--no-timing", "-T", "60"};
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code;
      long t0 = System.nanoTime();
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        code = Main.run(InputStream.nullInputStream(), o, e, args);
      }
      Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      // The transcript goes to the surefire report: what jplay printed is the evidence.
      System.out.printf("$ jplay %s   (%d s)%n--- inventory%n%s%s%n", String.join(" ", args),
          (System.nanoTime() - t0) / 1_000_000_000L, inv, run);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String host(Node n) {
    return "            " + n.name() + ": {ansible_host: 127.0.0.1, ansible_port: " + n.port() + ", k8s_node_ip: "
        + n.ip() + "}\n";
  }

  private static Path key() {
    String key = System.getenv("JPLAY_LAB_KEY");
    if (key == null || !Files.isReadable(Path.of(key))) {
      throw new IllegalStateException("JPLAY_LAB_KEY does not name a readable ssh key: run e2e/k8s/run.sh");
    }
    return Path.of(key);
  }

  // ---- independent checks, with OpenSSH as root

  /** What a command printed (stdout and stderr) and its exit code. */
  record Sh(int exit, String out) {}

  private static Sh sh(Node n, String command) {
    List<String> cmd = List.of("ssh", "-i", key().toString(), "-p", Integer.toString(n.port()),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "root@127.0.0.1", command);
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("ssh command timed out on " + n.name() + ": " + command);
      }
      return new Sh(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }

  /** The trimmed output of {@code command} on {@code n}; fails when it exits non-zero. */
  private static String root(Node n, String command) {
    Sh r = sh(n, command);
    assertEquals(0, r.exit(), () -> "'" + command + "' failed on " + n.name() + ":\n" + r.out());
    return r.out().strip();
  }

  private static Set<String> words(String s) {
    return new TreeSet<>(Arrays.asList(s.strip().split("\\s+")));
  }

  /** The JSON lines a stand-in recorded in /var/lib/k8s-standin/FILE on {@code n} (none when it is absent). */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> recorded(Node n, String file) {
    String text = root(n, "cat /var/lib/k8s-standin/" + file + " 2>/dev/null || true");
    Load load = new Load(LoadSettings.builder().build());
    List<Map<String, Object>> entries = new ArrayList<>();
    for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
      entries.add((Map<String, Object>) load.loadFromString(line));
    }
    return entries;
  }

  private static List<Map<String, Object>> calls(Node n, String cmd) {
    return recorded(n, "calls.log").stream().filter(c -> cmd.equals(c.get("cmd"))).toList();
  }

  /** The node stack every node gets (roles base, firewall, crio, kubernetes), checked from outside jplay. */
  private static void assertNodeStack(Node n, boolean controlPlane) {
    assertEquals("cri-o-1.30.4\ncrun-1.14.4\nkubelet-" + VERSION + "\nkubeadm-" + VERSION + "\nkubectl-" + VERSION
        + "\ncri-tools-1.30.1\nkubernetes-cni-1.4.0\niproute-tc-6.2.0\ncontainer-selinux-2.229.0",
        root(n, "rpm -q --qf '%{NAME}-%{VERSION}\\n' cri-o crun kubelet kubeadm kubectl cri-tools kubernetes-cni"
            + " iproute-tc container-selinux"), n.name());
    // The packages were verified against the repositories' key (gpgcheck=1), which dnf imported from gpgkey.
    assertTrue(root(n, "rpm -q gpg-pubkey --qf '%{SUMMARY}\\n'").contains("jplay k8s lab"), n.name());
    // (yum_repository writes "key = value", as Ansible's does)
    String repo = root(n, "sed 's/ = /=/' /etc/yum.repos.d/kubernetes.repo");
    assertTrue(repo.contains("baseurl=file:///opt/k8s-repo/pkgs.k8s.io/core:/stable:/v1.30/rpm/"), repo);
    assertTrue(repo.contains("exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni"), repo);
    assertTrue(repo.contains("gpgcheck=1"), repo);
    // ... so that a plain dnf transaction leaves Kubernetes alone.
    String list = "dnf -q --cacheonly --showduplicates list --available kubelet 2>/dev/null | grep -c '^kubelet'"
        + " || true";
    assertEquals("0", root(n, list), "the repository's exclude does not hide kubelet on " + n.name());
    assertEquals("2", root(n, list.replace("dnf -q", "dnf -q --disableexcludes=kubernetes")), n.name());

    assertEquals("enabled\nenabled", root(n, "systemctl is-enabled crio kubelet"), n.name());
    assertEquals("active", root(n, "systemctl is-active crio"), n.name());
    assertEquals("br_netfilter\noverlay", root(n, "lsmod | awk '{print $1}' | grep -xE 'br_netfilter|overlay' | sort"));
    assertEquals("br_netfilter\noverlay", root(n, "cat /etc/modules-load.d/br_netfilter.conf"
        + " /etc/modules-load.d/overlay.conf | grep -v '^#' | sort"));
    assertEquals("1\n1\n1", root(n, "sysctl -n net.bridge.bridge-nf-call-iptables"
        + " net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward"));
    assertEquals("net.bridge.bridge-nf-call-ip6tables=1\nnet.bridge.bridge-nf-call-iptables=1\nnet.ipv4.ip_forward=1",
        root(n, "grep -v '^#' /etc/sysctl.d/99-kubernetes-cri.conf | tr -d ' ' | sort"));
    assertEquals("", root(n, "swapon --noheadings"), "swap is still on at " + n.name());
    assertEquals(1, sh(n, "grep -E '^[^#]\\S*\\s+\\S+\\s+swap\\s' /etc/fstab").exit(), "swap left in fstab");
    assertEquals("# /swapfile none swap sw 0 0", root(n, "grep swap /etc/fstab").replaceAll("[ \t]+", " "));
    assertEquals("SELINUX=permissive", root(n, "grep '^SELINUX=' /etc/selinux/config"));

    assertEquals("active", root(n, "systemctl is-active firewalld"));
    Set<String> ports = new TreeSet<>(NODE_PORTS);
    if (controlPlane) {
      ports.addAll(CONTROL_PLANE_PORTS);
    }
    assertEquals(ports, words(root(n, DEFAULT_ZONE + " --list-ports")), n.name() + " runtime ports");
    assertEquals(ports, words(root(n, DEFAULT_ZONE + " --permanent --list-ports")),
        n.name() + " permanent ports");
    assertEquals("yes", root(n, DEFAULT_ZONE + " --query-masquerade"));
    assertEquals(Set.of("10.244.0.0/16", "10.96.0.0/12"),
        words(root(n, "firewall-cmd --zone=trusted --list-sources")));

    assertEquals("10-crio.conf\n50-cgroup-manager.conf\n50-crun.conf", root(n, "ls /etc/crio/crio.conf.d"));
    String conf = root(n, "cat /etc/crio/crio.conf.d/50-cgroup-manager.conf /etc/crio/crio.conf.d/50-crun.conf");
    assertTrue(conf.contains("cgroup_manager = \"systemd\""), conf);
    assertTrue(conf.contains("default_runtime = \"crun\""), conf);
    assertTrue(conf.contains("runtime_path = \"/usr/bin/crun\""), conf);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> initConfig(Node n) {
    List<Map<String, Object>> inits = calls(n, "init");
    assertFalse(inits.isEmpty(), "no kubeadm init on " + n.name());
    return (Map<String, Object>) inits.get(inits.size() - 1).get("config");
  }

  @Test
  @Order(1)
  void singleNodeSchedulesPodsOnTheControlPlane() {
    Node n1 = node(1);
    Run run = play(n1, List.of());
    assertEquals(0, run.exit(), run::toString);
    assertTrue(run.clean("node1") > 0, run::toString);
    assertNodeStack(n1, true);

    List<Map<String, Object>> inits = calls(n1, "init");
    assertEquals(1, inits.size(), "kubeadm init ran " + inits.size() + " times");
    assertEquals(List.of("--config", "/etc/kubernetes/kubeadm-config.yaml", "--ignore-preflight-errors=NumCPU,Mem"),
        inits.get(0).get("args"));
    Map<String, Object> config = initConfig(n1);
    assertEquals("v" + VERSION, config.get("kubernetesVersion"), "the version of the installed kubeadm");
    assertEquals("node1", config.get("name"));
    assertEquals("192.168.100.11", config.get("advertiseAddress"));
    assertEquals("192.168.100.11:6443", config.get("controlPlaneEndpoint"));
    assertEquals("10.244.0.0/16", config.get("podSubnet"));
    assertEquals("10.96.0.0/12", config.get("serviceSubnet"));
    assertEquals("unix:///var/run/crio/crio.sock", config.get("criSocket"));
    assertEquals("systemd", config.get("cgroupDriver"));
    assertEquals(root(n1, "sha256sum < /etc/kubernetes/admin.conf"), root(n1, "sha256sum < /root/.kube/config"));
    assertEquals("600", root(n1, "stat -c %a /root/.kube/config"));

    // The CNI applied, the control-plane taint removed, the worker label set: pods can run on the one node.
    List<Map<String, Object>> kubectl = recorded(n1, "kubectl.log");
    assertEquals(List.of(List.of("apply", "-f", CALICO),
        List.of("taint", "nodes", "node1", "node-role.kubernetes.io/control-plane:NoSchedule-"),
        List.of("label", "node", "node1", "node-role.kubernetes.io/worker=", "--overwrite")),
        kubectl.stream().map(k -> k.get("args")).toList());
    String node = root(n1, "cat /var/lib/k8s-standin/nodes/node1.json");
    assertTrue(node.contains("\"taints\": []"), node);
    assertTrue(node.contains("\"node-role.kubernetes.io/worker\": \"\""), node);
  }

  @Test
  @Order(2)
  void singleNodeSecondRunChangesNothing() {
    Node n1 = node(1);
    Run run = play(n1, List.of());
    assertEquals(0, run.exit(), run::toString);
    assertEquals(0, run.clean("node1"), run::toString);
    assertEquals(1, calls(n1, "init").size(), "kubeadm init ran again");
    assertTrue(root(n1, "cat /var/lib/k8s-standin/nodes/node1.json").contains("\"taints\": []"));
  }

  @Test
  @Order(3)
  void threeNodeClusterJoinsTheWorkers() {
    Node n1 = node(1);
    // node1 leaves its single-node cluster (as a user would before making a new one); the node stack stays.
    root(n1, "kubeadm reset -f");
    Run run = play(n1, List.of(node(2), node(3)));
    assertEquals(0, run.exit(), run::toString);
    for (Node n : nodes()) {
      assertTrue(run.clean(n.name()) > 0, run::toString);
      assertNodeStack(n, n.equals(n1));  // records: nodes() makes new ones on every call
    }
    Map<String, Object> config = initConfig(n1);
    assertEquals(2, calls(n1, "init").size(), "one init for the single node, one for the cluster");
    assertEquals("192.168.100.11:6443", config.get("controlPlaneEndpoint"));
    // Not a single node: the control plane keeps its taint, and nobody labels it a worker.
    String cp = root(n1, "cat /var/lib/k8s-standin/nodes/node1.json");
    assertTrue(cp.contains("node-role.kubernetes.io/control-plane:NoSchedule"), cp);
    assertFalse(cp.contains("node-role.kubernetes.io/worker"), cp);

    // One join command, made once on the control plane (delegated) for both workers.
    List<Map<String, Object>> created = calls(n1, "token create");
    assertEquals(1, created.size(), "kubeadm token create ran " + created.size() + " times");
    String caHash = root(n1, "python3 -c 'import json; print(json.load(open(\"/var/lib/k8s-standin/cluster.json\"))"
        + "[\"caCertHash\"])'");
    List<Map<String, Object>> tokens = recorded(n1, "tokens.log");
    for (Node w : List.of(node(2), node(3))) {
      List<Map<String, Object>> joins = calls(w, "join");
      assertEquals(1, joins.size(), w.name() + " joined " + joins.size() + " times");
      Map<String, Object> join = joins.get(0);
      assertEquals("192.168.100.11:6443", join.get("endpoint"));
      assertEquals("sha256:" + caHash, join.get("caCertHash"));
      assertEquals(w.name(), join.get("nodeName"));
      assertTrue(tokens.contains(Map.of("token", join.get("token"), "by", "token create")),
          "the token of " + w.name() + " is not one the control plane made: " + tokens);
      List<?> args = (List<?>) join.get("args");
      assertTrue(args.contains("--cri-socket") && args.contains("unix:///var/run/crio/crio.sock"), args::toString);
      assertTrue(args.contains("--ignore-preflight-errors=NumCPU,Mem"), args::toString);
      assertEquals("0", root(w, "test -s /etc/kubernetes/kubelet.conf; echo $?"));
      assertEquals(1, sh(w, "test -e /etc/kubernetes/admin.conf").exit(), "a worker has no admin.conf");
      assertTrue(calls(w, "init").isEmpty(), "kubeadm init ran on worker " + w.name());
    }
  }

  @Test
  @Order(4)
  void clusterSecondRunChangesNothing() {
    Node n1 = node(1);
    Run run = play(n1, List.of(node(2), node(3)));
    assertEquals(0, run.exit(), run::toString);
    for (Node n : nodes()) {
      assertEquals(0, run.clean(n.name()), () -> n.name() + " changed:\n" + run);
    }
    assertEquals(1, calls(n1, "token create").size(), "a join token was made though every worker had joined");
    for (Node w : List.of(node(2), node(3))) {
      assertEquals(1, calls(w, "join").size(), w.name() + " joined again");
    }
  }

  @Test
  @Order(5)
  void anUnreachableWorkerLeavesTheOthersRunning() throws IOException, InterruptedException {
    String stop = System.getenv("JPLAY_LAB_STOP");
    if (stop == null) {
      throw new IllegalStateException("JPLAY_LAB_STOP is not set: run this test through e2e/k8s/run.sh");
    }
    Process p = new ProcessBuilder(stop, "node3").inheritIO().start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "could not stop node3");
    Run run = play(node(1), List.of(node(2), node(3)));
    assertEquals(4, run.exit(), run::toString);
    int[] n3 = run.recap("node3");
    assertEquals(1, n3[2], run::toString);
    assertEquals(0, n3[3], run::toString);
    assertTrue(run.out().contains("fatal: [node3]: UNREACHABLE!"), run::toString);
    // The others run every play to the end (as on the second run: nothing to change) instead of stopping.
    assertEquals(0, run.clean("node1"), run::toString);
    assertEquals(0, run.clean("node2"), run::toString);
    assertTrue(run.out().contains("PLAY [Workers]"), run::toString);
    assertTrue(run.recap("node2")[0] >= 20, run::toString);
  }
}
