package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import jplay.engine.playbook.Listing;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Tags;
import jplay.engine.run.PlaybookRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --tags, --skip-tags (always, never, tagged, untagged, inherited from plays, blocks and imports), the listings,
 * --start-at-task and --step, over SSH; the expected task lists are what ansible-playbook 2.14 ran for the same
 * playbook and options.
 */
class TagsTest {
  private static LangHosts hosts;
  private static Path site;

  @BeforeAll
  static void start(@TempDir Path dir) {
    hosts = new LangHosts(1, dir);
    hosts.write("inc.yml", "- name: included task\n  debug: msg=inc\n");
    site = hosts.write("tags.yml", """
        - hosts: h1
          gather_facts: false
          tags: play
          tasks:
            - name: untagged
              debug: msg=untagged
            - name: tagged a
              debug: msg=a
              tags: a
            - name: always
              debug: msg=always
              tags: always
            - name: never
              debug: msg=never
              tags: [never, debug]
            - name: block b
              tags: b
              block:
                - name: in b
                  debug: msg=b
            - import_tasks: inc.yml
              tags: imp
        """);
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
  }

  private static List<String> ran(List<String> only, List<String> skip) {
    LangHosts.Run run = hosts.runWith(site, o -> o.withTags(only, skip));
    assertEquals(0, run.exitCode(), run::toString);
    return tasks(run);
  }

  private static List<String> tasks(LangHosts.Run run) {
    return run.out().lines().filter(l -> l.startsWith("TASK ["))
        .map(l -> l.substring("TASK [".length(), l.indexOf(']'))).toList();
  }

  @Test
  void selectionAsAnsible() {
    assertEquals(List.of("untagged", "tagged a", "always", "in b", "included task"), ran(List.of(), List.of()));
    assertEquals(List.of("tagged a", "always"), ran(List.of("a"), List.of()));
    assertEquals(List.of("untagged", "tagged a", "in b", "included task"), ran(List.of(), List.of("always")));
    assertEquals(List.of("always", "never"), ran(List.of("debug"), List.of()));
    assertEquals(List.of("always"), ran(List.of("untagged"), List.of()));
    assertEquals(List.of("untagged", "tagged a", "always", "in b", "included task"), ran(List.of("tagged"), List.of()));
    assertEquals(List.of(), ran(List.of(), List.of("play")));
    assertEquals(List.of("always", "included task"), ran(List.of("imp"), List.of()));
    assertEquals(List.of("always"), ran(List.of("b"), List.of("b")));
    assertEquals(List.of("tagged a", "always", "in b"), ran(List.of("a,b"), List.of()));
  }

  @Test
  void listingsAsAnsible() throws Exception {
    Play play = new PlaybookParser(ModuleRegistry.discover()).parse(site).plays().get(0);
    assertEquals(List.of("play"), Listing.playTags(play));
    assertEquals(List.of("a", "always", "b", "imp", "play"), Listing.tags(play, Tags.ALL));
    assertEquals(List.of(
        new Listing.Entry("untagged", List.of("play")),
        new Listing.Entry("tagged a", List.of("a", "play")),
        new Listing.Entry("always", List.of("always", "play")),
        new Listing.Entry("in b", List.of("b", "play")),
        new Listing.Entry("included task", List.of("imp", "play"))), Listing.tasks(play, Tags.ALL));
  }

  @Test
  void startAtTaskAndStep() {
    LangHosts.Run start = hosts.runWith(site, o -> o.withStart("in*", false));
    assertEquals(List.of("in b", "included task"), tasks(start));
    List<String> asked = new java.util.ArrayList<>();
    LangHosts.Run step = hosts.runWith(site, o -> o.withStart(null, true), r -> r.stepPrompt(task -> {
      asked.add(task);
      return switch (task) {
        case "untagged" -> PlaybookRunner.StepAnswer.NO;
        case "tagged a" -> PlaybookRunner.StepAnswer.YES;
        default -> PlaybookRunner.StepAnswer.CONTINUE;
      };
    }));
    assertEquals(List.of("untagged", "tagged a", "always"), asked);
    assertEquals(List.of("tagged a", "always", "in b", "included task"), tasks(step));
  }
}
