package jplay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wait_for's shell loop for real on the five hosts: the sshd's own port, a closed port, files, timeouts. */
class WaitForRealTest {
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

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void portsAndFiles() throws IOException {
    int closed = closedPort();
    Lab.Run run = lab.play("wait.yml", """
        - hosts: all_hosts
          gather_facts: no
          tasks:
            - name: sshd answers
              wait_for: {host: "{{ ansible_host }}", port: "{{ ansible_port }}", timeout: 10}
            - name: banner
              wait_for:
                host: "{{ ansible_host }}"
                port: "{{ ansible_port }}"
                search_regex: '^SSH-(?P<proto>[\\d.]+)-(\\S+)'
                timeout: 10
            - name: closed port is stopped
              wait_for: {port: %d, state: stopped, timeout: 10}
            - name: nothing to drain
              wait_for: {port: %d, state: drained, timeout: 10, exclude_hosts: ["10.0.0.1"]}
            - name: appears later
              shell: nohup sh -c 'sleep 2; echo "ready 42" > {{ work }}/ready-{{ inventory_hostname }}' >/dev/null 2>&1 &
            - name: wait for the line
              wait_for:
                path: "{{ work }}/ready-{{ inventory_hostname }}"
                search_regex: 'ready (\\d+)'
                timeout: 20
            - name: gone already
              wait_for: {path: "{{ work }}/never", state: absent, timeout: 5}
            - name: times out
              wait_for: {path: "{{ work }}/never", timeout: 2, sleep: 1}
              ignore_errors: true
            - name: own message
              wait_for: {port: %d, timeout: 1, msg: "port {{ inventory_hostname }} closed"}
              ignore_errors: true
        """.formatted(closed, closed, closed));
    assertEquals(0, run.exitCode(), run::toString);
    for (int i = 1; i <= 5; i++) {
      String h = "h" + i;
      assertEquals("ok", run.of(h, "sshd answers").status(), run::toString);
      Lab.Result banner = run.of(h, "banner");
      assertEquals("ok", banner.status(), run::toString);
      List<?> groups = (List<?>) banner.get("match_groups");
      assertEquals("2.0", groups.get(0));
      assertTrue(String.valueOf(groups.get(1)).startsWith("OpenSSH"), groups::toString);
      assertEquals(Map.of("proto", "2.0"), banner.get("match_groupdict"));
      assertEquals("ok", run.of(h, "closed port is stopped").status());
      assertEquals("ok", run.of(h, "nothing to drain").status());
      Lab.Result line = run.of(h, "wait for the line");
      assertEquals(List.of("42"), line.get("match_groups"), run::toString);
      // Whether it had to wait depends on the machine's load; that waiting works shows in "times out" below.
      assertEquals("ok", run.of(h, "gone already").status());
      Lab.Result timeout = run.of(h, "times out");
      assertEquals("failed", timeout.status());
      assertEquals("Timeout when waiting for file " + lab.work + "/never", timeout.msg());
      assertTrue((Integer) timeout.get("elapsed") >= 2, timeout.data()::toString);
      assertEquals("port " + h + " closed", run.of(h, "own message").msg());
    }
  }

  @Test
  void waitForConnectionAnswersOnEveryHost() {
    Lab.Run run = lab.play("wfc.yml", """
        - hosts: all_hosts
          gather_facts: no
          tasks:
            - name: up
              wait_for_connection: {delay: 1, timeout: 10}
        """);
    assertEquals(0, run.exitCode(), run::toString);
    for (int i = 1; i <= 5; i++) {
      Lab.Result r = run.of("h" + i, "up");
      assertEquals("ok", r.status(), run::toString);
      assertTrue((Integer) r.get("elapsed") >= 1, "delay counted in elapsed: " + r.data());
    }
  }

  @Test
  void checkModeSkips() {
    Lab.Run run = lab.play("wait-check.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: skipped
              wait_for: {timeout: 300}
        """, "--check");
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("skipped", run.of("h1", "skipped").status());
  }
}
