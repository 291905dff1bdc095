package jplay.engine.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PlaybookParserTest {
  private final PlaybookParser parser = new PlaybookParser(FakeModules.registry());
  private final Mark cli = Mark.of("command line");

  @Test
  void taskLineResolvesAliasesAndSplitsShorthand() throws SourceException {
    Task t = parser.parseTaskLine("ansible.builtin.file", "path=/tmp/x state=touch mode=0600", cli);
    assertEquals("file", t.module());
    assertEquals(Map.of("path", "/tmp/x", "state", "touch", "mode", "0600"), t.args());
    assertEquals(cli, t.argMarks().get("path"));
    assertEquals(cli, t.mark());
    assertEquals("file", t.displayName());
    assertTrue(t.keywords().isEmpty());
  }

  @Test
  void taskLineForFreeFormModuleKeepsTheCommandLine() throws SourceException {
    Task t = parser.parseTaskLine("command", "chdir=/tmp ls -l a=b", cli);
    assertEquals(Map.of("chdir", "/tmp", "_raw_params", "ls -l a=b"), t.args());
  }

  @Test
  void taskLineWithoutArgumentsHasNone() throws SourceException {
    assertEquals(Map.of(), parser.parseTaskLine("ping", null, cli).args());
    assertEquals(Map.of(), parser.parseTaskLine("ping", "  ", cli).args());
  }

  @Test
  void taskLineReportsEveryProblemAtTheGivenPlace() {
    SourceException e =
        assertThrows(SourceException.class, () -> parser.parseTaskLine("file", "stat=touch mode=abc", cli));
    assertEquals(
        "command line: unknown parameter 'stat' for file (did you mean 'state'?)\n"
            + "command line: value 'abc' of parameter 'mode' is not a file mode: give an octal string such as"
            + " '0644' or a symbolic mode such as 'u=rw,g=r,o=r'\n"
            + "command line: missing required parameter 'path' for file",
        e.getMessage());
  }

  @Test
  void taskLineWithUnknownModuleSuggestsOne() {
    SourceException e = assertThrows(SourceException.class, () -> parser.parseTaskLine("sytemd", "", cli));
    assertEquals("command line: unknown module 'sytemd' (did you mean 'systemd'?)", e.getMessage());
  }

  @Test
  void argumentMarksAnswerToCanonicalNamesToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.yml");
    Files.writeString(file, "- hosts: all\n  tasks:\n    - file:\n        dest: /tmp/x\n");
    Task t = parser.parse(file).plays().get(0).tasks().get(0);
    Mark written = new Mark(file.toString(), 4, 9);
    assertEquals(written, t.argMarks().get("dest"));
    assertEquals(written, t.argMarks().get("path"), "runtime errors name 'path'; they must point at 'dest'");
  }

  @Test
  void errorsNameTheFileAsGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("site.yml");
    Files.writeString(file, "- hosts: all\n  tasks:\n    - systemd:\n        name: crio\n        stat: started\n");
    SourceException e = assertThrows(SourceException.class, () -> parser.parse(file));
    assertEquals(
        file + ":3:7: systemd needs one of 'state', 'enabled', 'masked', 'daemon_reload'\n"
            + file + ":5:9: unknown parameter 'stat' for systemd (did you mean 'state'?)",
        e.getMessage());
  }

  @Test
  void missingFileIsOneClearError(@TempDir Path dir) {
    Path file = dir.resolve("nope.yml");
    SourceException e = assertThrows(SourceException.class, () -> parser.parse(file));
    assertEquals(file + ": cannot read: no such file", e.getMessage());
  }

  @Test
  void keywordTablesAreExposedInDocumentationOrder() {
    assertEquals(List.of("name", "hosts", "vars", "vars_files", "pre_tasks", "roles", "tasks"),
        PlaybookKeywords.play().subList(0, 7));
    assertEquals("name", PlaybookKeywords.task().get(0));
    assertTrue(PlaybookKeywords.task().containsAll(List.of("when", "register", "args", "changed_when")));
    assertEquals("a boolean (yes/no, true/false)", PlaybookKeywords.expected("become", false));
    assertEquals("a condition (a string, a boolean or a list of them)", PlaybookKeywords.expected("when", true));
    assertThrows(IllegalArgumentException.class, () -> PlaybookKeywords.expected("when", false));
  }

  @Test
  void noKeywordIsBothSupportedAndUnsupported() {
    List<String> clash = new ArrayList<>(PlaybookKeywords.play());
    clash.retainAll(PlaybookKeywords.unsupportedPlay());
    assertEquals(List.of(), clash);
    clash = new ArrayList<>(PlaybookKeywords.task());
    clash.retainAll(PlaybookKeywords.unsupportedTask());
    assertEquals(List.of(), clash);
  }

  @Test
  void ansibleKeywordsNotSupportedYetAreKnownAsSuch() {
    for (String k : List.of("async", "poll", "become_exe", "module_defaults", "with_nested", "with_subelements")) {
      assertTrue(PlaybookKeywords.taskUnsupported(k), k);
    }
    for (String k : List.of("vars_prompt", "module_defaults", "order")) {
      assertTrue(PlaybookKeywords.playUnsupported(k), k);
    }
    for (String k : List.of("loop", "notify", "until", "retries", "delay", "loop_control", "listen", "delegate_to",
        "run_once", "throttle", "with_items", "with_dict", "with_sequence")) {
      assertFalse(PlaybookKeywords.taskUnsupported(k), k);
    }
    for (String k : List.of("handlers", "roles", "pre_tasks", "post_tasks", "vars_files", "strategy", "gather_subset",
        "gather_timeout", "fact_path")) {
      assertFalse(PlaybookKeywords.playUnsupported(k), k);
      assertTrue(PlaybookKeywords.play().contains(k), k);
    }
    assertFalse(PlaybookKeywords.taskUnsupported("with_"), "a bare prefix is just an unknown key");
  }
}
