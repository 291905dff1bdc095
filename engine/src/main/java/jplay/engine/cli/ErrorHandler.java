package jplay.engine.cli;

import java.io.PrintWriter;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to Ansible's exit codes with one clear line each; a stack trace only with {@code -vvvv} or
 * {@code --stacktrace}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof SourceException se) {
      for (SourceError error : se.errors()) {
        err.println("ERROR! " + error);
      }
      err.flush();
      return RunSummary.HOST_UNREACHABLE;
    }
    if (e instanceof UsageException ue) {
      err.println("ERROR! " + ue.getMessage());
      err.flush();
      return RunSummary.BAD_OPTIONS;
    }
    err.println("ERROR! internal error: " + e);
    if (wantsStackTrace(parsed)) {
      e.printStackTrace(err);
    } else {
      err.println("(run with -vvvv for the stack trace; please report it)");
    }
    err.flush();
    return RunSummary.INTERNAL_ERROR;
  }

  static int badOptions(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println("ERROR! " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("(see '" + cli.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return RunSummary.BAD_OPTIONS;
  }

  private static boolean wantsStackTrace(ParseResult parsed) {
    ParseResult p = parsed;
    while (p != null) {
      if (p.hasMatchedOption("--stacktrace")) {
        return true;
      }
      if (p.hasMatchedOption("-v")) {
        boolean[] v = p.matchedOptionValue("-v", new boolean[0]);
        if (v.length >= 4) {
          return true;
        }
      }
      p = p.hasSubcommand() ? p.subcommand() : null;
    }
    return false;
  }
}
