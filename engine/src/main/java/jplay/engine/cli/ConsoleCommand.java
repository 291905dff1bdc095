package jplay.engine.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jplay.engine.inventory.Inventory;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.repl.Console;
import jplay.engine.repl.ConsoleSession;
import jplay.engine.run.RunOptions;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jplay console -i INVENTORY [PATTERN]}: a live session on many hosts, as ansible-console but kept open. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      // The first line stands alone: 'jplay --help' lists the commands by it.
      "Runs modules on hosts line by line (as ansible-console).",
      "Connections stay open for the whole session. Type :help in the console. From a pipe, each line is one "
          + "command and the exit code says whether any failed.",
      "",
      "Examples:",
      "  jplay console -i hosts web",
      "  echo 'ping' | jplay console -i hosts all",
      ""
    })
final class ConsoleCommand implements Callable<Integer> {
  private final Io io;

  ConsoleCommand(Io io) {
    this.io = io;
  }

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN",
      description = "The hosts to start on (default: ${DEFAULT-VALUE}).")
  String pattern = "all";

  @Option(names = "--history", paramLabel = "FILE",
      description = "History file (default: $JPLAY_HOME/history or ~/.jplay/history).")
  Path history;

  @Mixin RunMixin run;

  @Override
  public Integer call() throws Exception {
    ModuleRegistry modules = ModuleRegistry.discover();
    run.vault.install(io);
    Inventory inventory = run.inventory(Path.of("").toAbsolutePath());
    if (inventory.select(pattern).isEmpty()) {
      throw new UsageException("no hosts match '" + pattern + "'"
          + inventory.suggest(pattern).map(s -> " (did you mean '" + s + "'?)").orElse(""));
    }
    RunOptions options = run.options(run.extraVars());
    boolean terminal = io.in() == System.in && System.console() != null;
    if (!terminal) {
      try (ConsoleSession session = new ConsoleSession(modules, inventory, options, pattern, io.out(), io.err(),
          RunContext.useColor(run.color, io), false, run.output)) {
        return Console.piped(session, new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)));
      }
    }
    try (Terminal t = TerminalBuilder.builder().system(true).build()) {
      boolean dumb = t.getType().startsWith(Terminal.TYPE_DUMB);
      try (ConsoleSession session = new ConsoleSession(modules, inventory, options, pattern, io.out(), io.err(),
          !dumb && RunContext.useColor(run.color, io), !dumb && run.output.equals("human"), run.output)) {
        return Console.interactive(session, t, Console.historyFile(history, System.getenv()));
      }
    }
  }
}
