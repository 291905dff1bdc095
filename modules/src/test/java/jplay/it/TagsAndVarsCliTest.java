package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line options for tags, listing and extra-vars files, on the implicit localhost. */
class TagsAndVarsCliTest {
  private static final String PLAYBOOK = """
      - hosts: localhost
        gather_facts: false
        tags: [play]
        tasks:
          - name: web task
            debug: msg="web {{ who | default('nobody') }}"
            tags: web
          - name: db task
            debug: msg=db
            tags: [db, slow]
          - name: untagged task
            debug: msg=untagged
      """;

  @Test
  void tagsSelectAndSkipTasks(@TempDir Path dir) throws IOException {
    Path site = Files.writeString(dir.resolve("site.yml"), PLAYBOOK);
    Jplay web = Jplay.run(site.toString(), "--tags", "web", "--color", "never", "--no-timing");
    assertEquals(0, web.exitCode(), web::toString);
    assertTrue(web.out().contains("TASK [web task]"), web::toString);
    assertFalse(web.out().contains("TASK [db task]"), web::toString);
    assertFalse(web.out().contains("TASK [untagged task]"), web::toString);

    Jplay skip = Jplay.run(site.toString(), "--skip-tags", "slow,web", "--color", "never", "--no-timing");
    assertEquals(0, skip.exitCode(), skip::toString);
    assertFalse(skip.out().contains("TASK [web task]"), skip::toString);
    assertFalse(skip.out().contains("TASK [db task]"), skip::toString);
    assertTrue(skip.out().contains("TASK [untagged task]"), skip::toString);
  }

  @Test
  void listsTagsAndTasksAsAnsiblePlaybook(@TempDir Path dir) throws IOException {
    Path site = Files.writeString(dir.resolve("site.yml"), PLAYBOOK);
    Jplay tags = Jplay.run(site.toString(), "--list-tags");
    assertEquals(0, tags.exitCode(), tags::toString);
    // Layout as ansible-playbook 2.14 --list-tags prints it.
    assertEquals("\nplaybook: " + site + "\n\n  play #1 (localhost): localhost\tTAGS: [play]\n"
        + "      TASK TAGS: [db, play, slow, web]\n", tags.out());
    Jplay tasks = Jplay.run(site.toString(), "--list-tasks", "--tags", "db");
    assertEquals("\nplaybook: " + site + "\n\n  play #1 (localhost): localhost\tTAGS: [play]\n"
        + "    tasks:\n      db task\tTAGS: [db, play, slow]\n", tasks.out());
  }

  @Test
  void extraVarsComeFromAFile(@TempDir Path dir) throws IOException {
    Path site = Files.writeString(dir.resolve("site.yml"), PLAYBOOK);
    Path vars = Files.writeString(dir.resolve("vars.yml"), "who: alice\n");
    Jplay run = Jplay.run(site.toString(), "-e", "@" + vars, "--tags", "web", "--color", "never", "--no-timing");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("\"msg\": \"web alice\""), run::toString);
  }
}
