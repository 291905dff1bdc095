package jplay.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ansible's precedence over the prec/ fixture; every expectation here is what {@code ansible-inventory -i
 * prec/inventory/hosts --playbook-dir prec/play --host NAME} printed (ansible-core 2.14).
 */
class VarsPrecedenceTest {
  private static Inventory inv;

  @BeforeAll
  static void load() throws SourceException {
    inv = Inventory.load(List.of(Fixtures.path("prec/inventory/hosts").toString()), Fixtures.path("prec/play"));
  }

  @Test
  void hostInlineBeatsGroupsAndHostFilesBeatInline() {
    Map<String, Object> h1 = inv.hostVars("h1");
    assertEquals("host-inline", h1.get("lvl"));
    assertEquals("play-file", h1.get("hv")); // inline < host_vars/ beside inventory < host_vars/ beside playbook
    assertEquals("inventory", h1.get("hf"));
  }

  @Test
  void groupFilesBeatEveryInlineGroupVarEvenOfDeeperGroups() {
    // group_vars/parent/ (depth 1, a file) outranks [child:vars] (depth 2, inline): files are a later layer.
    assertEquals("parent-invfile", inv.hostVars("h2").get("lvl"));
    assertEquals("child-playfile", inv.hostVars("h2").get("cv"));
    assertEquals("play", inv.hostVars("h2").get("v_all_file"));
  }

  @Test
  void directoryOfVarsFilesMergesInSortedOrderSkippingHiddenAndOtherExtensions() {
    assertEquals("two", inv.hostVars("h1").get("d"));
    assertEquals(3, inv.hostVars("h2").get("n")); // prio_lo.json
  }

  @Test
  void sameDepthGroupsSortByPriorityThenName() {
    assertEquals("b", inv.hostVars("h2").get("tie"));
    assertEquals("hi", inv.hostVars("h2").get("prio"));
    assertEquals(10, inv.groups().get("prio_hi").priority());
    assertEquals(false, inv.groups().get("prio_hi").vars().containsKey("ansible_group_priority"));
  }

  @Test
  void implicitLocalhostGetsAllVarsAndItsHostVarsFiles() {
    assertEquals(
        Map.of(
            "ansible_connection", "ssh",
            "local_file", true,
            "lvl", "all-invfile",
            "v_all_file", "play",
            "v_all_inline", "inline"),
        inv.hostVars("localhost"));
    assertEquals(List.of(), inv.groupNames("localhost"));
  }

  @Test
  void groupNamesAreSortedWithAncestorsAndWithoutAll() {
    assertEquals(List.of("a_same", "b_same", "child", "parent", "prio_hi", "prio_lo"), inv.groupNames("h2"));
  }

  @Test
  void aVarsFileThatIsNoMappingIsAnError(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("hosts"), "[web]\nw1\n");
    Files.createDirectories(dir.resolve("group_vars"));
    Files.writeString(dir.resolve("group_vars/web.yml"), "# vars\n- a\n- b\n");
    SourceException e =
        assertThrows(SourceException.class, () -> Inventory.load(List.of(dir.resolve("hosts").toString()), null));
    assertEquals(
        dir.resolve("group_vars/web.yml") + ":2:1: a vars file holds a mapping of variable names to values, not a list",
        e.getMessage());
  }
}
