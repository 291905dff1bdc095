package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into real runs against real loopback sshd hosts: a connection killed in the middle of a task, a
 * host's sshd stopped between tasks, a connection dropped between tasks (re-established), a command that hangs
 * (task {@code timeout:} and {@code --task-timeout}), SIGTERM and SIGINT to a jplay process. Every fault checks the
 * recap, the exit code and that nothing is left running on the target (loopback: the target is this machine, so
 * {@code pgrep} sees it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultsRealTest {
  @TempDir static Path work;
  private static Sshd sshd;
  private static Path inventory;

  @BeforeAll
  static void start() throws IOException {
    sshd = Sshd.start(3);
    // The sshd user (root in CI) must be able to write here.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    inventory = sshd.inventory(work.resolve("inv"));
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  /** A sleep no other process on this machine runs: its argument is unique to this call. */
  private static String uniqueSleep() {
    return "3" + ThreadLocalRandom.current().nextInt(100, 999) + "." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
  }

  private static Path playbook(String name, String yaml) throws IOException {
    Path p = work.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  private static List<String> args(Path playbook, Path inv, Path knownHosts, String... more) {
    List<String> a = new ArrayList<>(List.of(playbook.toString(), "-i", inv.toString(), "--known-hosts",
        knownHosts.toString(), "--color", "never", "--no-timing"));
    a.addAll(List.of(more));
    return a;
  }

  private static List<String> args(Path playbook, String... more) {
    return args(playbook, inventory, sshd.knownHosts(), more);
  }

  /** Processes on this machine (the target) whose command line contains {@code text}, as pgrep -f sees them. */
  static List<String> pgrep(String text) {
    try {
      // pgrep takes an extended regular expression: only the dots of the sleep's argument need escaping.
      Process p = new ProcessBuilder("pgrep", "-a", "-f", "--", text.replace(".", "[.]"))
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out.lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits up to {@code within} for no process to match {@code text}; returns what still matches. */
  static List<String> awaitGone(String text, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    List<String> left = pgrep(text);
    while (!left.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(100);
      left = pgrep(text);
    }
    return left;
  }

  /** The lines of {@code pgrep -a} whose process is {@code sleep <seconds>} itself. */
  static List<String> sleepsOnly(List<String> lines, String seconds) {
    return lines.stream().filter(l -> l.substring(l.indexOf(' ') + 1).equals("sleep " + seconds)).toList();
  }

  /** Waits up to {@code within} for a process to match {@code text}. */
  static ProcessHandle awaitProcess(String text, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      for (String line : pgrep(text)) {
        Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(line.substring(0, line.indexOf(' '))));
        if (p.isPresent()) {
          return p.get();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no process running '" + text + "' within " + within);
  }

  /** The per-connection sshd process serving {@code p}: its ancestor whose parent is the listening sshd. */
  static ProcessHandle sessionSshd(ProcessHandle p) {
    ProcessHandle at = p;
    while (true) {
      ProcessHandle parent = at.parent().orElseThrow(() -> new AssertionError("no sshd above " + p.pid()));
      if (parent.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false)) {
        return at;
      }
      at = parent;
    }
  }

  /** Kills an sshd session process and the sshd processes under it (not the commands), and waits for them. */
  static void killSession(ProcessHandle session) {
    List<ProcessHandle> sshds = new ArrayList<>(session.descendants()
        .filter(d -> cmdline(d).startsWith("sshd")).toList());
    sshds.add(0, session);
    sshds.forEach(ProcessHandle::destroyForcibly);
    sshds.forEach(h -> h.onExit().join());
  }

  /** From /proc: sshd rewrites its title, which ProcessHandle.Info then no longer parses. */
  static String cmdline(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void aConnectionKilledMidTaskMakesThatHostUnreachableAndTheOthersFinish() throws Exception {
    String sleep = uniqueSleep();
    Path site = playbook("midtask.yml", """
        - hosts: all_hosts
          gather_facts: false
          tasks:
            - name: long on h1, short elsewhere
              shell: "{{ 'sleep %s' if inventory_hostname == 'h1' else 'sleep 1' }}"
            - name: after
              command: "true"
        """.formatted(sleep));
    CompletableFuture<Jplay> run = CompletableFuture.supplyAsync(() -> Jplay.run(args(site)));
    ProcessHandle target = awaitProcess("sleep " + sleep, Duration.ofSeconds(30));
    killSession(sessionSshd(target));
    Jplay r = run.get(60, TimeUnit.SECONDS);
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.out().contains("fatal: [h1]: UNREACHABLE! => {\"changed\": false, \"msg\": \"connection to h1 ("
        + sshd.addresses().get(0) + ":" + sshd.port() + ") dropped while running a command: "), r::toString);
    assertEquals("h1 : ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0", r.recap("h1"));
    assertEquals("h2 : ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap("h2"));
    assertEquals("h3 : ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap("h3"));
    // The sleep itself was orphaned by the kill (nothing was left to tell it to stop): end it here.
    for (String line : pgrep("sleep " + sleep)) {
      ProcessHandle.of(Long.parseLong(line.substring(0, line.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void anSshdStoppedBetweenTasksMakesThatHostUnreachableWithTheCause() throws Exception {
    try (Sshd other = Sshd.start(1)) {
      Path inv = work.resolve("two-sshd.ini");
      Files.writeString(inv, Files.readString(inventory) + "[down]\nd1 ansible_host=" + other.addresses().get(0)
          + " ansible_port=" + other.port() + " ansible_user=" + other.user() + " ansible_ssh_private_key_file="
          + other.clientKey() + "\n");
      Path known = work.resolve("known-two");
      Files.writeString(known, Files.readString(sshd.knownHosts()) + Files.readString(other.knownHosts()));
      Path flag = work.resolve("stopped.flag");
      Path site = playbook("stopped.yml", """
          - hosts: all
            gather_facts: false
            tasks:
              - ping:
              - name: wait for the test to stop d1's sshd
                shell: "while [ ! -e %s ]; do sleep 0.1; done"
                timeout: 30
                when: inventory_hostname != 'd1'
              - name: after
                command: "true"
          """.formatted(flag));
      CompletableFuture<Jplay> run = CompletableFuture.supplyAsync(() -> Jplay.run(args(site, inv, known)));
      // Once the others wait, the first task is over everywhere (tasks run in lockstep).
      awaitProcess(flag.toString(), Duration.ofSeconds(30));
      other.down();
      Files.writeString(flag, "");
      Jplay r = run.get(60, TimeUnit.SECONDS);
      assertEquals(4, r.exitCode(), r::toString);
      assertTrue(r.out().contains("fatal: [d1]: UNREACHABLE! => {\"changed\": false, \"msg\": \"cannot connect to d1 ("
          + other.addresses().get(0) + ":" + other.port() + "): connection refused (is sshd running on that port?)\""),
          r::toString);
      assertEquals("d1 : ok=1 changed=0 unreachable=1 failed=0 skipped=1 rescued=0 ignored=0", r.recap("d1"));
      assertEquals("h2 : ok=3 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap("h2"));
    }
  }

  @Test
  void aConnectionDroppedBetweenTasksIsOpenedAgain() throws Exception {
    Path flag = work.resolve("dropped.flag");
    Path site = playbook("dropped.yml", """
        - hosts: all_hosts
          gather_facts: false
          tasks:
            - ping:
            - name: wait on h1 while the test drops every connection
              shell: "while [ ! -e %s ]; do sleep 0.1; done"
              when: inventory_hostname == 'h1'
              timeout: 30
            - name: after
              command: "true"
        """.formatted(flag));
    int before = sshd.loginCount();
    CompletableFuture<Jplay> run = CompletableFuture.supplyAsync(() -> Jplay.run(args(site)));
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sshd.loginCount() < before + 3 && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    // h2 and h3 are idle (their task is skipped); killing their sessions drops links between tasks.
    awaitProcess(flag.toString(), Duration.ofSeconds(30));
    for (ProcessHandle listener : ProcessHandle.current().children().filter(c -> cmdline(c).contains("sshd")).toList()) {
      for (ProcessHandle session : listener.children().toList()) {
        if (session.descendants().noneMatch(d -> cmdline(d).contains("dropped.flag"))) {
          killSession(session);
        }
      }
    }
    // Let the client see the end of the links before the next task.
    Thread.sleep(300);
    Files.writeString(flag, "");
    Jplay r = run.get(60, TimeUnit.SECONDS);
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("h2 : ok=2 changed=1 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", r.recap("h2"));
    assertEquals(before + 5, sshd.loginCount(), "h2 and h3 logged in again, once each");
  }

  @Test
  void connectionRetriesWaitForAnSshdThatComesBack() throws Exception {
    try (Sshd other = Sshd.start(1)) {
      Path inv = work.resolve("retry.ini");
      Files.writeString(inv, "d1 ansible_host=" + other.addresses().get(0) + " ansible_port=" + other.port()
          + " ansible_user=" + other.user() + " ansible_ssh_private_key_file=" + other.clientKey() + "\n");
      Path site = playbook("retry.yml", """
          - hosts: all
            gather_facts: false
            tasks:
              - ping:
          """);
      other.down();
      Jplay without = Jplay.run(args(site, inv, other.knownHosts()));
      assertEquals(4, without.exitCode(), without::toString);
      assertTrue(without.out().contains("connection refused"), without::toString);

      Thread back = new Thread(() -> {
        try {
          Thread.sleep(1500);
          other.restart();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      back.start();
      Jplay with = Jplay.run(args(site, inv, other.knownHosts(), "--connection-retries", "3"));
      back.join();
      assertEquals(0, with.exitCode(), with::toString);
      assertEquals("d1 : ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", with.recap("d1"));
    }
  }

  @Test
  void aTaskTimeoutEndsTheWholeProcessGroupOnTheTarget() throws Exception {
    String sleep = uniqueSleep();
    Path site = playbook("hang.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - name: hangs with a child in the background
              shell: "sleep %1$s & sleep %1$s; echo never"
              timeout: 2
            - name: not reached
              command: "true"
        """.formatted(sleep));
    long t0 = System.nanoTime();
    Jplay r = Jplay.run(args(site));
    long took = System.nanoTime() - t0;
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(took < Duration.ofSeconds(20).toNanos(), "bounded: " + took / 1_000_000 + " ms");
    assertTrue(r.out().contains("command timed out after 2 s"), r::toString);
    assertEquals("h1 : ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap("h1"));
    assertEquals(List.of(), awaitGone("sleep " + sleep, Duration.ofSeconds(5)), "no process left on the target");
  }

  @Test
  void taskTimeoutOptionAppliesToEveryTask() throws Exception {
    String sleep = uniqueSleep();
    Path site = playbook("hang2.yml", """
        - hosts: h2
          gather_facts: false
          tasks:
            - command: sleep %s
        """.formatted(sleep));
    Jplay r = Jplay.run(args(site, "--task-timeout", "1"));
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.out().contains("command timed out after 1 s"), r::toString);
    assertEquals(List.of(), awaitGone("sleep " + sleep, Duration.ofSeconds(5)), "no process left on the target");
  }

  @Test
  void sigtermStopsTheRunAndItsCommandsPrintsTheRecapAndExits99() throws Exception {
    interruptedBy("TERM");
  }

  @Test
  void sigintDoesTheSame() throws Exception {
    interruptedBy("INT");
  }

  private void interruptedBy(String signal) throws Exception {
    String sleep = uniqueSleep();
    Path marker = work.resolve("not-reached-" + signal);
    Path site = playbook("interrupt-" + signal + ".yml", """
        - hosts: all_hosts
          gather_facts: false
          tasks:
            - ping:
            - name: long
              shell: "sleep %1$s & sleep %1$s"
            - name: never starts
              file: path=%2$s state=touch
        """.formatted(sleep, marker));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "jplay.engine.cli.Main"));
    cmd.addAll(args(site));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    // All three hosts run the sleep (two processes each) before the signal comes. Only the sleeps
    // themselves count: a shell whose command line names the sleep comes and goes as it forks.
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<String> sleeps = sleepsOnly(pgrep("sleep " + sleep), sleep);
    while (sleeps.size() < 6 && System.nanoTime() < end) {
      Thread.sleep(100);
      sleeps = sleepsOnly(pgrep("sleep " + sleep), sleep);
    }
    assertEquals(6, sleeps.size(), "sleeps started: " + sleeps);
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jplay ended after SIG" + signal);
    String text = out.get(10, TimeUnit.SECONDS);
    assertEquals(99, p.exitValue(), text);
    assertTrue(text.contains("PLAY RECAP"), text);
    assertFalse(text.contains("TASK [never starts]"), text);
    assertFalse(Files.exists(marker));
    assertEquals(List.of(), awaitGone("sleep " + sleep, Duration.ofSeconds(5)),
        () -> "no orphan on the target\n" + text + "\n" + sshd.log());
  }
}
