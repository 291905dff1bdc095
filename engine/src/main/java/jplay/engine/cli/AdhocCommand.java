package jplay.engine.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jplay.engine.connection.ConnectionPool;
import jplay.engine.inventory.Inventory;
import jplay.engine.output.HumanOutput;
import jplay.engine.output.JsonLinesOutput;
import jplay.engine.output.Progress;
import jplay.engine.output.RunListener;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Task;
import jplay.engine.repl.AdhocOutput;
import jplay.engine.repl.PooledConnections;
import jplay.engine.repl.TaskLine;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunOptions;
import jplay.engine.yaml.Mark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jplay adhoc PATTERN -m MODULE -a ARGS}: one module on many hosts, as Ansible's {@code ansible}. */
@Command(
    name = "adhoc",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Runs one module on the hosts matching a pattern (as Ansible's 'ansible' command).",
      "",
      "Examples:",
      "  jplay adhoc all -i hosts -m ping",
      "  jplay adhoc web -i hosts -a 'uptime'",
      "  jplay adhoc web -i hosts -b -m file -a 'path=/srv/app state=directory'",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:all hosts ok",
      "2:a host failed",
      "4:a host was unreachable, or the arguments or inventory have errors",
      "5:bad options",
      "99:interrupted",
      "250:internal error"
    })
final class AdhocCommand implements Callable<Integer> {
  private final Io io;

  AdhocCommand(Io io) {
    this.io = io;
  }

  @Parameters(index = "0", paramLabel = "PATTERN", description = "The hosts to run on (all, web, 'web:&prod', ...).")
  String pattern;

  @Option(names = {"-m", "--module-name"}, paramLabel = "MODULE", completionCandidates = ModuleNames.class,
      description = "The module to run (default: ${DEFAULT-VALUE}).")
  String module = "command";

  @Option(names = {"-a", "--args"}, paramLabel = "ARGS",
      description = "The module's arguments: k=v pairs, free text for command and shell, or a YAML/JSON mapping.")
  String args;

  @Option(names = {"-o", "--one-line"}, description = "One line per host.")
  boolean oneLine;

  @Mixin RunMixin run;

  @Override
  public Integer call() throws Exception {
    jplay.engine.connection.Connections.warmUp(); // overlaps preparing ssh with reading the inventory
    jplay.engine.template.Templar.warmUp();
    ModuleRegistry modules = ModuleRegistry.discover();
    if (modules.find(module).isEmpty()) {
      throw new UsageException("-m: no module named '" + module + "'"
          + jplay.engine.api.Suggestions.hint(module, modules.allNames()) + "; 'jplay doc --list' shows them all");
    }
    Task task = TaskLine.task(new PlaybookParser(modules), modules, module, args, Mark.of("-a"));
    run.vault.install(io);
    Map<String, Object> extra = run.extraVars();
    Path here = Path.of("").toAbsolutePath();
    Inventory inventory = run.inventory(here);
    RunOptions options = run.options(extra);
    RunListener listener = run.output.equals("json") ? new JsonLinesOutput(io.out())
        : new AdhocOutput(io.out(), io.err(), oneLine, RunContext.useColor(run.color, io), options.diff(), false);
    // Which hosts are still running, when the module runs long (the same as for playbooks).
    Progress progress = run.output.equals("json") ? null : Progress.start(listener, io.out(),
        RunContext.terminal(io) ? Progress.Mode.TERMINAL : Progress.Mode.LINES, HumanOutput.DEFAULT_WIDTH);
    PlaybookRunner runner = new PlaybookRunner(modules, inventory, options, progress == null ? listener : progress,
        new PooledConnections(new ConnectionPool(), true));
    // Relative paths in the arguments are relative to where jplay runs, as for Ansible's ad-hoc commands.
    Playbook adhoc = new Playbook(here.resolve("adhoc"), List.of(TaskLine.play(pattern, task, Map.of())));
    try {
      return Interrupts.exitCode(io, runner, () -> runner.run(List.of(adhoc)));
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
  }
}
