package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Help texts are what users read first: kept as exact strings (golden files under resources/cli/). */
class HelpTest {
  @ParameterizedTest
  @CsvSource({
    "jplay-help.txt, --help",
    "inventory-help.txt, inventory --help",
    "adhoc-help.txt, adhoc --help",
    "console-help.txt, console --help",
    "doc-help.txt, doc --help",
    "config-help.txt, config --help",
    "config-dump-help.txt, config dump --help",
  })
  void helpIsAsWritten(String golden, String args) {
    Cli r = Cli.run(args.split(" "));
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err());
    Golden.check("cli/" + golden, r.out());
  }

  @ParameterizedTest
  @CsvSource({"adhoc", "console", "jplay"})
  void theSharedRunOptionsAreDeclaredOnceAndOfferedEverywhere(String command) {
    Cli r = command.equals("jplay") ? Cli.run("--help") : Cli.run(command, "--help");
    for (String option : new String[] {"--inventory", "--limit", "--forks", "--extra-vars", "--become",
        "--become-user", "--ask-become-pass", "--timeout", "--check", "--diff", "--known-hosts", "--stacktrace"}) {
      assertTrue(r.out().contains(option), command + " lacks " + option + ":\n" + r.out());
    }
  }

  @ParameterizedTest
  @CsvSource({"--version", "-V", "adhoc --version"})
  void versionNamesJplayAndTheJava(String args) {
    Cli r = Cli.run(args.split(" "));
    assertEquals(0, r.exitCode());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].matches("jplay \\S+"), lines[0]);
    assertTrue(lines[1].startsWith("  java " + System.getProperty("java.version") + " ("), lines[1]);
  }
}
