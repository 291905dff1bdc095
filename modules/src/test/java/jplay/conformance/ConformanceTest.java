package jplay.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jplay.engine.cli.Main;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance with Ansible: every folder under {@code conformance/} (but {@code known-differences/}) is a small
 * playbook ({@code site.yml}, with roles/, files/, templates/, host_vars/, group_vars/ beside it as needed) that
 * {@code ansible-playbook} and jplay both run against the same three loopback SSH hosts (h1, h2 in {@code web},
 * h3 in {@code db}). Each tool works in its own copy of the case, with {@code work} pointing at its own empty
 * directory. Compared: exit code, every {@code debug}/{@code assert} body per task and host, and the PLAY RECAP.
 *
 * <p>Optional files in a case: {@code args} (extra command-line arguments, whitespace-separated, {@code <work>}
 * for the run's directory), {@code rerun} (run a second time and require changed=0 on every host from both
 * tools: idempotence), {@code differs} (where jplay differs from Ansible on purpose, as documented: lines
 * {@code ANSIBLE => JPLAY} that rewrite Ansible's compared lines into what jplay must print instead ({@code \n}
 * for a line break), after
 * {@code #} comments that say why).
 *
 * <p>Ansible is started first and jplay runs in-process while it works, so a case costs about one Ansible run.
 */
class ConformanceTest {
  private static final Path ANSIBLE = Path.of("/usr/bin/ansible-playbook");
  private static final long ANSIBLE_TIMEOUT_SECONDS = 120;
  private static Sshd sshd;
  private static Path tmp;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    Sshd.require(Files.isExecutable(ANSIBLE),
        ANSIBLE + " not found: install Debian's ansible to run the conformance suite");
    sshd = Sshd.start(3);
    tmp = dir;
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  static Stream<String> cases() throws URISyntaxException, IOException {
    try (Stream<Path> dirs = Files.list(root())) {
      List<String> names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("known-differences")).filter(ConformanceTest::chosen).sorted().toList();
      return names.stream();
    }
  }

  /** {@code -Dconformance.only=a,b} runs only the named cases: one case while working on it. */
  private static boolean chosen(String name) {
    String only = System.getProperty("conformance.only", "");
    return only.isBlank() || List.of(only.split(",")).contains(name);
  }

  /**
   * The folder of cases: {@code conformance/}, or with {@code -Dconformance.cases=known-differences} the cases
   * that show bugs, to see whether a fix made one pass (then move it up).
   */
  private static Path root() throws URISyntaxException {
    Path base = Path.of(ConformanceTest.class.getResource("/conformance").toURI());
    return base.resolve(System.getProperty("conformance.cases", "."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void behavesAsAnsible(String name) throws Exception {
    Path source = root().resolve(name);
    assertTrue(Files.isRegularFile(source.resolve("site.yml")), name + ": no site.yml");
    Path caseDir = Files.createDirectories(tmp.resolve(name));
    Copy ansible = Copy.of(source, caseDir.resolve("ansible"), sshd);
    Copy jplay = Copy.of(source, caseDir.resolve("jplay"), sshd);
    boolean rerun = Files.exists(source.resolve("rerun"));

    List<String[]> differs = differs(source);
    Compared first = runBoth(ansible, jplay, differs);
    first.assertSame(name + " (first run)");
    if (rerun) {
      Compared second = runBoth(ansible, jplay, differs);
      second.assertSame(name + " (second run)");
      second.ansible.transcript.recap().forEach((host, numbers) ->
          assertTrue(numbers.contains(" changed=0 "), name + ": Ansible's second run changed " + host + ": "
              + numbers));
      second.jplay.transcript.recap().forEach((host, numbers) ->
          assertTrue(numbers.contains(" changed=0 "), name + ": jplay's second run changed " + host + ": "
              + numbers + "\n" + second.jplay.out));
    }
  }

  private static List<String[]> differs(Path source) throws IOException {
    Path file = source.resolve("differs");
    List<String[]> pairs = new ArrayList<>();
    if (!Files.exists(file)) {
      return pairs;
    }
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int arrow = line.indexOf(" => ");
      assertTrue(arrow > 0, source + "/differs: expected 'ANSIBLE => JPLAY', got: " + line);
      // "\n" stands for a line break: a difference may add or drop whole results.
      pairs.add(new String[] {line.substring(0, arrow).replace("\\n", "\n"),
          line.substring(arrow + 4).replace("\\n", "\n")});
    }
    return pairs;
  }

  private static Compared runBoth(Copy ansibleCopy, Copy jplayCopy, List<String[]> differs) throws Exception {
    Process process = ansibleCopy.startAnsible();
    Run j = jplayCopy.runJplay();
    Run a = ansibleCopy.finishAnsible(process);
    return new Compared(a, j, differs);
  }

  record Compared(Run ansible, Run jplay, List<String[]> differs) {
    void assertSame(String what) {
      assertFalse(ansible.transcript.recap().isEmpty(), what + ": Ansible printed no recap\n" + ansible.out
          + ansible.err);
      String expected = ansible.transcript.render();
      for (String[] pair : differs) {
        assertTrue(expected.contains(pair[0]), what + ": differs names a line Ansible no longer prints: "
            + pair[0] + "\n" + expected);
        expected = expected.replace(pair[0], pair[1]);
      }
      assertEquals(expected + "exit " + ansible.exit,
          jplay.transcript.render() + "exit " + jplay.exit,
          () -> what + ": jplay differs from Ansible\n--- Ansible's output\n" + ansible.out + ansible.err
              + "\n--- jplay's output\n" + jplay.out + jplay.err);
    }
  }

  record Run(int exit, String out, String err, Transcript transcript) {}

  /** One tool's private copy of a case: the playbook folder, an inventory, and an empty {@code work} dir. */
  record Copy(Path dir, Path work, Path inventory, List<String> args, Path home) {
    static Copy of(Path source, Path dir, Sshd sshd) throws IOException {
      copyTree(source, dir);
      Path work = Files.createDirectories(dir.resolve("work"));
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
      Path home = Files.createDirectories(dir.resolve("home"));
      StringBuilder ini = new StringBuilder();
      ini.append("[web]\n").append(host(sshd, 1)).append(host(sshd, 2));
      ini.append("[db]\n").append(host(sshd, 3));
      ini.append("[all:vars]\n")
          .append("ansible_user=").append(sshd.user()).append('\n')
          .append("ansible_ssh_private_key_file=").append(sshd.clientKey()).append('\n')
          .append("ansible_python_interpreter=/usr/bin/python3\n")
          .append("work=").append(work).append('\n');
      // In a folder of its own, so a case's host_vars/ and group_vars/ beside site.yml are read through the
      // playbook directory only, not a second time as the inventory's.
      Path inventory = Files.writeString(
          Files.createDirectories(dir.resolve("inventory")).resolve("hosts.ini"), ini.toString());
      List<String> args = new ArrayList<>();
      Path argsFile = source.resolve("args");
      if (Files.exists(argsFile)) {
        for (String a : Files.readString(argsFile).strip().split("\\s+")) {
          args.add(a.replace("<work>", work.toString()));
        }
      }
      return new Copy(dir, work, inventory, List.copyOf(args), home);
    }

    private static String host(Sshd sshd, int i) {
      return "h" + i + " ansible_host=" + sshd.addresses().get(i - 1) + " ansible_port=" + sshd.port() + "\n";
    }

    Process startAnsible() throws IOException {
      List<String> cmd = new ArrayList<>(List.of(ANSIBLE.toString(), "site.yml", "-i", inventory.toString(),
          "-f", "3"));
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
      env.put("ANSIBLE_NOCOLOR", "1");
      env.put("ANSIBLE_FORCE_COLOR", "0");
      env.put("ANSIBLE_HOME", home.toString());
      env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
      env.put("ANSIBLE_REMOTE_TEMP", home.resolve("remote-tmp").toString());
      env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
      env.put("ANSIBLE_LOCALHOST_WARNING", "False");
      env.put("ANSIBLE_DEPRECATION_WARNINGS", "False");
      env.put("ANSIBLE_PIPELINING", "True");
      env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", home.resolve("cp").toString());
      // The fixture's known_hosts, checked strictly: the same trust as jplay's --known-hosts.
      env.put("ANSIBLE_SSH_ARGS", "-o ControlMaster=auto -o ControlPersist=20s -o UserKnownHostsFile="
          + sshd.knownHosts() + " -o StrictHostKeyChecking=yes");
      pb.redirectOutput(dir.resolve("ansible.out").toFile());
      pb.redirectError(dir.resolve("ansible.err").toFile());
      return pb.start();
    }

    Run finishAnsible(Process process) throws IOException, InterruptedException {
      if (!process.waitFor(ANSIBLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("ansible-playbook took over " + ANSIBLE_TIMEOUT_SECONDS + "s in " + dir);
      }
      String out = Files.readString(dir.resolve("ansible.out"));
      String err = Files.readString(dir.resolve("ansible.err"));
      return new Run(process.exitValue(), out, err, Transcript.parse(out, work.toString()));
    }

    Run runJplay() {
      List<String> cmd = new ArrayList<>(List.of(dir.resolve("site.yml").toString(), "-i", inventory.toString(),
          "-f", "3", "--known-hosts", sshd.knownHosts().toString(), "--color", "never", "--no-timing"));
      cmd.addAll(args);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code;
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        code = Main.run(o, e, cmd.toArray(String[]::new));
      }
      String text = out.toString(StandardCharsets.UTF_8);
      return new Run(code, text, err.toString(StandardCharsets.UTF_8), Transcript.parse(text, work.toString()));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
