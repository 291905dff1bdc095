package jplay.engine.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;

/**
 * The console's read-run loop. On a terminal (even a dumb one): a jline reader with the session's prompt, Tab
 * completion and a history file; Ctrl-C at the prompt clears the line, Ctrl-C while a line runs stops that line
 * (its hosts report INTERRUPTED) and the prompt comes back; Ctrl-D leaves. From a pipe: no prompt, one command per
 * line, and the exit code says whether any line failed, so sessions can be scripted.
 *
 * <pre>{@code
 * try (ConsoleSession s = new ConsoleSession(...); Terminal t = TerminalBuilder.terminal()) {
 *   int code = Console.interactive(s, t, Console.historyFile(null));
 * }
 * }</pre>
 */
public final class Console {
  private Console() {}

  /** Reads lines from the terminal until Ctrl-D or :exit; returns the session's exit code. */
  public static int interactive(ConsoleSession session, Terminal terminal, Path historyFile) {
    LineReader reader = reader(session, terminal, historyFile);
    Terminal.SignalHandler previous = terminal.handle(Signal.INT, s -> session.interrupt());
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine(session.prompt());
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        if (session.execute(line) == ConsoleSession.Next.EXIT) {
          break;
        }
      }
    } finally {
      terminal.handle(Signal.INT, previous);
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        terminal.writer().println("[WARNING]: could not save the history: " + e.getMessage());
      }
    }
    return session.exitCode();
  }

  /** The reader {@link #interactive} uses; separate so that tests can drive completion. */
  static LineReader reader(ConsoleSession session, Terminal terminal, Path historyFile) {
    LineReader reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("jplay")
        .completer(new ConsoleCompleter(session))
        .variable(LineReader.HISTORY_FILE, historyFile)
        // '!uptime' is a shell command here, not bash's history expansion.
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
        .build();
    // jline leaves Tab unbound on a dumb terminal (its "dumb" keymap); completing a word still works there.
    reader.getKeyMaps().get(LineReader.DUMB).bind(new Reference(LineReader.COMPLETE_WORD), "\t");
    session.history(() -> {
      List<String> lines = new ArrayList<>();
      for (History.Entry e : reader.getHistory()) {
        lines.add(e.line());
      }
      return lines;
    });
    return reader;
  }

  /** Runs each line of {@code in} (no prompt, nothing echoed) until its end or :exit; returns the exit code. */
  public static int piped(ConsoleSession session, BufferedReader in) {
    List<String> seen = new ArrayList<>();
    session.history(() -> List.copyOf(seen));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        seen.add(line);
        if (session.execute(line) == ConsoleSession.Next.EXIT) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return session.exitCode();
  }

  /**
   * The history file: {@code option} when given, else {@code $JPLAY_HOME/history}, else {@code ~/.jplay/history};
   * its folder is created.
   */
  public static Path historyFile(Path option, Map<String, String> env) throws IOException {
    Path file;
    if (option != null) {
      file = option;
    } else if (env.get("JPLAY_HOME") != null && !env.get("JPLAY_HOME").isEmpty()) {
      file = Path.of(env.get("JPLAY_HOME"), "history");
    } else {
      file = Path.of(System.getProperty("user.home"), ".jplay", "history");
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    return file;
  }
}
