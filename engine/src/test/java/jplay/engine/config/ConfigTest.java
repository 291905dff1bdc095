package jplay.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Discovery, precedence (default &lt; file &lt; env), warnings and errors, against files in a temp folder. */
class ConfigTest {
  @TempDir Path tmp;
  Path cwd;
  Path home;
  Path system;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void dirs() throws IOException {
    cwd = Files.createDirectories(tmp.resolve("project"));
    home = Files.createDirectories(tmp.resolve("home"));
    system = tmp.resolve("etc/ansible/ansible.cfg");
  }

  Config load() throws ConfigException {
    return Config.load(env, cwd, home, system);
  }

  Path write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  @Test
  void noFileMeansTheDefaults() throws Exception {
    Config c = load();
    assertTrue(c.file().isEmpty());
    assertEquals(new Config.Value("forks", "50", "default", true), c.get("forks"));
    assertNull(c.optionDefault("--forks"), "a default leaves the option's own default in place");
    assertEquals(List.of(), c.warnings());
  }

  @Test
  void discoveryTakesTheFirstFoundInJplaysThenAnsiblesOrder() throws Exception {
    Path etc = write(system, "[defaults]", "forks = 1");
    assertEquals(etc, load().file().orElseThrow());
    Path homeAnsible = write(home.resolve(".ansible.cfg"), "[defaults]", "forks = 2");
    assertEquals(homeAnsible, load().file().orElseThrow());
    Path cwdAnsible = write(cwd.resolve("ansible.cfg"), "[defaults]", "forks = 3");
    assertEquals(cwdAnsible, load().file().orElseThrow());
    Path envAnsible = write(tmp.resolve("elsewhere/a.cfg"), "[defaults]", "forks = 4");
    env.put("ANSIBLE_CONFIG", envAnsible.toString());
    assertEquals(envAnsible, load().file().orElseThrow());
    Path homeJplay = write(home.resolve(".jplay.cfg"), "[defaults]", "forks = 5");
    assertEquals(homeJplay, load().file().orElseThrow(), "any jplay.cfg beats any ansible.cfg");
    Path cwdJplay = write(cwd.resolve("jplay.cfg"), "[defaults]", "forks = 6");
    assertEquals(cwdJplay, load().file().orElseThrow());
    Path envJplay = write(tmp.resolve("elsewhere/j.cfg"), "[defaults]", "forks = 7");
    env.put("JPLAY_CONFIG", envJplay.toString());
    Config c = load();
    assertEquals(envJplay, c.file().orElseThrow());
    assertEquals("7", c.value("forks").orElseThrow(), "only the file found is read");
  }

  @Test
  void aConfigVariableNamingAFolderLooksForTheFileInIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("conf"));
    Path file = write(dir.resolve("jplay.cfg"), "[defaults]", "forks = 9");
    env.put("JPLAY_CONFIG", dir.toString());
    assertEquals(file, load().file().orElseThrow());
  }

  @Test
  void aConfigVariableNamingNothingWarnsAndTheSearchGoesOn() throws Exception {
    Path fallback = write(cwd.resolve("ansible.cfg"), "[defaults]", "forks = 3");
    env.put("JPLAY_CONFIG", tmp.resolve("missing.cfg").toString());
    Config c = load();
    assertEquals(fallback, c.file().orElseThrow());
    assertEquals(List.of("JPLAY_CONFIG names " + tmp.resolve("missing.cfg")
        + ", which does not exist; looking for the next configuration file"), c.warnings());
  }

  /** Each setting that has a file key and an environment variable: default, then file, then env wins. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "defaults|forks|7|ANSIBLE_FORKS|12|--forks|7|12",
    "defaults|remote_user|deploy|ANSIBLE_REMOTE_USER|admin|--user|deploy|admin",
    "defaults|private_key_file|/k/file_key|ANSIBLE_PRIVATE_KEY_FILE|/k/env_key|--private-key|/k/file_key|/k/env_key",
    "defaults|host_key_checking|False|ANSIBLE_HOST_KEY_CHECKING|accept-new|--host-key-checking|off|accept-new",
    "defaults|known_hosts|/k/file_hosts|JPLAY_KNOWN_HOSTS|/k/env_hosts|--known-hosts|/k/file_hosts|/k/env_hosts",
    "defaults|transport|local|ANSIBLE_TRANSPORT|ssh|--connection|local|ssh",
    "defaults|ask_pass|yes|ANSIBLE_ASK_PASS|no|--ask-pass|true|false",
    "defaults|timeout|30|ANSIBLE_TIMEOUT|5|--timeout|30|5",
    "defaults|task_timeout|600|ANSIBLE_TASK_TIMEOUT|60|--task-timeout|600|60",
    "defaults|roles_path|/r/a:/r/b|ANSIBLE_ROLES_PATH|/r/c|--roles-path|/r/a:/r/b|/r/c",
    "defaults|log_path|/l/file.log|ANSIBLE_LOG_PATH|/l/env.log|--log-file|/l/file.log|/l/env.log",
    "defaults|stdout_callback|json|ANSIBLE_STDOUT_CALLBACK|yaml|--output|json|human",
    "defaults|nocolor|true|ANSIBLE_NOCOLOR|1|--color|never|never",
    "defaults|force_handlers|True|ANSIBLE_FORCE_HANDLERS|False|--force-handlers|true|false",
    "defaults|vault_password_file|/v/file|ANSIBLE_VAULT_PASSWORD_FILE|/v/env|--vault-password-file|/v/file|/v/env",
    "privilege_escalation|become|True|ANSIBLE_BECOME|no|--become|true|false",
    "privilege_escalation|become_user|postgres|ANSIBLE_BECOME_USER|app|--become-user|postgres|app",
    "privilege_escalation|become_ask_pass|yes|ANSIBLE_BECOME_ASK_PASS|false|--ask-become-pass|true|false",
    "ssh_connection|retries|3|ANSIBLE_SSH_RETRIES|5|--retries|3|5",
  })
  void precedenceKeyByKey(String section, String key, String inFile, String envName, String inEnv, String option,
      String optionFromFile, String optionFromEnv) throws Exception {
    assertTrue(load().get(key).isDefault());
    Path file = write(cwd.resolve("jplay.cfg"), "[" + section + "]", key + " = " + inFile);
    Config fromFile = load();
    assertEquals(file + ":2", fromFile.get(key).origin());
    assertEquals(optionFromFile, fromFile.optionDefault(option));
    env.put(envName, inEnv);
    Config fromEnv = load();
    assertEquals("env: " + envName, fromEnv.get(key).origin());
    assertEquals(optionFromEnv, fromEnv.optionDefault(option));
  }

  @Test
  void jplaysVariableBeatsAnsiblesAndEmptyCountsAsUnset() throws Exception {
    env.put("ANSIBLE_FORKS", "8");
    env.put("JPLAY_FORKS", "9");
    assertEquals(new Config.Value("forks", "9", "env: JPLAY_FORKS", false), load().get("forks"));
    env.put("JPLAY_FORKS", "");
    assertEquals("env: ANSIBLE_FORKS", load().get("forks").origin());
  }

  @Test
  void theInventoryIsAListOfPathsWithTheHomeExpanded() throws Exception {
    write(cwd.resolve("jplay.cfg"), "[defaults]", "inventory = ~/hosts, /srv/inv ; two of them");
    assertEquals(List.of(home.resolve("hosts").toString(), "/srv/inv"), load().inventory());
  }

  @Test
  void quotesAreStrippedAndContinuationLinesJoined() throws Exception {
    write(cwd.resolve("jplay.cfg"), "[defaults]", "remote_user = \"deploy\"",
        "[ssh_connection]", "ssh_args = -o ControlMaster=auto", "   -o ConnectTimeout=7");
    Config c = load();
    assertEquals("deploy", c.value("remote_user").orElseThrow());
    assertEquals("7", c.value("timeout").orElseThrow());
  }

  @Test
  void sshArgsGiveTheTimeoutAndHostKeySettingsUnlessTheyAreSet() throws Exception {
    Path file = write(cwd.resolve("ansible.cfg"), "[defaults]", "timeout = 20",
        "[ssh_connection]",
        "ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o ConnectTimeout=5"
            + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ForwardX11=yes");
    Config c = load();
    assertEquals("20", c.value("timeout").orElseThrow(), "an explicit key beats what ssh_args implies");
    assertEquals(new Config.Value("host_key_checking", "False", file + ":4 (ssh_args)", false),
        c.get("host_key_checking"));
    assertEquals("/dev/null", c.value("known_hosts").orElseThrow());
    assertEquals(List.of(file + ":4: ssh_args: -o ForwardX11=yes has no effect in jplay (it does not run ssh)"),
        c.warnings());
  }

  @Test
  void unknownKeysAndSectionsWarnWithFileLineAndASuggestion() throws Exception {
    Path file = write(cwd.resolve("jplay.cfg"),
        "# comment", "[defaults]", "frks = 10", "retry_files_enabled = False", "[privilege_escalation]",
        "becom_user = root", "[colours]", "ok = green", "[colors]", "ok = green", "[ssh_connection]",
        "pipelining = True");
    Config c = load();
    assertEquals(List.of(
        file + ":7: unknown section [colours] (did you mean 'colors'?); jplay reads [defaults],"
            + " [privilege_escalation] and [ssh_connection]",
        file + ":3: unknown key 'frks' in [defaults] (did you mean 'forks'?); it has no effect",
        file + ":6: unknown key 'becom_user' in [privilege_escalation] (did you mean 'become_user'?); it has no"
            + " effect"), c.warnings());
    assertEquals("50", c.value("forks").orElseThrow());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "forks = abc|forks takes a whole number, not 'abc'",
    "forks = 0|forks must be at least 1, not 0",
    "host_key_checking = maybe|host_key_checking takes a boolean (True/False) or accept-new, not 'maybe'",
    "stdout_callback = dense|stdout_callback takes default, yaml, minimal or json in jplay, not 'dense'",
    "transport = winrm|transport takes ssh or local, not 'winrm'",
    "timeout = 1.5|timeout takes a whole number, not '1.5'",
  })
  void aBadValueIsAnErrorWithFileAndLine(String line, String message) throws Exception {
    Path file = write(cwd.resolve("jplay.cfg"), "[defaults]", line);
    ConfigException e = assertThrows(ConfigException.class, this::load);
    assertEquals(List.of(file + ":2: " + message), e.errors());
  }

  @Test
  void aBadEnvironmentValueIsAnErrorNamingTheVariable() {
    env.put("ANSIBLE_BECOME", "perhaps");
    env.put("ANSIBLE_FORKS", "-3");
    ConfigException e = assertThrows(ConfigException.class, this::load);
    assertEquals(List.of("ANSIBLE_FORKS: forks must be at least 1, not -3",
        "ANSIBLE_BECOME: become takes a boolean (True/False, yes/no), not 'perhaps'"), e.errors());
  }

  @Test
  void anUnsupportedBecomeMethodIsAnError() throws Exception {
    Path file = write(cwd.resolve("ansible.cfg"), "[privilege_escalation]", "become_method = su");
    ConfigException e = assertThrows(ConfigException.class, this::load);
    assertEquals(List.of(file + ":2: become_method 'su' is not supported; jplay supports sudo"), e.errors());
  }

  @Test
  void malformedLinesAndDuplicateKeysAreErrors() throws Exception {
    Path file = write(cwd.resolve("jplay.cfg"), "forks = 3", "[defaults]", "forks = 4", "just words",
        "forks = 5", "[oops");
    ConfigException e = assertThrows(ConfigException.class, this::load);
    assertEquals(List.of(
        file + ":1: 'forks' comes before any section; put it under [defaults]",
        file + ":4: expected 'key = value' or '[section]', not 'just words'",
        file + ":6: a section header is written [name], not '[oops'"), e.errors());
    write(file, "[defaults]", "forks = 4", "Forks: 5");
    e = assertThrows(ConfigException.class, this::load);
    assertEquals(List.of(file + ":3: 'forks' is set twice in [defaults] (first on line 2)"), e.errors());
  }

  @Test
  void dumpShowsEveryValueAndOrigin() throws Exception {
    Path file = write(cwd.resolve("ansible.cfg"), "[defaults]", "forks = 7", "retry_files_enabled = False",
        "[ssh_connection]", "pipelining = True");
    env.put("ANSIBLE_TIMEOUT", "3");
    Config c = load();
    assertEquals("CONFIG_FILE() = " + file + "\n"
        + "forks(" + file + ":2) = 7\n"
        + "timeout(env: ANSIBLE_TIMEOUT) = 3\n"
        + "retry_files_enabled(" + file + ":3) = False  # no effect in jplay (an Ansible internal)\n"
        + "pipelining(" + file + ":5) = True  # no effect in jplay: commands always go over one open connection\n",
        c.dump(true));
    String all = c.dump(false);
    assertTrue(all.contains("\nremote_user(default) = None\n"), all);
    assertTrue(all.contains("\nbecome_user(default) = root\n"), all);
    assertEquals(Settings.ALL.size() + 3, all.split("\n").length, all);
  }

  @Test
  void relativePathsInAFileAreRelativeToItsFolderAndInTheEnvironmentToTheWorkingFolder() throws Exception {
    Path file = write(tmp.resolve("conf/jplay.cfg"), "[defaults]", "inventory = hosts,../inv/more",
        "log_path = logs/jplay.log", "[ssh_connection]", "ssh_args = -F ssh_config");
    env.put("JPLAY_CONFIG", file.toString());
    Config c = load();
    assertEquals(List.of(tmp.resolve("conf/hosts").toString(), tmp.resolve("inv/more").toString()), c.inventory());
    assertEquals(tmp.resolve("conf/logs/jplay.log").toString(), c.value("log_path").orElseThrow());
    assertEquals(tmp.resolve("conf/ssh_config").toString(), c.value("ssh_config_file").orElseThrow());
    env.put("ANSIBLE_LOG_PATH", "rel.log");
    assertEquals("rel.log", load().value("log_path").orElseThrow(), "picocli resolves it against the working folder");
  }
}
