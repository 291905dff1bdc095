package jplay.engine.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.inventory.Host;
import jplay.engine.inventory.Inventory;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Task;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunOptions;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.SourceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jplay PLAYBOOK... -i INVENTORY}: runs playbooks, as ansible-playbook. */
@Command(
    name = "jplay",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {InventoryCommand.class},
    description = {
      "Runs Ansible-style playbooks on many hosts at once over SSH.",
      "",
      "Examples:",
      "  jplay site.yml -i hosts",
      "  jplay site.yml -i hosts -l web --check --diff",
      "  jplay site.yml -i node1,node2, -u admin -b -K",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:all hosts ok",
      "2:a host failed",
      "4:a host was unreachable, or the playbook or inventory has errors",
      "5:bad options",
      "99:interrupted",
      "250:internal error"
    })
final class PlaybookCommand implements Callable<Integer> {
  private final Io io;

  PlaybookCommand(Io io) {
    this.io = io;
  }

  @Parameters(paramLabel = "PLAYBOOK", arity = "1..*", description = "The playbooks to run, in order.")
  List<Path> playbooks = new ArrayList<>();

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

  @Option(names = "--syntax-check", description = "Check the playbooks and stop.")
  boolean syntaxCheck;

  @Option(names = "--list-hosts", description = "List the hosts each play would run on, and stop.")
  boolean listHosts;

  @Option(names = "--list-tasks", description = "List each play's tasks, and stop.")
  boolean listTasks;

  @Option(names = "--output", paramLabel = "FORMAT",
      description = "human (default) or json (one JSON event per line).")
  String output = "human";

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default; off with NO_COLOR), always, never.")
  String color = "auto";

  @Option(names = "--no-timing", description = "Leave out the timing summary after the recap.")
  boolean noTiming;

  @Option(names = "--stacktrace", description = "Show stack traces of internal errors.")
  boolean stacktrace;

  @Override
  public Integer call() throws Exception {
    ModuleRegistry modules = ModuleRegistry.discover();
    PlaybookParser parser = new PlaybookParser(modules);
    List<Playbook> parsed = new ArrayList<>();
    List<jplay.engine.yaml.SourceError> errors = new ArrayList<>();
    for (Path p : playbooks) {
      if (!Files.exists(p)) {
        throw new UsageException("the playbook " + p + " could not be found");
      }
      try {
        parsed.add(parser.parse(p));
      } catch (SourceException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new SourceException(errors);
    }
    Map<String, Object> extra = ExtraVars.parse(extraVars);
    PrintStream out = io.out();
    if (syntaxCheck) {
      for (Playbook pb : parsed) {
        out.println();
        out.println("playbook: " + pb.file());
      }
      return RunSummary.OK;
    }
    Path playbookDir = parsed.get(0).dir();
    Inventory inventory = inventories.isEmpty() ? Inventory.load(List.of(), playbookDir)
        : Inventory.load(inventories, playbookDir);
    if (listHosts || listTasks) {
      list(out, parsed, inventory);
      return RunSummary.OK;
    }
    RunOptions options = options(extra);
    RunContext run = RunContext.create(io, options, output, color, noTiming);
    PlaybookRunner runner = new PlaybookRunner(modules, inventory, options, run.listener(), run.connections());
    // Ctrl-C / SIGTERM: stop starting tasks, let the recap print, then leave with 99 (as Ansible).
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread hook = new Thread(() -> {
      runner.interrupt();
      try {
        done.await(15, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      io.out().flush();
      io.err().flush();
      Runtime.getRuntime().halt(RunSummary.INTERRUPTED);
    }, "jplay-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    RunSummary summary;
    try {
      summary = runner.run(parsed);
    } finally {
      done.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it ends the JVM with 99 once the recap is out.
    }
    return summary.exitCode();
  }

  private RunOptions options(Map<String, Object> extra) throws UsageException {
    if (forks < 1) {
      throw new UsageException("--forks must be at least 1, not " + forks);
    }
    if (timeout < 1) {
      throw new UsageException("--timeout must be at least 1 second, not " + timeout);
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
    String sshPassword = askPass ? Prompts.secret("SSH password: ") : null;
    String becomePassword = askBecomePass ? Prompts.secret("BECOME password: ") : null;
    Path known = knownHosts != null ? knownHosts
        : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    return new RunOptions(
        forks, limit, extra, user, privateKey, connection, sshPassword, become, becomeUser, becomePassword,
        Duration.ofSeconds(timeout), taskTimeout == null ? null : Duration.ofSeconds(taskTimeout), policy, known,
        check, diff, verbose.length);
  }

  private void list(PrintStream out, List<Playbook> parsed, Inventory inventory) throws SourceException {
    for (Playbook pb : parsed) {
      out.println();
      out.println("playbook: " + pb.file());
      int n = 0;
      for (Play play : pb.plays()) {
        n++;
        out.println();
        out.println("  play #" + n + " (" + play.hosts() + "): " + play.displayName() + "\tTAGS: []");
        if (listHosts) {
          List<Host> hosts = new ArrayList<>(inventory.select(play.hosts()));
          if (limit != null) {
            List<Host> allowed = inventory.select(limit);
            hosts.retainAll(allowed);
          }
          out.println("    pattern: ['" + play.hosts() + "']");
          out.println("    hosts (" + hosts.size() + "):");
          for (Host h : hosts) {
            out.println("      " + h.name());
          }
        }
        if (listTasks) {
          out.println("    tasks:");
          for (Task t : play.tasks()) {
            out.println("      " + t.displayName() + "\tTAGS: []");
          }
        }
      }
    }
    out.flush();
  }
}
