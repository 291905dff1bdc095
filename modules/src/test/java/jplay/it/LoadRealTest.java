package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 hosts in one run: 13 real sshd (OpenSSH listens on at most 16 addresses each), every tenth host made to fail
 * (a task fails through a host variable) or to drop (its inventory port has nothing listening). Every host's
 * outcome must be right in the JSON events (every task result) and in the recap (the run_end event's stats),
 * within a bound of time.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LoadRealTest {
  private static final int HOSTS = 200;
  private static final int PER_SSHD = 16;
  @TempDir static Path work;
  private static final List<Sshd> sshds = new ArrayList<>();
  private static Path inventory;
  private static Path knownHosts;

  @BeforeAll
  static void start() throws IOException {
    StringBuilder ini = new StringBuilder("[fleet]\n");
    StringBuilder known = new StringBuilder();
    int n = 0;
    while (n < HOSTS) {
      Sshd s = Sshd.start(Math.min(PER_SSHD, HOSTS - n));
      sshds.add(s);
      known.append(Files.readString(s.knownHosts()));
      for (int i = 0; i < s.addresses().size(); i++, n++) {
        int port = kind(n) == Kind.DROP ? closedPort() : s.port();
        ini.append("n").append(n).append(" ansible_host=").append(s.addresses().get(i)).append(" ansible_port=")
            .append(port).append(" ansible_user=").append(s.user()).append(" ansible_ssh_private_key_file=")
            .append(s.clientKey()).append(kind(n) == Kind.FAIL ? " fail_here=true" : "").append('\n');
      }
    }
    inventory = work.resolve("fleet.ini");
    Files.writeString(inventory, ini);
    knownHosts = work.resolve("known_hosts");
    Files.writeString(knownHosts, known);
  }

  @AfterAll
  static void stop() {
    sshds.forEach(Sshd::close);
  }

  private enum Kind { OK, FAIL, DROP }

  /** Host n: every twentieth drops, every twentieth (offset by ten) fails; one in ten in all. */
  private static Kind kind(int n) {
    return n % 20 == 7 ? Kind.DROP : n % 20 == 17 ? Kind.FAIL : Kind.OK;
  }

  /** A loopback port nothing listens on (bound and released; 127.0.0.1 is not one of the hosts' addresses). */
  private static int closedPort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void twoHundredHostsEachWithTheRightOutcome() throws IOException {
    Path site = work.resolve("site.yml");
    Files.writeString(site, """
        - hosts: fleet
          gather_facts: false
          tasks:
            - name: reach
              ping:
            - name: fail where told
              command: "{{ '/bin/false' if fail_here | default(false) | bool else '/bin/true' }}"
              changed_when: false
            - name: after
              debug:
                msg: "{{ inventory_hostname }} done"
        """);
    List<String> common = List.of(site.toString(), "-i", inventory.toString(), "--known-hosts",
        knownHosts.toString(), "--color", "never", "--no-timing", "-f", "50", "-T", "20");
    List<String> json = new ArrayList<>(common);
    json.addAll(List.of("--output", "json"));
    // One run (200 handshakes cost about a minute and a half on two shared cores): its run_end event is the
    // recap, and the human recap comes from the same StatsCollector (see SshRunTest for the human layout).
    long t0 = System.nanoTime();
    Jplay events = Jplay.run(json);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(4, events.exitCode(), events::toString);
    Map<String, List<String>> statuses = new LinkedHashMap<>();
    Pattern result = Pattern.compile("\"event\": ?\"host_result\", \"host\": ?\"(n\\d+)\", \"task\": ?\"[^\"]*\", \"status\": ?\"(\\w+)\"");
    for (String line : events.out().split("\n")) {
      Matcher m = result.matcher(line);
      if (m.find()) {
        statuses.computeIfAbsent(m.group(1), h -> new ArrayList<>()).add(m.group(2));
      }
    }
    String end = events.out().lines().filter(l -> l.contains("\"run_end\"")).findFirst().orElseThrow();
    for (int n = 0; n < HOSTS; n++) {
      List<String> expected = switch (kind(n)) {
        case OK -> List.of("ok", "ok", "ok");
        case FAIL -> List.of("ok", "failed");
        case DROP -> List.of("unreachable");
      };
      assertEquals(expected, statuses.get("n" + n), "events of n" + n);
      String stats = switch (kind(n)) {
        case OK -> "\"ok\": 3, \"changed\": 0, \"unreachable\": 0, \"failed\": 0";
        case FAIL -> "\"ok\": 1, \"changed\": 0, \"unreachable\": 0, \"failed\": 1";
        case DROP -> "\"ok\": 0, \"changed\": 0, \"unreachable\": 1, \"failed\": 0";
      };
      assertTrue(end.contains("\"n" + n + "\": {" + stats), () -> "run_end stats of the host in " + end);
    }
    assertTrue(ms < TimeUnit.MINUTES.toMillis(3), "200 hosts took " + ms + " ms");
  }
}
