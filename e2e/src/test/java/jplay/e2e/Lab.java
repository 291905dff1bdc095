package jplay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.cli.Main;

/**
 * The booted lab VM, as e2e/run.sh describes it in the environment: {@code JPLAY_LAB_PORT} (ssh on 127.0.0.1)
 * and {@code JPLAY_LAB_KEY} (the key of root, jplay and jplaypw). Two ways in, kept apart on purpose:
 * {@link #play} runs the real jplay command line (in-process) against the VM; {@link #sh} checks the VM's state
 * with OpenSSH's own ssh client as root, independent of jplay.
 */
final class Lab {
  static final String HOST = "lab";
  /** The password of the sudo user "jplaypw" (set by e2e/lab/build-image.sh). */
  static final String JPLAYPW_PASSWORD = "jplaypw";

  private static final Pattern RECAP = Pattern.compile(
      "^lab\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)", Pattern.MULTILINE);

  private Lab() {}

  static int port() {
    String port = System.getenv("JPLAY_LAB_PORT");
    if (port == null || port.isBlank()) {
      // Not a skip: the lab profile means "there is a VM"; without one the run is broken and must say so.
      throw new IllegalStateException("JPLAY_LAB_PORT is not set: run the lab suite through e2e/run.sh, which boots"
          + " the VM and sets JPLAY_LAB_PORT and JPLAY_LAB_KEY");
    }
    return Integer.parseInt(port.strip());
  }

  static Path key() {
    String key = System.getenv("JPLAY_LAB_KEY");
    if (key == null || key.isBlank() || !Files.isReadable(Path.of(key))) {
      throw new IllegalStateException("JPLAY_LAB_KEY does not name a readable ssh key: run e2e/run.sh");
    }
    return Path.of(key);
  }

  /** What a command printed and its exit code. */
  record Sh(int exit, String out) {
    String line() {
      return out.strip();
    }
  }

  /**
   * One OpenSSH master connection per test JVM, reused by every {@link #sh} (ControlMaster): a new login costs
   * 10 s and more on a loaded TCG guest, a command over the open connection about one second. Closed when the
   * JVM exits (and by ControlPersist a minute after its last use in any case).
   */
  private static final Path CONTROL = controlPath();

  private static Path controlPath() {
    Path path = Path.of(System.getProperty("java.io.tmpdir"), "jplay-e2e-ssh-" + ProcessHandle.current().pid());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        new ProcessBuilder("ssh", "-o", "ControlPath=" + path, "-O", "exit", "root@127.0.0.1")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
            .waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // nothing to close
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    return path;
  }

  /** Runs {@code command} as root on the VM with OpenSSH (not jplay); waits up to 5 minutes. */
  static Sh sh(String command) {
    List<String> cmd = List.of("ssh", "-i", key().toString(), "-p", Integer.toString(port()),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "BatchMode=yes", "-o", "ConnectTimeout=60", "-o", "ServerAliveInterval=15",
        "-o", "ControlMaster=auto", "-o", "ControlPath=" + CONTROL, "-o", "ControlPersist=60",
        "root@127.0.0.1", command);
    try {
      // Output to a file, not a pipe: the master ssh that ControlPersist forks off the first call may keep that
      // call's output open, and reading a pipe it holds would never end.
      Path out = Files.createTempFile("jplay-e2e-ssh", ".out");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("ssh command timed out: " + command);
      }
      String text = Files.readString(out);
      Files.delete(out);
      return new Sh(p.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }

  /** Runs {@code command} as root and returns its trimmed output; fails the test when it exits non-zero. */
  static String root(String command) {
    Sh r = sh(command);
    assertEquals(0, r.exit(), () -> "'" + command + "' failed on the VM:\n" + r.out());
    return r.line();
  }

  /** One jplay run: exit code, output, and the recap counts of host "lab". */
  record Run(int exit, String out, String err) {
    private Matcher recap() {
      Matcher m = RECAP.matcher(out);
      if (!m.find()) {
        throw new AssertionError("no recap line for lab in:\n" + this);
      }
      return m;
    }

    int changed() {
      return Integer.parseInt(recap().group(2));
    }

    int failed() {
      return Integer.parseInt(recap().group(4));
    }

    /** Asserts a clean run (exit 0, nothing failed or unreachable) that changed exactly {@code changed} tasks. */
    Run expect(int changed) {
      Matcher m = recap();
      assertEquals(0, exit, () -> "jplay failed:\n" + this);
      assertEquals("0", m.group(3), () -> "unreachable:\n" + this);
      assertEquals("0", m.group(4), () -> "failed tasks:\n" + this);
      assertEquals(changed, Integer.parseInt(m.group(2)), () -> "changed tasks:\n" + this);
      return this;
    }

    /** Asserts that the run failed and printed {@code message}. */
    Run expectFailure(String message) {
      assertTrue(exit != 0, () -> "expected a failure:\n" + this);
      assertTrue((out + err).contains(message), () -> "expected '" + message + "' in:\n" + this);
      return this;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  /** A playbook of one play on the VM, become root via the NOPASSWD user "jplay", with these tasks. */
  static String playbook(String tasks) {
    return playbook("", tasks);
  }

  /** As {@link #playbook(String)} with extra play keywords ({@code "  vars: ...\n"}) before the tasks. */
  static String playbook(String playExtra, String tasks) {
    StringBuilder b = new StringBuilder("- hosts: lab\n  gather_facts: false\n  become: true\n")
        .append(playExtra).append("  tasks:\n");
    for (String line : tasks.stripTrailing().split("\n", -1)) {
      b.append(line.isEmpty() ? "" : "    " + line).append('\n');
    }
    return b.toString();
  }

  /** Runs {@code jplay -i INVENTORY PLAYBOOK ARGS} in-process, as user "jplay". */
  static Run play(String playbook, String... args) {
    return playAs("jplay", playbook, args);
  }

  /** Runs the jplay command line in-process against the VM as ssh user {@code user}, on a fresh playbook file. */
  static Run playAs(String user, String playbook, String... args) {
    long start = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(InputStream.nullInputStream(), o, e, commandLine(user, playbook, args));
    }
    return log(user, playbook, args, start,
        new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
  }

  /**
   * Runs the built jar ({@code modules/target/jplay.jar}, as the {@code jplay} launcher does) in its own JVM with
   * {@code stdin} as its standard input: how a user answers -K from a pipe.
   */
  static Run playJar(String user, String stdin, String playbook, String... args) {
    Path jar = Path.of(System.getenv().getOrDefault("JPLAY_ROOT", ".."), "modules", "target", "jplay.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the reactor builds it (mvn -Plab verify -pl e2e -am)");
    }
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
    cmd.addAll(List.of(commandLine(user, playbook, args)));
    long start = System.nanoTime();
    try {
      Path errFile = Files.createTempFile("jplay-e2e", ".err");
      Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("jplay did not finish in 10 minutes");
      }
      return log(user, playbook, args, start, new Run(p.exitValue(), out, Files.readString(errFile)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String[] commandLine(String user, String playbook, String... args) {
    try {
      Path dir = Files.createTempDirectory("jplay-e2e");
      Path inventory = dir.resolve("hosts.ini");
      Files.writeString(inventory, HOST + " ansible_host=127.0.0.1 ansible_port=" + port() + " ansible_user=" + user
          + " ansible_ssh_private_key_file=" + key() + "\n");
      Path site = dir.resolve("site.yml");
      Files.writeString(site, playbook);
      List<String> all = new ArrayList<>(List.of("-i", inventory.toString(), site.toString(),
          "--host-key-checking", "off", "--color", "never", "--no-timing", "-T", "60"));
      all.addAll(List.of(args));
      return all.toArray(String[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The transcript of every run goes to the surefire report: what jplay printed is the evidence. */
  private static Run log(String user, String playbook, String[] args, long start, Run run) {
    System.out.printf("$ jplay site.yml %s   (ssh user %s, %.1f s)%n%s%s%n", String.join(" ", args), user,
        (System.nanoTime() - start) / 1e9, playbook, run);
    return run;
  }
}
