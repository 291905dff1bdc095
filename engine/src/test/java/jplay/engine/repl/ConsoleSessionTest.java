package jplay.engine.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.inventory.Inventory;
import jplay.engine.run.RunOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's own commands and line handling; nothing here contacts a host (see the modules' ConsoleSshTest). */
class ConsoleSessionTest {
  @TempDir Path dir;
  ByteArrayOutputStream out = new ByteArrayOutputStream();
  ByteArrayOutputStream err = new ByteArrayOutputStream();
  ConsoleSession session;

  @BeforeEach
  void open() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "[web]\nw1\nw2\n[db]\nd1\n");
    RunOptions options = new RunOptions(50, null, Map.of("from_e", 1), "admin", null, null, null, false, null, null,
        Duration.ofSeconds(10), null, HostKeyPolicy.STRICT, dir.resolve("known_hosts"), false, false, 0);
    session = new ConsoleSession(Modules.registry(), Inventory.load(List.of(hosts.toString()), null), options, "all",
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        false, false, "human");
  }

  @AfterEach
  void close() {
    session.close();
  }

  private String run(String... lines) {
    out.reset();
    err.reset();
    for (String l : lines) {
      session.execute(l);
    }
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theCommandLinesConnectionRetriesReachEveryCall() {
    assertEquals(0, session.options().connectionRetries());
    try (ConsoleSession retrying = new ConsoleSession(Modules.registry(), session.inventory(),
        new RunOptions(50, null, Map.of(), null, null, null, null, false, null, null, Duration.ofSeconds(10), null,
            HostKeyPolicy.STRICT, dir.resolve("known_hosts"), false, false, 0).withConnectionRetries(3),
        "all", new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        false, false, "human")) {
      assertEquals(3, retrying.options().connectionRetries());
    }
  }

  @Test
  void thePromptShowsUserPatternHostCountAndBecome() {
    assertEquals("admin@all (3)$ ", session.prompt());
    run(":cd web", ":become on");
    assertEquals("admin@web (2)# ", session.prompt());
    run(":become", ":check on", ":diff on");
    assertEquals("admin@web (2)[check,diff]$ ", session.prompt());
  }

  @Test
  void cdRefusesAPatternThatMatchesNothingAndSaysWhatWasMeant() {
    assertEquals("ERROR! no hosts match 'wbe' (did you mean 'web'?); still on all\n", run(":cd wbe"));
    assertEquals("all", session.pattern());
    run(":cd web:!w1");
    assertEquals("admin@web:!w1 (1)$ ", session.prompt());
    run(":cd");
    assertEquals("all", session.pattern());
  }

  @Test
  void listHostsAndGroups() {
    assertEquals("w1\nw2\nd1\n", run(":cd all", ":list"));
    assertEquals("all\nungrouped\nweb\ndb\n", run(":list groups"));
  }

  @Test
  void settingsTakeCheckedValues() {
    run(":forks 7", ":timeout 30", ":verbosity 2", ":become_user postgres", ":check on");
    assertEquals(7, session.forks());
    assertEquals(Duration.ofSeconds(30), session.taskTimeout());
    assertEquals(2, session.verbosity());
    assertEquals("postgres", session.becomeUser());
    assertTrue(session.check());
    run(":timeout 0", ":check off");
    assertNull(session.taskTimeout());
    assertFalse(session.check());
    assertEquals("ERROR! :forks takes a whole number from 1 to 10000, not '0'\n", run(":forks 0"));
    assertEquals("ERROR! :verbosity takes a whole number from 0 to 4, not 'lots'\n", run(":verbosity lots"));
    assertEquals("ERROR! :check takes on or off, not 'maybe'\n", run(":check maybe"));
    assertEquals("ERROR! :become_user takes one USER\n", run(":become_user"));
  }

  @Test
  void setParsesValuesAsYamlAndVarsShowsThem() {
    assertEquals("variables:\n  from_e = 1\n  port = 8080\n  name = \"web 1\"\n  on = true\n"
        + "registered: none\nfacts: gathered for 0 of 3 hosts\n",
        run(":set port=8080", ":set name=\"web 1\"", ":set on=yes", ":vars"));
    assertEquals("ERROR! :set takes VAR=VALUE with VAR a variable name, such as :set port=8080\n", run(":set 1x=2"));
  }

  @Test
  void registerNeedsAResultFirst() {
    assertEquals("ERROR! no result to register yet: run a module first\n", run(":register up"));
  }

  /** Decided: console commands may drop the ':' when no module has that name; modules always win. */
  @Test
  void bareCommandsWorkWhenNoModuleHasTheName() {
    run("cd db");
    assertEquals("db", session.pattern());
    run("forks 3");
    assertEquals(3, session.forks());
  }

  @Test
  void mistakesAreOneLineWithWhatWasMeant() {
    assertEquals("ERROR! unknown module or command 'servce' (did you mean 'service'?); :help lists the commands,"
        + " !servce name=x runs it as a shell command\n", run("servce name=x"));
    assertEquals("ERROR! unknown console command ':lsit' (did you mean ':list'?); :help lists them\n", run(":lsit"));
    assertEquals("ERROR! console line 3: unknown parameter 'stat' for service (did you mean 'state'?)\n",
        run("service name=sshd stat=started"));
    assertEquals("ERROR! console line 4: missing required parameter 'dest' for copy\n", run("copy {src: /etc/hosts}"));
    assertEquals("ERROR! give the shell command after '!', such as !uptime\n", run("!"));
    assertEquals(4, session.exitCode());
  }

  @Test
  void helpListsCommandsApartFromModulesAndShowsAModule() {
    String help = run(":help");
    assertTrue(help.startsWith("Console commands (the ':' may be left out when no module has the name):\n"
        + "  :cd [PATTERN]         work on the hosts matching PATTERN (all when omitted)\n"), help);
    assertTrue(help.contains("\nModules: copy, service, shell\n"), help);
    assertTrue(run(":help service").startsWith("> SERVICE    (ansible.builtin.service)\n"));
    assertEquals("ERROR! no module named 'servise' (did you mean 'service'?)\n", run(":help servise"));
  }

  @Test
  void historyAndExit() {
    session.history(() -> List.of("ping", ":cd web"));
    assertEquals("    1  ping\n    2  :cd web\n", run(":history"));
    assertEquals(ConsoleSession.Next.EXIT, session.execute(":exit"));
    assertEquals(ConsoleSession.Next.EXIT, session.execute("quit"));
    assertEquals(ConsoleSession.Next.CONTINUE, session.execute("# a comment"));
  }

  @Test
  void historyFileFollowsTheOptionThenJplayHomeThenHome() throws IOException {
    assertEquals(dir.resolve("h"), Console.historyFile(dir.resolve("h"), Map.of("JPLAY_HOME", "/nowhere")));
    assertEquals(dir.resolve("home/history"), Console.historyFile(null, Map.of("JPLAY_HOME", dir.resolve("home")
        .toString())));
    assertTrue(Files.isDirectory(dir.resolve("home")));
    assertEquals(Path.of(System.getProperty("user.home"), ".jplay", "history"),
        Console.historyFile(null, Map.of()));
  }
}
