package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Exit codes are a contract (Ansible's): 5 bad options, 4 input errors, 250 internal; each with one clear line. */
class ExitCodesTest {
  @TempDir Path dir;

  @Test
  void aMistypedOptionIsOneLineWithDidYouMean() {
    Cli r = Cli.run("site.yml", "--lsit-hosts");
    assertEquals(5, r.exitCode());
    assertEquals("", r.out());
    assertEquals("ERROR! Unknown option: '--lsit-hosts' (did you mean '--list-hosts'?) (see 'jplay --help')\n",
        r.err());
  }

  @Test
  void aMistypedOptionOfASubcommandNamesTheSubcommandsHelp() {
    Cli r = Cli.run("inventory", "-i", "x,", "--grpah");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! Unknown option: '--grpah' (did you mean '--graph'?) (see 'jplay inventory --help')\n",
        r.err());
  }

  @Test
  void aMistypedCommandIsNotTakenForAMissingPlaybookSilently() {
    Cli r = Cli.run("invetory", "--list");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! 'invetory' is neither a playbook nor a command (did you mean 'jplay inventory'?)"
        + " (see 'jplay --help')\n", r.err());
    r = Cli.run("invetory", "-i", "hosts");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! the playbook invetory could not be found (did you mean 'jplay inventory'?)\n", r.err());
  }

  @Test
  void noPlaybookAndNoCommandSaysWhatWouldBeRight() {
    Cli r = Cli.run();
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! name the playbooks to run (jplay PLAYBOOK...), or a command: adhoc, console, inventory, doc,"
        + " vault, config, completion (see 'jplay --help')\n", r.err());
  }

  @Test
  void badOptionValuesAreBadOptions() throws IOException {
    Path pb = dir.resolve("site.yml");
    Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks: []\n");
    assertEquals("ERROR! --forks must be at least 1, not 0\n", Cli.run(pb.toString(), "-f", "0").err());
    assertEquals("ERROR! --host-key-checking takes strict, accept-new or off, not 'maybe'\n",
        Cli.run(pb.toString(), "--host-key-checking", "maybe").err());
    Cli r = Cli.run(pb.toString(), "-f", "many");
    assertEquals(5, r.exitCode());
    assertTrue(r.err().startsWith("ERROR! Invalid value for option '--forks': 'many' is not an int"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void playbookErrorsExitWithFourAndNameFileLineColumn() throws IOException {
    Path pb = dir.resolve("site.yml");
    Files.writeString(pb, "- hosts: all\n  gather_fcts: false\n  tasks: []\n");
    Cli r = Cli.run(pb.toString(), "--syntax-check");
    assertEquals(4, r.exitCode());
    assertEquals("ERROR! " + pb + ":2:3: unknown play keyword 'gather_fcts' (did you mean 'gather_facts'?)\n",
        r.err());
  }

  /** A command whose work fails with a bug: what a user sees of an internal error. */
  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Mixin RunMixin run;

    @Override
    public Integer call() {
      throw new IllegalStateException("the bug");
    }
  }

  private static Cli boom(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Io io = new Io(new ByteArrayInputStream(new byte[0]), o, e);
      code = Main.configure(new CommandLine(new Boom()), io).execute(args);
    }
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anInternalErrorIs250WithoutAStackTrace() {
    Cli r = boom();
    assertEquals(250, r.exitCode());
    assertEquals("ERROR! internal error: java.lang.IllegalStateException: the bug\n"
        + "(run with -vvvv for the stack trace; please report it)\n", r.err());
  }

  @Test
  void theStackTraceComesWithStacktraceOrFourV() {
    for (String[] args : new String[][] {{"--stacktrace"}, {"-vvvv"}}) {
      Cli r = boom(args);
      assertEquals(250, r.exitCode());
      assertTrue(r.err().contains("\tat jplay.engine.cli.ExitCodesTest$Boom.call"), r.err());
    }
    assertFalse(boom("-vvv").err().contains("\tat "), "three -v are not enough");
  }
}
