package jplay.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jplay.engine.cli.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing options and JSON output of {@code jplay PLAYBOOK}, laid out as ansible-playbook's. */
class PlaybookCliTest {
  @TempDir Path dir;
  Path site;
  Path hosts;

  @BeforeEach
  void write() throws IOException {
    site = dir.resolve("site.yml");
    Files.writeString(site, """
        - name: first play
          hosts: web
          gather_facts: false
          tasks:
            - name: say hi
              debug: msg=hi
            - ping:
        - hosts: all
          tasks:
            - command: echo x
        """);
    hosts = dir.resolve("hosts");
    Files.writeString(hosts, "[web]\nh1\nh2\n[db]\nh3\n");
  }

  @Test
  void syntaxCheckNamesThePlaybook() {
    Cli r = Cli.run(site.toString(), "--syntax-check");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("\nplaybook: " + site + "\n", r.out());
  }

  /** The same text as ansible-playbook 2.14 prints, hosts in inventory order (Ansible's order varies). */
  @Test
  void listTasksAndHosts() {
    Cli r = Cli.run(site.toString(), "-i", hosts.toString(), "--list-tasks");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("""

        playbook: %s

          play #1 (web): first play\tTAGS: []
            tasks:
              say hi\tTAGS: []
              ping\tTAGS: []

          play #2 (all): all\tTAGS: []
            tasks:
              command\tTAGS: []
        """.formatted(site), r.out());
    r = Cli.run(site.toString(), "-i", hosts.toString(), "--list-hosts", "-l", "h1,h3");
    assertEquals("""

        playbook: %s

          play #1 (web): first play\tTAGS: []
            pattern: ['web']
            hosts (1):
              h1

          play #2 (all): all\tTAGS: []
            pattern: ['all']
            hosts (2):
              h1
              h3
        """.formatted(site), r.out());
  }

  @Test
  void jsonOutputIsOneEventPerLine() throws IOException {
    Path local = dir.resolve("local.yml");
    Files.writeString(local, """
        - hosts: localhost
          gather_facts: false
          tasks:
            - debug: msg=one
            - command: echo two
        """);
    Cli r = Cli.run(local.toString(), "--output", "json");
    assertEquals(0, r.exitCode(), r::toString);
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      events.add(mapper.readTree(line));
    }
    List<String> kinds = events.stream().map(e -> e.path("event").asText()).toList();
    assertEquals(List.of("playbook_start", "play_start", "task_start", "host_start", "host_result", "task_start",
        "host_start", "host_result", "run_end"), kinds, r.out());
    assertEquals("two", events.stream().filter(e -> e.toString().contains("\"stdout\"")).findFirst().orElseThrow()
        .findValue("stdout").asText(), r.out());
  }

  @Test
  void anUnknownModuleIsExitFourWithWhereAndWhatWasMeant() throws IOException {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "- hosts: all\n  tasks:\n    - fiel: path=/tmp/x\n");
    Cli r = Cli.run(bad.toString(), "--syntax-check");
    assertEquals(4, r.exitCode());
    assertTrue(r.err().startsWith("ERROR! " + bad + ":3:7: "), r.err());
    assertTrue(r.err().contains("'file'"), r.err());
  }
}
