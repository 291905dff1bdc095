package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jplay inventory} through the command line, as ansible-inventory. */
class InventoryCliTest {
  @TempDir Path dir;
  Path hosts;

  @BeforeEach
  void write() throws IOException {
    hosts = dir.resolve("hosts");
    Files.writeString(hosts, "[web]\nw1 port=80\nw2\n[db]\nd1\n[prod:children]\nweb\n");
  }

  @Test
  void graph() {
    Cli r = Cli.run("inventory", "-i", hosts.toString(), "--graph");
    assertEquals(0, r.exitCode(), r::toString);
    // As ansible-inventory 2.14 prints it for the same file (groups sorted).
    assertEquals("@all:\n  |--@ungrouped:\n  |--@db:\n  |  |--d1\n  |--@prod:\n  |  |--@web:\n  |  |  |--w1\n"
        + "  |  |  |--w2\n", r.out());
  }

  @Test
  void graphOfOneGroup() {
    assertEquals("@web:\n  |--w1\n  |--w2\n", Cli.run("inventory", "-i", hosts.toString(), "--graph", "web").out());
  }

  @Test
  void listIsJsonWithGroupsAndHostvars() throws IOException {
    Cli r = Cli.run("inventory", "-i", hosts.toString(), "--list");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals("80", json.at("/_meta/hostvars/w1/port").asText());
    assertTrue(json.at("/all/children").toString().contains("\"prod\""), r.out());
    assertEquals("[\"w1\",\"w2\"]", json.at("/web/hosts").toString());
  }

  @Test
  void host() throws IOException {
    Cli r = Cli.run("inventory", "-i", hosts.toString(), "--host", "w1");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("{\"port\":80}", new ObjectMapper().readTree(r.out()).toString());
  }

  @Test
  void anUnknownHostOrGroupIsABadOptionWithDidYouMean() {
    Cli r = Cli.run("inventory", "-i", hosts.toString(), "--host", "w3");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! no host named 'w3' (did you mean 'w1'?)\n", r.err());
    r = Cli.run("inventory", "-i", hosts.toString(), "--graph", "wbe");
    assertEquals("ERROR! no group named 'wbe' (did you mean 'web'?)\n", r.err());
  }

  @Test
  void exactlyOneModeIsRequired() {
    Cli r = Cli.run("inventory", "-i", hosts.toString());
    assertEquals(5, r.exitCode());
    assertEquals(1, r.err().lines().count(), r.err());
  }
}
