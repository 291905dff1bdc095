package jplay.engine.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jplay.engine.inventory.Host;
import jplay.engine.inventory.Inventory;
import jplay.engine.output.HumanOutput;
import jplay.engine.output.JUnitReport;
import jplay.engine.output.Listeners;
import jplay.engine.output.Progress;
import jplay.engine.output.RunListener;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Listing;
import jplay.engine.playbook.Tags;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunOptions;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.SourceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jplay PLAYBOOK... -i INVENTORY}: runs playbooks, as ansible-playbook. */
@Command(
    name = "jplay",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs Ansible-style playbooks on many hosts at once over SSH.",
      "",
      "Examples:",
      "  jplay site.yml -i hosts",
      "  jplay site.yml -i hosts -l web --check --diff",
      "  jplay site.yml -i node1,node2, -u admin -b -K",
      "  jplay site.yml -i hosts --junit build/jplay-junit.xml --no-timing",
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
  /**
   * The subcommands, in the order help lists them. Main adds them to the command line only when it may need them
   * (see {@link Main#needsSubcommands}), which is why they are not in the annotation.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(AdhocCommand.class, ConsoleCommand.class,
      InventoryCommand.class, DocCommand.class, VaultCommand.class, ConfigCommand.class, CompletionCommand.class);

  /** The subcommands' names. */
  static List<String> subcommandNames() {
    return SUBCOMMAND_NAMES;
  }

  /**
   * The names in their annotations, written out: reading the annotations loads every subcommand's class, which
   * cost each playbook run's start 20 ms (SubcommandsTest keeps the two in step).
   */
  private static final List<String> SUBCOMMAND_NAMES =
      List.of("adhoc", "console", "inventory", "doc", "vault", "config", "completion");

  private final Io io;

  PlaybookCommand(Io io) {
    this.io = io;
  }

  // Optional to picocli (a required positional would make it refuse every subcommand); checked in call().
  @Parameters(paramLabel = "PLAYBOOK", arity = "0..*", description = "The playbooks to run, in order.")
  List<Path> playbooks = new ArrayList<>();

  @Mixin RunMixin run;

  @Option(names = "--syntax-check", description = "Check the playbooks and stop.")
  boolean syntaxCheck;

  @Option(names = "--list-hosts", description = "List the hosts each play would run on, and stop.")
  boolean listHosts;

  @Option(names = "--list-tasks", description = "List each play's tasks, and stop.")
  boolean listTasks;

  @Option(names = "--list-tags", description = "List each play's tags, and stop.")
  boolean listTags;

  @Option(names = {"-t", "--tags"}, paramLabel = "TAGS", split = ",",
      description = "Run only tasks with these tags (comma-separated, repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--skip-tags", paramLabel = "TAGS", split = ",",
      description = "Run only tasks without these tags (comma-separated, repeatable).")
  List<String> skipTags = new ArrayList<>();

  @Option(names = "--start-at-task", paramLabel = "NAME", description = "Start at the first task of this name.")
  String startAtTask;

  @Option(names = "--step", description = "Ask before each task: (N)o/(y)es/(c)ontinue.")
  boolean step;

  @Option(names = "--force-handlers", description = "Run notified handlers even on hosts that failed.")
  boolean forceHandlers;

  @Option(names = "--roles-path", paramLabel = "DIRS", split = ":",
      description = "Folders to search for roles, after roles/ beside the playbook (colon-separated, repeatable).")
  List<Path> rolesPath = new ArrayList<>();

  @Option(names = "--no-timing", description = "Leave out the timing summary after the recap.")
  boolean noTiming;

  @Option(names = "--junit", paramLabel = "FILE",
      description = "Also write a JUnit XML report (a test case per task and host) to FILE, for CI.")
  Path junit;

  @Override
  public Integer call() throws Exception {
    if (playbooks.isEmpty()) {
      throw new UsageException("name the playbooks to run (jplay PLAYBOOK...), or a command: "
          + String.join(", ", subcommandNames()) + " (see 'jplay --help')");
    }
    if (!syntaxCheck && !listHosts && !listTasks && !listTags) {
      // The ssh machinery and the template engine take a while to prepare: let that overlap reading the playbooks.
      jplay.engine.connection.Connections.warmUp();
      jplay.engine.template.Templar.warmUp();
    }
    run.vault.install(io);
    ModuleRegistry modules = ModuleRegistry.discover();
    PlaybookParser parser = new PlaybookParser(modules, rolesPath);
    List<Playbook> parsed = new ArrayList<>();
    List<jplay.engine.yaml.SourceError> errors = new ArrayList<>();
    for (Path p : playbooks) {
      if (!Files.exists(p)) {
        String command = p.getNameCount() == 1 && !p.toString().contains(".")
            ? jplay.engine.api.Suggestions.closest(p.toString(), subcommandNames()).map(c -> " (did you mean 'jplay " + c
                + "'?)").orElse("") : "";
        throw new UsageException("the playbook " + p + " could not be found" + command);
      }
      if (Files.isDirectory(p)) {
        List<String> inside = new ArrayList<>();
        try (var list = Files.list(p)) {
          list.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yml") || f.endsWith(".yaml")).sorted()
              .forEach(inside::add);
        }
        throw new UsageException("the playbook " + p + " is a directory, not a file"
            + (inside.isEmpty() ? " (name a playbook file such as " + p.resolve("site.yml") + ")"
                : " (did you mean " + p.resolve(inside.contains("site.yml") ? "site.yml" : inside.get(0)) + "?)"));
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
    Map<String, Object> extra = run.extraVars();
    PrintStream out = io.out();
    if (syntaxCheck) {
      for (Playbook pb : parsed) {
        out.println();
        out.println("playbook: " + pb.file());
      }
      return RunSummary.OK;
    }
    Inventory inventory = run.inventory(parsed.get(0).dir());
    if (listHosts || listTasks || listTags) {
      list(out, parsed, inventory);
      return RunSummary.OK;
    }
    RunOptions options = run.options(extra).withTags(tags, skipTags).withStart(startAtTask, step)
        .withForceHandlers(forceHandlers).withRolesPath(rolesPath);
    RunContext context = RunContext.create(io, options, run.output, run.color, noTiming);
    RunListener listener = context.listener();
    Progress progress = null;
    if (run.output.equals("human")) {
      progress = Progress.start(listener, io.out(),
          RunContext.terminal(io) ? Progress.Mode.TERMINAL : Progress.Mode.LINES, HumanOutput.DEFAULT_WIDTH);
      listener = progress;
    }
    JUnitReport report = junit == null ? null : new JUnitReport(junit);
    if (report != null) {
      listener = Listeners.of(listener, report);
    }
    PlaybookRunner runner = new PlaybookRunner(modules, inventory, options, listener, context.connections());
    try {
      return Interrupts.exitCode(io, runner, () -> runner.run(parsed));
    } finally {
      // The run's end closes both; an error that stopped the run before its end does not.
      if (progress != null) {
        progress.close();
      }
      if (report != null) {
        report.finish();
      }
    }
  }

  private void list(PrintStream out, List<Playbook> parsed, Inventory inventory) throws SourceException {
    for (Playbook pb : parsed) {
      out.println();
      out.println("playbook: " + pb.file());
      int n = 0;
      for (Play play : pb.plays()) {
        n++;
        out.println();
        out.println("  play #" + n + " (" + play.hosts() + "): " + play.displayName() + "\tTAGS: ["
            + String.join(", ", Listing.playTags(play)) + "]");
        if (listHosts) {
          List<Host> hosts = new ArrayList<>(inventory.select(play.hosts()));
          if (run.limit != null) {
            List<Host> allowed = inventory.select(run.limit);
            hosts.retainAll(allowed);
          }
          out.println("    pattern: ['" + play.hosts() + "']");
          out.println("    hosts (" + hosts.size() + "):");
          for (Host h : hosts) {
            out.println("      " + h.name());
          }
        }
        Tags selection = new Tags(tags, skipTags);
        if (listTasks) {
          out.println("    tasks:");
          for (Listing.Entry e : Listing.tasks(play, selection)) {
            out.println("      " + e.name() + "\tTAGS: [" + String.join(", ", e.tags()) + "]");
          }
        }
        if (listTags) {
          out.println("      TASK TAGS: [" + String.join(", ", Listing.tags(play, selection)) + "]");
        }
      }
    }
    out.flush();
  }
}
