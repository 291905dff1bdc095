package jplay.engine.cli;

import jplay.engine.connection.ConnectionPool;
import jplay.engine.output.HumanOutput;
import jplay.engine.output.JsonLinesOutput;
import jplay.engine.output.RunListener;
import jplay.engine.repl.PooledConnections;
import jplay.engine.run.ConnectionSource;
import jplay.engine.run.RunOptions;

/** The listener and connections a run writes to and works through, chosen from the command line. */
record RunContext(RunListener listener, ConnectionSource connections) {
  static RunContext create(Io io, RunOptions options, String output, String color, boolean noTiming)
      throws UsageException {
    RunListener listener = switch (output) {
      case "human" -> new HumanOutput(
          io.out(), io.err(), options.verbosity(), useColor(color, io), options.diff(), HumanOutput.DEFAULT_WIDTH,
          !noTiming);
      case "json" -> new JsonLinesOutput(io.out());
      default -> throw new UsageException("--output takes human or json, not '" + output + "'");
    };
    return new RunContext(listener, new PooledConnections(new ConnectionPool(), true));
  }

  /** Whether the output goes to a terminal that can redraw a line (not a pipe, a file, or TERM=dumb). */
  static boolean terminal(Io io) {
    return io.out() == System.out && System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  /** Colour on a terminal unless NO_COLOR is set (https://no-color.org), or as forced by --color. */
  static boolean useColor(String color, Io io) throws UsageException {
    return switch (color) {
      case "always" -> true;
      case "never" -> false;
      case "auto" -> io.out() == System.out && System.console() != null
          && (System.getenv("NO_COLOR") == null || System.getenv("NO_COLOR").isEmpty())
          && !"dumb".equals(System.getenv("TERM"));
      default -> throw new UsageException("--color takes auto, always or never, not '" + color + "'");
    };
  }
}
