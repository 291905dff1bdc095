package jplay.engine.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jplay.engine.api.Suggestions;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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

  /**
   * A command line picocli cannot parse: one line naming the problem, with a "did you mean" for a mistyped option
   * or command, and where the help is. Exit 5.
   */
  static int badOptions(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    String message = e.getMessage();
    String command = misspeltCommand(cli, args);
    if (command != null) {
      message = "'" + args[0] + "' is neither a playbook nor a command (did you mean 'jplay " + command + "'?)";
    } else if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      message += suggestion(cli.getCommandSpec(), u);
    }
    err.println("ERROR! " + message + " (see '" + cli.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return RunSummary.BAD_OPTIONS;
  }

  /**
   * {@code jplay invetory --list}: picocli takes the first word for a playbook and complains about the option;
   * the real mistake is the command's name.
   */
  private static String misspeltCommand(CommandLine cli, String[] args) {
    if (cli.getCommandSpec().parent() != null || args.length == 0 || args[0].startsWith("-")
        || args[0].contains(".") || args[0].contains("/") || java.nio.file.Files.exists(java.nio.file.Path.of(args[0]))) {
      return null;
    }
    return Suggestions.closest(args[0], cli.getCommandSpec().subcommands().keySet()).orElse(null);
  }

  /** Our closest match among the options and commands, else picocli's own suggestions (prefix-based). */
  private static String suggestion(CommandSpec spec, UnmatchedArgumentException u) {
    String word = u.getUnmatched().get(0);
    int eq = word.indexOf('=');
    String name = word.startsWith("-") && eq > 0 ? word.substring(0, eq) : word;
    List<String> candidates = new ArrayList<>();
    if (name.startsWith("-")) {
      for (OptionSpec o : spec.options()) {
        if (!o.hidden()) {
          candidates.addAll(List.of(o.names()));
        }
      }
    } else {
      candidates.addAll(spec.subcommands().keySet());
    }
    String ours = Suggestions.hint(name, candidates);
    if (!ours.isEmpty()) {
      return ours;
    }
    List<String> theirs = u.getSuggestions();
    return theirs.isEmpty() ? "" : " (did you mean " + theirs.stream().map(s -> "'" + s + "'")
        .collect(Collectors.joining(" or ")) + "?)";
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
