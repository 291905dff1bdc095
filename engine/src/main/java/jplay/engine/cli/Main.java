package jplay.engine.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.config.Config;
import jplay.engine.config.ConfigException;
import jplay.engine.run.RunSummary;
import picocli.CommandLine;

/** The {@code jplay} command: runs playbooks; subcommands inspect inventories. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Fast path: neither logging nor the command model is needed to print versions (measured by the launcher).
      System.out.println(String.join(System.lineSeparator(), new Version().getVersion()));
      System.exit(0);
    }
    // Logging starts on a thread of its own beside the command line's start-up (run joins it before executing), and
    // the ssh machinery and the template engine prepare after it for a playbook run: SLF4J prints a "replaying
    // calls" notice when threads log during its initialisation, so nothing that logs starts before it is done.
    boolean warmUp = !needsSubcommands(args) && java.util.Arrays.stream(args).noneMatch(NO_HOSTS::contains);
    loggingStart = new Thread(() -> {
      org.slf4j.LoggerFactory.getILoggerFactory();
      if (warmUp) {
        jplay.engine.connection.Connections.warmUp();
        jplay.engine.template.Templar.warmUp();
      }
    }, "jplay-start");
    loggingStart.start();
    System.exit(run(System.out, System.err, args));
  }

  /** Options with which a playbook run contacts no host. */
  private static final Set<String> NO_HOSTS = Set.of("--syntax-check", "--list-hosts", "--list-tasks", "--list-tags");

  /** Starts logging for {@link #main}; null when jplay runs inside another program (tests). */
  private static volatile Thread loggingStart;

  /** Waits for {@link #loggingStart}: before anything may log. */
  private static void awaitLogging() {
    Thread t = loggingStart;
    if (t != null) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs a command line, writing to {@code out} and {@code err}, and returns the exit code (never exits). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(System.in, out, err, args);
  }

  /** As {@link #run(PrintStream, PrintStream, String...)}, with the input {@code jplay console} reads. */
  public static int run(java.io.InputStream in, PrintStream out, PrintStream err, String... args) {
    return run(new Io(in, out, err), System.getenv(), Path.of("").toAbsolutePath(),
        Path.of(System.getProperty("user.home")), args);
  }

  /**
   * As {@link #run(PrintStream, PrintStream, String...)}, with the configuration (jplay.cfg, ansible.cfg,
   * variables) found from {@code env}, {@code cwd} and {@code home} instead of this process's: for tests.
   */
  public static int run(java.io.InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path cwd,
      Path home, String... args) {
    return run(new Io(in, out, err), env, cwd, home, args);
  }

  static int run(Io io, Map<String, String> env, Path cwd, Path home, String... args) {
    Config config;
    try {
      config = Config.load(env, cwd, home);
    } catch (ConfigException e) {
      e.errors().forEach(line -> io.err().println("ERROR! " + line));
      return RunSummary.BAD_OPTIONS;
    }
    config.warnings().forEach(w -> io.err().println("[WARNING]: " + w));
    CommandLine cli = commandLine(io, config, needsSubcommands(args));
    awaitLogging();
    jplay.engine.connection.SshClientConfig.use(config.value("ssh_config_file").map(Path::of).orElse(null));
    return cli.execute(args);
  }

  /**
   * False for the usual playbook run, {@code jplay site.yml ...} without a subcommand's name or a help option
   * anywhere: then the command line is built without its subcommands, whose models picocli builds by reflection
   * (about 45 ms of every run's start-up). Anything else (a subcommand, help, a mistyped subcommand that the error
   * names the nearest of) gets them all.
   */
  static boolean needsSubcommands(String... args) {
    if (args.length == 0 || !(args[0].endsWith(".yml") || args[0].endsWith(".yaml"))) {
      return true;
    }
    Set<String> names = new HashSet<>(PlaybookCommand.subcommandNames());
    names.addAll(List.of("-h", "--help"));
    for (String a : args) {
      if (names.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** The whole command line, its options defaulting to {@code config}'s settings. */
  static CommandLine commandLine(Io io, Config config) {
    return commandLine(io, config, true);
  }

  private static CommandLine commandLine(Io io, Config config, boolean subcommands) {
    CommandLine cli = model(io, subcommands);
    configure(cli, io);
    cli.setDefaultValueProvider(new ConfigDefaults(config));
    cli.setExecutionStrategy(parsed -> {
      ConfigDefaults.applyFlags(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli;
  }

  /** The command model alone (no streams, no defaults from the configuration), with or without subcommands. */
  static CommandLine model(Io io, boolean subcommands) {
    CommandLine cli = new CommandLine(new PlaybookCommand(io), new Factory(io));
    if (subcommands) {
      for (Class<?> c : PlaybookCommand.SUBCOMMANDS) {
        cli.addSubcommand(c);
      }
    }
    return cli;
  }

  /** Streams and error handling as {@link #run} sets them up; for tests that bring their own command. */
  static CommandLine configure(CommandLine cli, Io io) {
    cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    // -e @vars.yml is Ansible's extra-vars file, not picocli's argument file.
    cli.setExpandAtFiles(false);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::badOptions);
    return cli;
  }

  /** Gives every subcommand the same streams. */
  private record Factory(Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == InventoryCommand.class) {
        return cls.cast(new InventoryCommand(io));
      }
      if (cls == AdhocCommand.class) {
        return cls.cast(new AdhocCommand(io));
      }
      if (cls == ConsoleCommand.class) {
        return cls.cast(new ConsoleCommand(io));
      }
      if (cls == ConfigCommand.class) {
        return cls.cast(new ConfigCommand(io));
      }
      if (cls == DocCommand.class) {
        return cls.cast(new DocCommand(io));
      }
      if (cls == VaultCommand.class) {
        return cls.cast(new VaultCommand(io));
      }
      if (cls == CompletionCommand.class) {
        return cls.cast(new CompletionCommand(io));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
