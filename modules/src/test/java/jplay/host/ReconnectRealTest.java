package jplay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiting through a host that goes away for real: the loopback sshd is killed (listener and sessions, so the
 * connection drops and new ones are refused) while a playbook runs, and started again on the same port.
 */
class ReconnectRealTest {
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

  /** Kills sshd's listener and its per-connection processes, as a host going down would. */
  static void killSshd(Sshd sshd) {
    String marker = sshd.dir().toString();
    List<ProcessHandle> listeners = ProcessHandle.current().children()
        .filter(p -> cmdline(p).contains(marker) && cmdline(p).contains("sshd"))
        .toList();
    assertEquals(1, listeners.size(), "the test's sshd among this JVM's children");
    ProcessHandle listener = listeners.get(0);
    // Only sshd's own processes: a command the host started (the fake reboot) lives on, as on a real host.
    listener.descendants().filter(p -> cmdline(p).startsWith("sshd")).forEach(ProcessHandle::destroyForcibly);
    listener.destroyForcibly();
    listener.onExit().join();
    assertFalse(Sshd.listening(sshd.addresses().get(0), sshd.port()), "sshd is down");
  }

  /** From /proc: sshd rewrites its title, which ProcessHandle.Info then no longer parses. */
  private static String cmdline(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** In the background: once {@code flag} exists, waits, kills sshd, and starts it again {@code downMs} later. */
  static Thread outage(Path flag, long downMs, AtomicReference<Throwable> failure) {
    Thread t = new Thread(() -> {
      try {
        while (!Files.exists(flag)) {
          Thread.sleep(50);
        }
        // Let the command that made the flag finish its channel before the connection goes.
        Thread.sleep(500);
        killSshd(lab.sshd);
        Thread.sleep(downMs);
        lab.sshd.restart();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "sshd-outage");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void waitForConnectionWaitsThroughAnSshdOutage() throws Exception {
    Path flag = lab.work.resolve("down-now");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread outage = outage(flag, 3000, failure);
    Lab.Run run = lab.play("outage.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: before
              command: echo before
            - name: go down
              command: touch %s
            - name: back
              wait_for_connection: {delay: 1, sleep: 1, connect_timeout: 2, timeout: 30}
            - name: after
              command: echo after
        """.formatted(flag));
    outage.join(20_000);
    assertEquals(null, failure.get(), "the outage thread failed");
    assertEquals(0, run.exitCode(), run::toString);
    Lab.Result back = run.of("h1", "back");
    assertEquals("ok", back.status(), run::toString);
    // Down for 3 s from 0.5 s into the task: the first attempts (after the 1 s delay) were refused.
    assertTrue((Integer) back.get("elapsed") >= 3, back.data()::toString);
    assertEquals("after\n", run.of("h1", "after").get("stdout") + "\n", run::toString);
  }

  @Test
  void waitForConnectionTimesOutWithoutMarkingTheHostUnreachable() throws Exception {
    killSshd(lab.sshd);
    try {
      Lab.Run run = lab.play("down.yml", """
          - hosts: h1
            gather_facts: no
            tasks:
              - name: never back
                wait_for_connection: {sleep: 1, connect_timeout: 1, timeout: 2}
                ignore_errors: true
              - name: still tried
                wait_for_connection: {timeout: 1}
                ignore_errors: true
          """);
      Lab.Result r = run.of("h1", "never back");
      assertEquals("failed", r.status(), run::toString);
      assertEquals("timed out waiting for ping module test: the host cannot be reached", r.msg());
      assertTrue((Integer) r.get("elapsed") >= 2, r.data()::toString);
      // A failed, not unreachable, host goes on to the next task.
      assertEquals("failed", run.of("h1", "still tried").status(), run::toString);
      assertEquals(0, run.exitCode(), run::toString);
    } finally {
      lab.sshd.restart();
    }
  }

  @Test
  void rebootRunsTheWholeLoopAgainstAFakeReboot() throws Exception {
    Path bin = lab.work.resolve("bin");
    Files.createDirectories(bin);
    Path bootId = lab.work.resolve("boot_id");
    Files.writeString(bootId, "first-boot\n");
    Path flag = lab.work.resolve("rebooting");
    Path script = bin.resolve("fake-reboot");
    // The "reboot": says it started, and writes a new boot id while the test keeps sshd down.
    Files.writeString(script, "#!/bin/sh\necho \"$*\" > " + lab.work.resolve("reboot-args") + "\ntouch " + flag
        + "\nsleep 1\necho second-boot > " + bootId + "\n");
    script.toFile().setExecutable(true, false);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread outage = outage(flag, 2000, failure);
    Lab.Run run = lab.play("reboot.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: reboot
              reboot:
                reboot_command: fake-reboot -r now
                search_paths: [/nonexistent, %s]
                boot_time_command: cat %s
                test_command: test -s %s
                connect_timeout: 2
                reboot_timeout: 30
              register: r
            - name: after
              command: cat %s
        """.formatted(bin, bootId, bootId, bootId));
    outage.join(20_000);
    assertEquals(null, failure.get(), "the outage thread failed");
    assertEquals(0, run.exitCode(), run::toString);
    Lab.Result r = run.of("h1", "reboot");
    assertEquals("changed", r.status(), run::toString);
    assertEquals(true, r.get("rebooted"));
    // Down for 2 s from 0.5 s after the command: at least the 1 s and 2 s backoff steps were waited.
    assertTrue((Integer) r.get("elapsed") >= 2, r.data()::toString);
    assertEquals("-r now\n", Files.readString(lab.work.resolve("reboot-args")));
    assertEquals("second-boot", run.of("h1", "after").get("stdout"), run::toString);
  }

  @Test
  void rebootFailures() throws Exception {
    Lab.Run run = lab.play("reboot-fail.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: no such program
              reboot: {reboot_command: no-such-reboot, search_paths: [/nonexistent]}
              ignore_errors: true
            - name: refused
              reboot: {reboot_command: /bin/sh -c 'echo not allowed >&2; exit 3', boot_time_command: echo one}
              ignore_errors: true
            - name: never comes back
              reboot: {reboot_command: /bin/true, boot_time_command: echo same, reboot_timeout: 2}
              ignore_errors: true
            - name: no boot id
              reboot: {boot_time_command: 'false'}
              ignore_errors: true
        """);
    assertEquals(0, run.exitCode(), run::toString);
    Lab.Result missing = run.of("h1", "no such program");
    assertEquals("Unable to find command \"no-such-reboot\" in search paths: ['/nonexistent']", missing.msg());
    assertEquals(false, missing.get("rebooted"));
    assertEquals("Reboot command failed. Error was: ', not allowed'", run.of("h1", "refused").msg(), run::toString);
    Lab.Result never = run.of("h1", "never comes back");
    assertEquals("failed", never.status());
    assertEquals("Timed out waiting for last boot time check (timeout=2)", never.msg());
    assertEquals(true, never.get("rebooted"));
    assertEquals("reboot: failed to get host boot time info, rc: 1, stdout: , stderr: ", run.of("h1", "no boot id").msg());
  }

  @Test
  void rebootInCheckModeRunsNothing() throws Exception {
    Path marker = lab.work.resolve("check-rebooted");
    Lab.Run run = lab.play("reboot-check.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: reboot
              reboot: {reboot_command: /bin/touch %s, boot_time_command: 'false'}
        """.formatted(marker), "--check");
    assertEquals(0, run.exitCode(), run::toString);
    Lab.Result r = run.of("h1", "reboot");
    assertEquals("changed", r.status(), run::toString);
    assertEquals(true, r.get("rebooted"));
    assertFalse(Files.exists(marker));
  }
}
