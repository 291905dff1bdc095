package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The configuration as the command line sees it: the command line beats env beats file beats default. */
class ConfigCliTest {
  @TempDir Path tmp;
  Path cwd;
  Path home;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void dirs() throws IOException {
    cwd = Files.createDirectories(tmp.resolve("project"));
    home = Files.createDirectories(tmp.resolve("home"));
  }

  Cli jplay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(new Io(new ByteArrayInputStream(new byte[0]), o, e), env, cwd, home, args);
    }
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The run options of {@code jplay args...} (or {@code jplay adhoc ...}) after picocli applied the defaults. */
  RunMixin parsed(String... args) throws Exception {
    Io io = new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err);
    CommandLine cli = Main.commandLine(io, Config.load(env, cwd, home));
    CommandLine.ParseResult r = cli.parseArgs(args);
    ConfigDefaults.applyFlags(r);
    Object command = r.hasSubcommand() ? r.subcommand().commandSpec().userObject() : r.commandSpec().userObject();
    return command instanceof AdhocCommand a ? a.run : ((PlaybookCommand) command).run;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    // option | key in jplay.cfg | variable | file value | env value | command-line value
    "--forks|[defaults]|forks|ANSIBLE_FORKS|7|12|3",
    "--user|[defaults]|remote_user|ANSIBLE_REMOTE_USER|deploy|admin|me",
    "--timeout|[defaults]|timeout|ANSIBLE_TIMEOUT|30|5|2",
    "--host-key-checking|[defaults]|host_key_checking|ANSIBLE_HOST_KEY_CHECKING|False|accept-new|strict",
    "--become-user|[privilege_escalation]|become_user|ANSIBLE_BECOME_USER|postgres|app|web",
    "--output|[defaults]|stdout_callback|ANSIBLE_STDOUT_CALLBACK|json|yaml|json",
  })
  void theCommandLineBeatsTheEnvironmentWhichBeatsTheFile(String option, String section, String key, String var,
      String inFile, String inEnv, String onCommandLine) throws Exception {
    String before = value(parsed("site.yml"), option);
    Files.writeString(cwd.resolve("jplay.cfg"), section + "\n" + key + " = " + inFile + "\n");
    String fromFile = value(parsed("site.yml"), option);
    env.put(var, inEnv);
    String fromEnv = value(parsed("site.yml"), option);
    String fromCli = value(parsed("site.yml", option, onCommandLine), option);
    assertEquals(List.of(true, true, onCommandLine), List.of(!before.equals(fromFile), !fromFile.equals(fromEnv),
        fromCli), before + " / " + fromFile + " / " + fromEnv);
  }

  private static String value(RunMixin run, String option) {
    return String.valueOf(switch (option) {
      case "--forks" -> run.forks;
      case "--user" -> run.user;
      case "--timeout" -> run.timeout;
      case "--host-key-checking" -> run.hostKeyChecking;
      case "--become-user" -> run.becomeUser;
      case "--output" -> run.output;
      default -> throw new IllegalArgumentException(option);
    });
  }

  @Test
  void booleanSettingsTurnFlagsOnAndTheFlagStillWorks() throws Exception {
    Files.writeString(cwd.resolve("ansible.cfg"), "[privilege_escalation]\nbecome = yes\n");
    assertTrue(parsed("site.yml").become);
    assertTrue(parsed("adhoc", "all", "-b").become);
    assertTrue(parsed("adhoc", "all").become);
    Files.writeString(cwd.resolve("ansible.cfg"), "[privilege_escalation]\nbecome = no\n");
    assertEquals(List.of(false, true), List.of(parsed("site.yml").become, parsed("site.yml", "-b").become));
  }

  @Test
  void aColonSeparatedRolesPathBecomesSeveralFolders() throws Exception {
    assertEquals(List.of(Path.of("/r/one"), Path.of("/r/two")), rolesPath("/r/one:/r/two"));
  }

  private List<Path> rolesPath(String spec) throws Exception {
    env.put("ANSIBLE_ROLES_PATH", spec);
    Io io = new Io(new ByteArrayInputStream(new byte[0]), System.out, System.err);
    CommandLine cli = Main.commandLine(io, Config.load(env, cwd, home));
    cli.parseArgs("site.yml");
    return ((PlaybookCommand) cli.getCommand()).rolesPath;
  }

  @Test
  void theConfiguredInventoryIsUsedWhenNoneIsGiven() throws Exception {
    Files.writeString(cwd.resolve("hosts"), "[web]\nw1 ansible_connection=local\nw2\n");
    Files.writeString(cwd.resolve("jplay.cfg"), "[defaults]\ninventory = " + cwd.resolve("hosts") + "\n");
    RunMixin run = parsed("site.yml");
    assertEquals(List.of("w1", "w2"), run.inventory(cwd).select("web").stream().map(h -> h.name()).toList());
    RunMixin explicit = parsed("site.yml", "-i", "other1,other2,");
    assertEquals(List.of("other1", "other2"),
        explicit.inventory(cwd).select("all").stream().map(h -> h.name()).toList());
  }

  @Test
  void theInventoryCommandUsesTheConfiguredInventoryToo() throws IOException {
    Cli none = jplay("inventory", "--graph");
    assertEquals(5, none.exitCode(), none::toString);
    assertEquals("ERROR! name an inventory with -i, or set inventory in jplay.cfg or ansible.cfg\n", none.err());
    Files.writeString(cwd.resolve("hosts"), "[web]\nw1\n");
    env.put("ANSIBLE_INVENTORY", cwd.resolve("hosts").toString());
    Cli r = jplay("inventory", "--graph", "web");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("@web:\n  |--w1\n", r.out());
  }

  @Test
  void configDumpOnlyChangedAsAnsibleConfig() throws IOException {
    Files.writeString(cwd.resolve("ansible.cfg"), String.join("\n",
        "[defaults]",
        "inventory = ~/inventory/hosts",
        "forks = 20",
        "host_key_checking = False",
        "retry_files_enabled = False",
        "[privilege_escalation]",
        "become = True",
        "[ssh_connection]",
        "pipelining = True",
        "control_path = %(directory)s/%%h-%%r",
        ""));
    env.put("ANSIBLE_TIMEOUT", "5");
    env.put("JPLAY_REMOTE_USER", "deploy");
    Cli r = jplay("config", "dump", "--only-changed");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err());
    Golden.check("cli/config-dump-only-changed.txt", r.out().replace(tmp.toString(), "$TMP"));
  }

  @Test
  void configDumpWithoutAFileShowsEveryDefault() {
    Cli r = jplay("config", "dump");
    assertEquals(0, r.exitCode(), r::toString);
    Golden.check("cli/config-dump-defaults.txt", r.out());
  }

  @Test
  void warningsGoToStandardErrorAndTheRunGoesOn() throws IOException {
    Files.writeString(cwd.resolve("jplay.cfg"), "[defaults]\nforsk = 3\n");
    Cli r = jplay("config", "dump", "--only-changed");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("[WARNING]: " + cwd.resolve("jplay.cfg")
        + ":2: unknown key 'forsk' in [defaults] (did you mean 'forks'?); it has no effect\n", r.err());
  }

  @Test
  void aBadValueStopsEveryCommandWithExitFive() throws IOException {
    Files.writeString(cwd.resolve("jplay.cfg"), "[defaults]\n\nforks = abc\n");
    for (String[] args : List.of(new String[] {"site.yml"}, new String[] {"config", "dump"},
        new String[] {"adhoc", "all", "-m", "ping"})) {
      Cli r = jplay(args);
      assertEquals(5, r.exitCode(), r::toString);
      assertEquals("ERROR! " + cwd.resolve("jplay.cfg") + ":3: forks takes a whole number, not 'abc'\n", r.err());
    }
  }

  @Test
  void configWithoutASubcommandSaysWhatToType() {
    Cli r = jplay("config");
    assertEquals(5, r.exitCode(), r::toString);
    assertEquals("ERROR! name a subcommand: dump (see 'jplay config --help')\n", r.err());
  }
}
