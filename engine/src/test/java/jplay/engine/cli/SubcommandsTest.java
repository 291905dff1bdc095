package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The playbook run builds its command line without the subcommands' models; everything else with them. */
class SubcommandsTest {
  @Test
  void onlyAPlainPlaybookRunGoesWithoutThem() {
    assertFalse(Main.needsSubcommands("site.yml", "-i", "hosts", "-l", "web"));
    assertFalse(Main.needsSubcommands("a.yaml", "b.yml", "--check", "--diff"));
    assertTrue(Main.needsSubcommands());
    assertTrue(Main.needsSubcommands("adhoc", "all", "-m", "ping"));
    assertTrue(Main.needsSubcommands("consle"));
    assertTrue(Main.needsSubcommands("-i", "hosts", "site.yml"));
    assertTrue(Main.needsSubcommands("site.yml", "--help"));
    assertTrue(Main.needsSubcommands("site.yml", "-h"));
    assertTrue(Main.needsSubcommands("site.yml", "vault"));
  }

  @Test
  void theModelWithThemListsEveryOneInOrder() {
    Io io = new Io(System.in, System.out, System.err);
    assertEquals(List.of("adhoc", "console", "inventory", "doc", "vault", "config", "completion"),
        List.copyOf(Main.model(io, true).getSubcommands().keySet()));
    assertEquals(PlaybookCommand.subcommandNames(), List.copyOf(Main.model(io, true).getSubcommands().keySet()));
    assertTrue(Main.model(io, false).getSubcommands().isEmpty());
  }

  @Test
  void aPlaybookRunStillSaysWhatIsWrong() {
    Cli r = Cli.run("nosuch.yml");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! the playbook nosuch.yml could not be found\n", r.err());
  }
}
