package jplay.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPatternsTest {
  private static Inventory inventory;

  @BeforeAll
  static void load() throws SourceException {
    inventory = Fixtures.load("patterns/hosts");
  }

  /**
   * Each row: pattern | the hosts it selects. The expected column is what
   * {@code ansible -i patterns/hosts PATTERN --list-hosts} (ansible-core 2.14) printed, in its order.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "all|z1 m1 o1 o2 l1a l1b l2a",
        "*|z1 m1 o1 o2 l1a l1b l2a",
        "top|m1 o1 o2 l1a l1b l2a",
        "top[0]|m1",
        "top[-1]|l2a",
        "top[-2]|l1b",
        "top[1:3]|o1 o2 l1a",
        "top[2:]|o2 l1a l1b l2a",
        "top[0:0]|m1",
        "top[1-2]|o1 o2",
        "top[9]|",
        "top[1:99]|o1 o2 l1a l1b l2a",
        "l*|l1a l1b l2a",
        "l1?|l1a l1b",
        "*a|l1a l2a",
        "leaf[12]|",
        "leaf[!1]*|l2a",
        "~l[12]|l1a l1b l2a",
        "~^l1|l1a l1b",
        "~1|",
        "leaf*:!l1a|l1b l2a",
        "top:&leaf*|l1a l1b l2a",
        "!o1|z1 m1 o2 l1a l1b l2a",
        "&mid|m1 l1a l1b l2a",
        "o1,o2,o1|o1 o2",
        "o1:o2|o1 o2",
        "l1a:l1b|l1a l1b",
        "mid:!leaf1|m1 l2a",
        "all:!top|z1",
        "top:&other:!o2|o1",
        "mid:o1:&top|m1 l1a l1b l2a o1",
        "z1,~o.*|z1 o1 o2",
        "LEAF1|",
        "localhost|localhost",
        "127.0.0.1|127.0.0.1",
        "ungrouped|z1",
        "nosuch|",
        "leaf1[1],other[0]|l1b o1",
        " o1 , o2 |o1 o2",
      })
  void selectsWhatAnsibleSelects(String pattern, String expected) throws SourceException {
    List<String> names = inventory.select(pattern).stream().map(Host::name).toList();
    assertEquals(expected == null ? List.of() : List.of(expected.split(" ")), names);
  }

  @Test
  void implicitLocalhostIsLocalAndNotAnInventoryHost() throws SourceException {
    Host local = inventory.select("localhost").get(0);
    assertTrue(local.implicit());
    assertEquals("local", inventory.hostVars("localhost").get("ansible_connection"));
    assertTrue(inventory.select("all").stream().noneMatch(Host::implicit));
    assertEquals(Optional.empty(), inventory.host("localhost.localdomain"));
  }

  @Test
  void aDefinedLocalhostReplacesTheImplicitOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws SourceException {
    Inventory inv = Fixtures.inline(dir, "hosts", "localhost ansible_connection=ssh ansible_port=2200\n");
    Host h = inv.host("localhost").orElseThrow();
    assertEquals(false, h.implicit());
    assertEquals("ssh", inv.hostVars("localhost").get("ansible_connection"));
    // 127.0.0.1 resolves to the defined localhost, as Ansible does.
    assertEquals(h, inv.host("127.0.0.1").orElseThrow());
  }

  @Test
  void suggestsTheClosestNameForATermThatMatchesNothing() {
    assertEquals(Optional.of("leaf1"), inventory.suggest("lef1"));
    assertEquals(Optional.of("other"), inventory.suggest("top:&othr"));
    assertEquals(Optional.of("l2a"), inventory.suggest("mid:!l2x"));
    assertEquals(Optional.of("other"), inventory.suggest("ohter[0]"));
    assertEquals(Optional.empty(), inventory.suggest("top:leaf1"));
    assertEquals(Optional.empty(), inventory.suggest("completely-different"));
    assertEquals(Optional.empty(), inventory.suggest("top[9]"));
  }

  @Test
  void invalidRegexIsAUserError() {
    SourceException e = assertThrows(SourceException.class, () -> inventory.select("~l(1,o1"));
    assertTrue(e.getMessage().startsWith("host pattern: invalid regular expression in host pattern '~l(1'"), e.getMessage());
  }

  @Test
  void splitsLikeAnsible() {
    assertEquals(List.of("a", "b[1]", "c[2:3]", "d"), HostPatterns.split("a,b[1], c[2:3] , d"));
    assertEquals(List.of("web1:2222"), HostPatterns.split("web1:2222"));
    assertEquals(List.of("node[1:3]"), HostPatterns.split("node[1:3]"));
    assertEquals(List.of("fe80::1"), HostPatterns.split("fe80::1"));
    assertEquals(List.of("web", "&db", "!x[2:]"), HostPatterns.split("web:&db:!x[2:]"));
  }
}
