package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jplay completion}: the script is generated from the command line model, and bash runs it. */
class CompletionTest {
  @TempDir static Path dir;
  static Path script;

  @BeforeAll
  static void generate() throws Exception {
    Cli r = Cli.run("completion", "bash");
    assertEquals(0, r.exitCode(), r::toString);
    script = dir.resolve("jplay.bash");
    Files.writeString(script, r.out());
    Files.writeString(dir.resolve("hosts.ini"), "web1\n");
    Files.writeString(dir.resolve("site.yml"), "- hosts: all\n");
  }

  @Test
  void theBashScriptIsAsGeneratedAndBashParsesIt() throws Exception {
    Golden.check("cli/completion.bash", Files.readString(script));
    BashCompletion.assertParses(script);
  }

  @Test
  void zshGetsTheSameScriptWhichLoadsItThroughBashcompinit() {
    Cli zsh = Cli.run("completion", "zsh");
    assertEquals(0, zsh.exitCode(), zsh::toString);
    assertEquals(Cli.run("completion", "bash").out(), zsh.out());
    assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit"), zsh.out());
  }

  @Test
  void anotherShellIsABadOption() {
    Cli r = Cli.run("completion", "fish");
    assertEquals(5, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR! completion takes bash or zsh, not 'fish'\n"), r.err());
  }

  @Test
  void optionsAndCommandsComplete() throws Exception {
    assertEquals(List.of("--check"), BashCompletion.complete(script, dir, "jplay --ch"));
    assertEquals(List.of("inventory"), BashCompletion.complete(script, dir, "jplay inv"));
    assertEquals(List.of("--list"), BashCompletion.complete(script, dir, "jplay doc --li"));
    assertEquals(List.of("bash", "zsh"), BashCompletion.complete(script, dir, "jplay completion "));
    assertEquals(List.of("--one-line"), BashCompletion.complete(script, dir, "jplay adhoc all --one"));
  }

  @Test
  void playbooksAndInventoriesCompleteAsFiles() throws Exception {
    assertEquals(List.of("site.yml"), BashCompletion.complete(script, dir, "jplay si"));
    assertEquals(List.of("hosts.ini"), BashCompletion.complete(script, dir, "jplay site.yml -i ho"));
    assertEquals(List.of("hosts.ini"), BashCompletion.complete(script, dir, "jplay adhoc all --inventory h"));
  }

  @Test
  void zshLoadsTheScriptThroughBashcompinitAndGetsTheSameCandidates() throws Exception {
    Path zsh = dir.resolve("jplay.zsh");
    Files.writeString(zsh, Cli.run("completion", "zsh").out());
    List<String> options = BashCompletion.completeInZsh(zsh, dir, "jplay --ch");
    assertEquals("registered: _bash_complete -F _complete_jplay -o default", options.get(0));
    // zsh matches what was typed itself: the function offers every option of the command.
    assertTrue(options.containsAll(List.of("--check", "--junit", "--inventory")), options::toString);
    assertEquals(List.of("registered: _bash_complete -F _complete_jplay -o default", "bash", "zsh"),
        BashCompletion.completeInZsh(zsh, dir, "jplay completion "));
    assertTrue(BashCompletion.completeInZsh(zsh, dir, "jplay -i h").contains("hosts.ini"));
  }
}
