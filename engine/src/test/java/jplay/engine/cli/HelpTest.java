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
    "vault-help.txt, vault --help",
    "vault-encrypt-string-help.txt, vault encrypt_string --help",
    "completion-help.txt, completion --help",
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
        "--become-user", "--ask-become-pass", "--timeout", "--check", "--diff", "--known-hosts", "--stacktrace",
        "--vault-id", "--vault-password-file", "--ask-vault-pass"}) {
      assertTrue(r.out().contains(option), command + " lacks " + option + ":\n" + r.out());
    }
  }

  @ParameterizedTest
  @CsvSource({"--version", "-V", "adhoc --version"})
  void versionNamesJplayTheJavaAndTheLibraries(String args) {
    Cli r = Cli.run(args.split(" "));
    assertEquals(0, r.exitCode());
    String[] lines = r.out().split("\n");
    assertEquals(8, lines.length, r.out());
    assertTrue(lines[0].matches("jplay \\S+"), lines[0]);
    assertEquals("  java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
        + System.getProperty("java.vm.name") + ")", lines[1]);
    // Each library's version as its jar declares it: none is unknown on the test class path.
    String[] names = {"sshj", "snakeyaml-engine", "jinjava", "jline", "logback", "picocli"};
    for (int i = 0; i < names.length; i++) {
      assertTrue(lines[i + 2].matches("  " + names[i] + " \\d+\\.\\d+[.\\w-]*"), lines[i + 2]);
    }
    assertEquals("  picocli " + picocli.CommandLine.VERSION, lines[7]);
  }
}
