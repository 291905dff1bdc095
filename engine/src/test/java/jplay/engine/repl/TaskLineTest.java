package jplay.engine.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Task;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceException;
import org.junit.jupiter.api.Test;

/** A module call on one line, as k=v or a YAML mapping, checked against the spec before any host is contacted. */
class TaskLineTest {
  final ModuleRegistry modules = Modules.registry();
  final PlaybookParser parser = new PlaybookParser(modules);

  private Task task(String module, String args) throws SourceException {
    return TaskLine.task(parser, modules, module, args, Mark.of("-a"));
  }

  @Test
  void keyValueAndYamlGiveTheSameTask() throws SourceException {
    assertEquals(Map.of("name", "sshd", "state", "started"), task("service", "name=sshd state=started").args());
    assertEquals(Map.of("name", "sshd", "state", "started"), task("service", "{name: sshd, state: started}").args());
    assertEquals(Map.of("name", "sshd", "enabled", true), task("ansible.builtin.service", "{name: sshd, enabled: yes}")
        .args());
    assertEquals("service", task("ansible.builtin.service", "name=x").module());
  }

  @Test
  void freeFormText() throws SourceException {
    assertEquals(Map.of("_raw_params", "echo hi | wc -c", "chdir", "/tmp"),
        task("shell", "echo hi | wc -c chdir=/tmp").args());
  }

  @Test
  void templatesAreLeftForEachHost() throws SourceException {
    assertEquals(Map.of("name", "{{ svc }}", "state", "{{ wanted }}"), task("service", "{name: '{{ svc }}', state: '{{ wanted }}'}").args());
  }

  @Test
  void mistakesSayWhatWouldBeRight() {
    assertEquals("-a: unknown parameter 'stat' for service (did you mean 'state'?)",
        assertThrows(SourceException.class, () -> task("service", "{name: x, stat: started}")).errors().get(0)
            .toString());
    assertEquals("-a:1:2: a mapping key must be a plain value, not a list or mapping",
        assertThrows(SourceException.class, () -> task("service", "{[1, 2]}")).errors().get(0).toString());
    assertEquals("-a: unknown module 'servce' (did you mean 'service'?)",
        assertThrows(SourceException.class, () -> task("servce", "{}")).errors().get(0).toString());
  }

  @Test
  void aPlayOfOneTaskGathersNoFacts() throws SourceException {
    Play p = TaskLine.play("web", task("service", "name=x"), Map.of("become", true));
    assertEquals(TaskLine.PLAY_NAME, p.name());
    assertEquals("web", p.hosts());
    assertEquals(false, p.keywords().get("gather_facts"));
    assertEquals(true, p.keywords().get("become"));
    assertEquals(List.of("service"), p.tasks().stream().map(Task::module).toList());
    assertEquals("last", TaskLine.withKeywords(p.tasks().get(0), Map.of("register", "last")).keywords().get("register"));
  }
}
