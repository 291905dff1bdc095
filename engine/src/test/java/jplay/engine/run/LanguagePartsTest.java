package jplay.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.ModuleException;
import jplay.engine.playbook.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts of the language runtime, each against what Ansible 2.14 does. */
class LanguagePartsTest {
  @Test
  void itemLabelsAsPythonPrintsThem() {
    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("key", "x");
    kv.put("value", 1);
    assertEquals("{'key': 'x', 'value': 1}", PyRepr.str(kv));
    assertEquals("plain", PyRepr.str("plain"));
    assertEquals("[0, 'x', None, True, \"it's\"]", PyRepr.str(Arrays.asList(0, "x", null, true, "it's")));
    assertEquals("['a\\nb']", PyRepr.str(List.of("a\nb")));
  }

  @Test
  void sequencesAsWithSequence() {
    assertEquals(List.of("1", "2", "3"), Loops.sequence("start=1 end=3"));
    assertEquals(List.of("n02", "n04"), Loops.sequence("start=2 count=2 stride=2 format=n%02d"));
    assertEquals(List.of("4", "5"), Loops.sequence("4-5"));
    assertEquals(List.of("1", "2"), Loops.sequence("2"));
    assertEquals(List.of("0x0a", "0x0c"), Loops.sequence("10-12/2:0x%02x"));
    assertEquals(List.of("5", "3", "1"), Loops.sequence("start=5 end=1 stride=-2"));
    assertEquals(List.of(), Loops.sequence("count=0"));
    ModuleException e = assertThrows(ModuleException.class, () -> Loops.sequence("start=5 end=1"));
    assertEquals("with_sequence: to count backwards make stride negative", e.getMessage());
    e = assertThrows(ModuleException.class, () -> Loops.sequence("start=1"));
    assertEquals("with_sequence: must specify count or end in with_sequence", e.getMessage());
  }

  @Test
  void tagSelectionAsAnsiblesEvaluateTags() {
    Tags all = Tags.ALL;
    assertTrue(all.selects(List.of()));
    assertTrue(all.selects(List.of("x")));
    assertFalse(all.selects(List.of("never")));
    assertTrue(all.selects(List.of("never", "always")));
    Tags x = new Tags(List.of("x,y"), List.of());
    assertTrue(x.selects(List.of("y")));
    assertFalse(x.selects(List.of("z")));
    assertTrue(x.selects(List.of("always")));
    assertTrue(new Tags(List.of("never"), List.of()).selects(List.of("never")));
    assertTrue(new Tags(List.of("untagged"), List.of()).selects(List.of()));
    assertFalse(new Tags(List.of("untagged"), List.of()).selects(List.of("a")));
    assertTrue(new Tags(List.of("tagged"), List.of()).selects(List.of("a")));
    assertFalse(new Tags(List.of(), List.of("always")).selects(List.of("always")));
    assertTrue(new Tags(List.of(), List.of("all")).selects(List.of("always")));
    assertFalse(new Tags(List.of(), List.of("all")).selects(List.of("a")));
    assertFalse(new Tags(List.of(), List.of("tagged")).selects(List.of("a")));
    assertFalse(new Tags(List.of(), List.of("untagged")).selects(List.of()));
  }

  @Test
  void globsAsFnmatch() {
    assertTrue(Glob.matches("in*", "in b"));
    assertTrue(Glob.matches("web : ins?all", "web : install"));
    assertTrue(Glob.matches("[ab]x", "bx"));
    assertFalse(Glob.matches("[!ab]x", "bx"));
    assertFalse(Glob.matches("a.c", "abc"), "a dot is a dot");
  }

  @Test
  void controllerFilesAreFoundInRoleThenTaskThenPlaybookFolders(@TempDir Path dir) throws Exception {
    Path role = Files.createDirectories(dir.resolve("roles/web"));
    Files.createDirectories(role.resolve("files"));
    Files.createDirectories(role.resolve("templates"));
    Files.writeString(role.resolve("files/a.conf"), "files");
    Files.writeString(role.resolve("templates/a.conf"), "templates");
    Files.writeString(dir.resolve("b.conf"), "playbook");
    List<Path> bases = List.of(role, role.resolve("tasks"), dir);
    assertEquals(role.resolve("files/a.conf"), context(bases, "copy").localPath("a.conf"));
    assertEquals(role.resolve("templates/a.conf"), context(bases, "template").localPath("a.conf"));
    assertEquals(dir.resolve("b.conf"), context(bases, "copy").localPath("b.conf"));
    assertEquals(role.resolve("files/missing"), context(bases, "copy").localPath("missing"),
        "not found: the first place looked at, for the error message");
    assertEquals(Path.of("/etc/hosts"), context(bases, "copy").localPath("/etc/hosts"));
  }

  private static TaskContext context(List<Path> bases, String module) {
    return new TaskContext(null, "h", null, null, null, Map.of(), null, false, false, Map.of(), null, bases, module, 0, null);
  }

  @Test
  void exitCodeComesFromTheHostsFinalState() {
    RunSummary forgiven = new RunSummary(Map.of(), false, java.util.Set.of(), java.util.Set.of());
    assertEquals(0, forgiven.exitCode());
    assertEquals(2, new RunSummary(Map.of(), false, java.util.Set.of("h1"), java.util.Set.of()).exitCode());
    assertEquals(4, new RunSummary(Map.of(), false, java.util.Set.of("h1"), java.util.Set.of("h2")).exitCode());
    assertEquals(99, new RunSummary(Map.of(), true, java.util.Set.of("h1"), java.util.Set.of()).exitCode());
  }
}
