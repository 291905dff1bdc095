package jplay.engine.cli;

import picocli.CommandLine;

/** The {@code jplay} command: runs playbooks; subcommands inspect inventories. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests: no System.exit). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new PlaybookCommand());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::badOptions);
    return cli.execute(args);
  }
}
