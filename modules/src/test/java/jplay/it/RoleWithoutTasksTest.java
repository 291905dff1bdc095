package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression: a role with only defaults was dropped from the play, and its defaults with it. */
class RoleWithoutTasksTest {
  @Test
  void aRoleWithOnlyDefaultsStillProvidesThem(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("roles/common/defaults"));
    Files.createDirectories(dir.resolve("roles/app/tasks"));
    Files.writeString(dir.resolve("roles/common/defaults/main.yml"), "shared_port: 8080\n");
    Files.writeString(dir.resolve("roles/app/tasks/main.yml"), "- debug: msg=\"port {{ shared_port }}\"\n");
    Path site = Files.writeString(dir.resolve("site.yml"),
        "- hosts: localhost\n  gather_facts: false\n  roles: [common, app]\n");
    Jplay run = Jplay.run(site.toString(), "--color", "never", "--no-timing");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("\"msg\": \"port 8080\""), run::toString);
  }
}
