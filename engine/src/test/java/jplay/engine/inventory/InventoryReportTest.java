package jplay.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.api.Test;

/**
 * The reports against what the real {@code ansible-inventory} (ansible-core 2.14) printed for the same
 * inventories: the expected files under resources/inventory/expected/ were produced by
 * {@code expected/capture.sh} there (run it again to refresh them).
 */
class InventoryReportTest {
  private static String expected(String name) {
    return Fixtures.text("expected/" + name);
  }

  @Test
  void iniListGraphAndHostMatchAnsibleInventory() throws SourceException {
    InventoryReport report = new InventoryReport(Fixtures.load("ini/hosts"));
    assertEquals(expected("ini.list.json"), report.list());
    assertEquals(expected("ini.graph.txt"), report.graph("all"));
    assertEquals(expected("ini.graph-app.txt"), report.graph("app"));
    assertEquals(expected("ini.host-web1.json"), report.host("web1"));
    assertEquals(expected("ini.host-proxy.json"), report.host("proxy.example.com"));
  }

  @Test
  void yamlListAndGraphMatchAnsibleInventory() throws SourceException {
    InventoryReport report = new InventoryReport(Fixtures.load("yaml/hosts.yml"));
    assertEquals(expected("yaml.list.json"), report.list());
    assertEquals(expected("yaml.graph.txt"), report.graph("all"));
  }

  @Test
  void varsFilesBesideInventoryAndPlaybookMatchAnsibleInventory() throws SourceException {
    Inventory inv =
        Inventory.load(
            List.of(Fixtures.path("prec/inventory/hosts").toString()), Fixtures.path("prec/play"));
    InventoryReport report = new InventoryReport(inv);
    assertEquals(expected("prec.list.json"), report.list());
    assertEquals(expected("prec.graph.txt"), report.graph("all"));
  }

  @Test
  void directorySourceMatchesAnsibleInventory() throws SourceException {
    assertEquals(expected("dir.list.json"), new InventoryReport(Fixtures.load("dir")).list());
  }

  @Test
  void severalSourcesMergeAsAnsibleInventory() throws SourceException {
    InventoryReport report = new InventoryReport(Fixtures.load("patterns/hosts", "dir", "extra1,extra2:2200,"));
    assertEquals(expected("multi.list.json"), report.list());
    assertEquals(expected("patterns.graph.txt"), new InventoryReport(Fixtures.load("patterns/hosts")).graph("all"));
  }

  @Test
  void unknownGroupOrHostIsRejectedWithASuggestion() throws SourceException {
    InventoryReport report = new InventoryReport(Fixtures.load("patterns/hosts"));
    assertEquals(
        "no group named 'lef1' to draw (did you mean 'leaf1'?)",
        assertThrows(IllegalArgumentException.class, () -> report.graph("lef1")).getMessage());
    assertEquals(
        "no host named 'l1c' in the inventory (did you mean 'l1a'?)",
        assertThrows(IllegalArgumentException.class, () -> report.host("l1c")).getMessage());
  }

  @Test
  void emptyInventoryListsOnlyAll() {
    // ansible-inventory -i , --list
    assertEquals(
        "{\n    \"_meta\": {\n        \"hostvars\": {}\n    },\n    \"all\": {\n        \"children\": [\n"
            + "            \"ungrouped\"\n        ]\n    }\n}",
        new InventoryReport(Inventory.empty()).list());
  }
}
