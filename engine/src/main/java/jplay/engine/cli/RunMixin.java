package jplay.engine.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.inventory.Inventory;
import jplay.engine.log.RunLog;
import jplay.engine.run.RunOptions;
import jplay.engine.yaml.SourceException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every run shares — {@code jplay PLAYBOOK}, {@code jplay adhoc} and {@code jplay console} — declared
 * once and mixed into each command, so that {@code -b} or {@code -T} mean the same everywhere.
 */
final class RunMixin {
  @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
      description = "Inventory file, directory, or comma-separated host list (repeatable).")
  List<String> inventories = new ArrayList<>();

  @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Run only on hosts matching this pattern.")
  String limit;

  @Option(names = {"-f", "--forks"}, paramLabel = "N",
      description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
  int forks = RunOptions.DEFAULT_FORKS;

  @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
      description = "Variables: key=value, @file.yml, or inline YAML/JSON (repeatable; highest precedence).")
  List<String> extraVars = new ArrayList<>();

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Remote user (default: your user name).")
  String user;

  @Option(names = "--private-key", paramLabel = "FILE", description = "SSH private key.")
  Path privateKey;

  @Option(names = {"-c", "--connection"}, paramLabel = "TYPE", description = "ssh or local (default: ssh).")
  String connection;

  @Option(names = {"-k", "--ask-pass"}, description = "Ask for the SSH password.")
  boolean askPass;

  @Option(names = {"-b", "--become"}, description = "Run tasks with sudo.")
  boolean become;

  @Option(names = "--become-user", paramLabel = "USER", description = "User to become (default: root).")
  String becomeUser;

  @Option(names = {"-K", "--ask-become-pass"}, description = "Ask for the sudo password.")
  boolean askBecomePass;

  @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS",
      description = "Connection timeout (default: ${DEFAULT-VALUE}).")
  int timeout = 10;

  @Option(names = "--task-timeout", paramLabel = "SECONDS",
      description = "Stop any command on a target that runs longer than this (default: no limit).")
  Integer taskTimeout;

  @Option(names = "--host-key-checking", paramLabel = "MODE",
      description = "strict (default), accept-new, or off.")
  String hostKeyChecking = "strict";

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = {"-C", "--check"}, description = "Show what would change; change nothing.")
  boolean check;

  @Option(names = {"-D", "--diff"}, description = "Show the differences in files and settings.")
  boolean diff;

  @Option(names = "-v", description = "More detail (-vvvv for the most).")
  boolean[] verbose = new boolean[0];

  @Option(names = "--output", paramLabel = "FORMAT",
      description = "human (default) or json (one JSON event per line).")
  String output = "human";

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default; off with NO_COLOR), always, never.")
  String color = "auto";

  @Option(names = "--stacktrace", description = "Show stack traces of internal errors.")
  boolean stacktrace;

  @picocli.CommandLine.Mixin VaultOptions vault = new VaultOptions();

  @Option(names = "--log-file", paramLabel = "FILE",
      description = "Write a debug log of the run (commands per host, timings; secrets masked) to FILE.")
  Path logFile;

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  /** The {@code -e} variables, merged in order; a bad one is a bad option. */
  Map<String, Object> extraVars() throws UsageException {
    return ExtraVars.parse(extraVars);
  }

  /** The inventories given, or the implicit localhost alone when none is. */
  Inventory inventory(Path playbookDir) throws SourceException {
    // The configuration's inventory is a comma-separated list of paths (Ansible's), unlike -i's host lists.
    List<String> sources = inventories.isEmpty() && spec != null ? ConfigDefaults.of(spec).inventory() : inventories;
    return Inventory.load(sources, playbookDir);
  }

  /** The options checked and resolved; asks for the passwords {@code -k} and {@code -K} want. */
  RunOptions options(Map<String, Object> extra) throws UsageException {
    if (forks < 1) {
      throw new UsageException("--forks must be at least 1, not " + forks);
    }
    if (timeout < 1) {
      throw new UsageException("--timeout must be at least 1 second, not " + timeout);
    }
    if (taskTimeout != null && taskTimeout < 1) {
      throw new UsageException("--task-timeout must be at least 1 second, not " + taskTimeout);
    }
    HostKeyPolicy policy = switch (hostKeyChecking) {
      case "strict", "yes", "true" -> HostKeyPolicy.STRICT;
      case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
      case "off", "no", "false" -> HostKeyPolicy.OFF;
      default -> throw new UsageException(
          "--host-key-checking takes strict, accept-new or off, not '" + hostKeyChecking + "'");
    };
    if (connection != null && !List.of("ssh", "local", "paramiko", "smart").contains(connection)) {
      throw new UsageException("--connection takes ssh or local, not '" + connection + "'");
    }
    if (!List.of("human", "json").contains(output)) {
      throw new UsageException("--output takes human or json, not '" + output + "'");
    }
    try {
      RunLog.start(logFile);
    } catch (java.io.IOException e) {
      throw new UsageException("--log-file: " + e.getMessage());
    }
    String sshPassword = askPass ? Prompts.secret("SSH password: ") : null;
    String becomePassword = askBecomePass ? Prompts.secret("BECOME password: ") : null;
    RunLog.secret(sshPassword);
    RunLog.secret(becomePassword);
    Path known = knownHosts != null ? knownHosts
        : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    return new RunOptions(
        forks, limit, extra, user, privateKey, connection, sshPassword, become, becomeUser, becomePassword,
        Duration.ofSeconds(timeout), taskTimeout == null ? null : Duration.ofSeconds(taskTimeout), policy, known,
        check, diff, verbose.length);
  }
}
