package jplay.engine.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The {@code jplay} command: runs playbooks; subcommands inspect inventories. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Start logging before the forks do: SLF4J otherwise prints a "replaying calls" notice on the terminal when
    // several threads log during its initialisation.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(run(System.out, System.err, args));
  }

  /** Runs a command line, writing to {@code out} and {@code err}, and returns the exit code (never exits). */
  public static int run(PrintStream out, PrintStream err, String... args) {
    Io io = new Io(out, err);
    CommandLine cli = new CommandLine(new PlaybookCommand(io), new Factory(io));
    cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::badOptions);
    return cli.execute(args);
  }

  /** Gives every subcommand the same streams. */
  private record Factory(Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == InventoryCommand.class) {
        return cls.cast(new InventoryCommand(io));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
