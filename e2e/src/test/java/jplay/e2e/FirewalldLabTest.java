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
 * firewalld against the VM's running firewalld (nftables backend): ports, port ranges, services, masquerade, a
 * rich rule and a source in another zone, permanent and runtime, checked with firewall-cmd's own listings of both
 * configurations; a permanent-only change shows in the runtime after firewall-cmd --reload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirewalldLabTest {
  private static final String RULE =
      "rule family=\"ipv4\" source address=\"192.168.100.0/24\" port port=\"10250\" protocol=\"tcp\" accept";
  private static final String SETTINGS = """
      - firewalld:
          port: [6443/tcp, 2379-2380/tcp]
          permanent: true
          immediate: true
          state: enabled
      - firewalld:
          service: http
          permanent: true
          immediate: true
          state: enabled
      - firewalld:
          masquerade: "true"
          permanent: true
          immediate: true
          state: enabled
      - firewalld:
          rich_rule: 'RULE'
          permanent: true
          immediate: true
          state: enabled
      - firewalld:
          zone: trusted
          source: 192.168.100.0/24
          permanent: true
          immediate: true
          state: enabled
      """.replace("RULE", RULE);

  @BeforeAll
  static void firewalldRuns() {
    assertEquals("running", root("firewall-cmd --state"));
    assertEquals("public", root("firewall-cmd --get-default-zone"));
    cleanUp();
    assertEquals(empty(), both());
  }

  /**
   * Removes every setting this test makes from the permanent configuration, one firewall-cmd call each (one call
   * with several would stop at the first that is not there), then reloads so the runtime equals it.
   */
  @AfterAll
  static void cleanUp() {
    root("for a in --remove-port=6443/tcp --remove-port=2379-2380/tcp --remove-port=10250/tcp"
        + " --remove-port=30000/tcp --remove-service=http --remove-masquerade"
        + " '--remove-rich-rule=" + RULE + "'; do firewall-cmd -q --permanent \"$a\" 2>/dev/null; done;"
        + " firewall-cmd -q --permanent --zone=trusted --remove-source=192.168.100.0/24 2>/dev/null;"
        + " firewall-cmd -q --reload");
  }

  /**
   * The settings this test touches, in the runtime and the permanent configuration, one line each, from
   * firewall-cmd --list-all of the default zone and the trusted zone's sources (four firewall-cmd calls: each
   * costs seconds on a TCG guest).
   */
  private static String both() {
    String[] parts = root("exec 2>/dev/null; firewall-cmd --list-all; echo '##'; firewall-cmd --zone=trusted"
        + " --list-sources; echo '##'; firewall-cmd --permanent --list-all; echo '##';"
        + " firewall-cmd --permanent --zone=trusted --list-sources")
        .split("##\n?", -1);
    return "runtime: " + summary(parts[0], parts[1]) + "\n--permanent: " + summary(parts[2], parts[3]);
  }

  private static String summary(String listAll, String trusted) {
    java.util.Map<String, String> fields = new java.util.HashMap<>();
    int rich = 0;
    for (String line : listAll.split("\n")) {
      String l = line.strip();
      int colon = l.indexOf(':');
      if (l.startsWith("rule ")) {
        rich += l.contains("port=\"10250\"") ? 1 : 0;
      } else if (colon > 0) {
        fields.put(l.substring(0, colon), l.substring(colon + 1).strip());
      }
    }
    String ports = String.join(" ", new java.util.TreeSet<>(
        java.util.Arrays.asList(fields.getOrDefault("ports", "").split("\\s+")))).strip();
    int http = java.util.Arrays.asList(fields.getOrDefault("services", "").split("\\s+")).contains("http") ? 1 : 0;
    return "ports=" + ports + " services=" + http + " masquerade=" + fields.get("masquerade") + " rich=" + rich
        + " trusted=" + trusted.strip();
  }

  private static String empty() {
    return "runtime: ports= services=0 masquerade=no rich=0 trusted=\n"
        + "--permanent: ports= services=0 masquerade=no rich=0 trusted=";
  }

  @Test
  @Order(1)
  void checkModeReportsAndChangesNothing() {
    play(playbook(SETTINGS), "--check").expect(5);
    assertEquals(empty(), both());
  }

  @Test
  @Order(2)
  void permanentAndImmediateThenNoChange() {
    play(playbook(SETTINGS)).expect(5);
    String on = "ports=2379-2380/tcp 6443/tcp services=1 masquerade=yes rich=1 trusted=192.168.100.0/24";
    assertEquals("runtime: " + on + "\n--permanent: " + on, both());
    // The rules are in the kernel, not only in firewalld's books.
    assertEquals("1", root("nft list ruleset | grep -c 'tcp dport 6443 '"));
    play(playbook(SETTINGS)).expect(0);
  }

  @Test
  @Order(3)
  void permanentOnlyShowsAfterReloadRuntimeOnlyIsGoneAfterIt() {
    String site = playbook("""
        - firewalld:
            port: 10250/tcp
            permanent: true
            state: enabled
        - firewalld:
            port: 30000/tcp
            state: enabled
        """);
    play(site).expect(2);
    // --zone=public (the default zone): with a source bound to zone trusted, firewall-cmd 1.3 prints a warning about
    // operating on the default zone on STDOUT when no zone is named, in front of its answer.
    assertEquals("no yes", root("echo $(firewall-cmd --zone=public --query-port=10250/tcp 2>/dev/null | tail -n 1)"
        + " $(firewall-cmd --permanent --zone=public --query-port=10250/tcp 2>/dev/null | tail -n 1)"));
    assertEquals("yes no", root("echo $(firewall-cmd --zone=public --query-port=30000/tcp 2>/dev/null | tail -n 1)"
        + " $(firewall-cmd --permanent --zone=public --query-port=30000/tcp 2>/dev/null | tail -n 1)"));
    play(site).expect(0);
    root("firewall-cmd -q --reload");
    assertEquals("yes no", root("echo $(firewall-cmd --zone=public --query-port=10250/tcp 2>/dev/null | tail -n 1)"
        + " $(firewall-cmd --zone=public --query-port=30000/tcp 2>/dev/null | tail -n 1)"));
  }

  @Test
  @Order(4)
  void disabledRemovesFromBothThenNoChange() {
    String off = SETTINGS.replace("state: enabled", "state: disabled");
    play(playbook(off), "--check").expect(5);
    String on = "ports=10250/tcp 2379-2380/tcp 6443/tcp services=1 masquerade=yes rich=1 trusted=192.168.100.0/24";
    assertEquals("runtime: " + on + "\n--permanent: " + on, both());
    play(playbook(off)).expect(5);
    String left = "ports=10250/tcp services=0 masquerade=no rich=0 trusted=";
    assertEquals("runtime: " + left + "\n--permanent: " + left, both());
    play(playbook(off)).expect(0);
  }
}
