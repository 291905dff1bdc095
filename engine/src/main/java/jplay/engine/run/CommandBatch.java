package jplay.engine.run;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Shell;

/**
 * The commands of one change sent as one script, one round trip instead of one per command: each runs in a
 * subshell of its own ({@code ( eval SCRIPT )}: its variables, traps, umask, cwd and {@code exit} stay in it, as in
 * a shell of its own, without starting one), in order, and after each the script prints a random marker with its exit code
 * on stdout and the marker with the command's number on stderr; the first non-zero exit ends the script, as the
 * engine stops a change at the first failing command. The combined output is then cut back into one result per
 * command that ran.
 *
 * <p>While stderr is an empty file (the host's shell keeps it in one), the stderr markers are left out: they are
 * what the host's shell would otherwise have to send back, with a process to read it, after every batch, although
 * the commands themselves mostly write no stderr at all. Once anything is written there, every later command marks
 * its end, so the text before a marker is that command's alone and commands without a marker wrote nothing.
 *
 * <p>A command's stdin is the script's stdin, so at most one command of a batch may have input (the others read
 * {@code /dev/null}, which is what an empty input amounts to). Every result carries the whole batch's start and
 * end, since only the batch is timed. A task timeout bounds the whole batch, which is what a task's timeout means.
 *
 * <p>The first commands may be guarded by guesses of their stdout ({@link #speculative}): the script compares what
 * each printed with its guess and, when any differed, prints a miss line after the last one's marker and ends
 * there. All of them run either way (they only read: a miss then leaves every result at hand). Such a command runs
 * in a command substitution to be compared, so its output must be text without NUL bytes, and it must not set an
 * exit trap of its own.
 */
final class CommandBatch {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<Command> commands;
  /** Per command, the stdout it is guarded by, or null. */
  private final List<String> guesses;
  private final String marker;

  private CommandBatch(List<Command> commands, List<String> guesses, String marker) {
    this.commands = List.copyOf(commands);
    this.guesses = java.util.Collections.unmodifiableList(new ArrayList<>(guesses));
    this.marker = marker;
  }

  /** True when {@code commands} can go as one batch: more than one, and at most one with input. */
  static boolean fits(List<Command> commands) {
    return commands.size() > 1 && commands.stream().filter(c -> c.stdin().length > 0).count() <= 1;
  }

  /** A batch with a fresh random marker. */
  static CommandBatch of(List<Command> commands) {
    return of(commands, java.util.Collections.nCopies(commands.size(), null));
  }

  /**
   * Probes, each guarded by a guess of its stdout, then a change: the change runs only when every probe exits 0
   * and prints exactly its guess ({@link #missed} tells when one did not). A probe that fails ends the batch.
   */
  static CommandBatch speculative(List<Command> probes, List<String> guesses, List<Command> change) {
    if (probes.isEmpty() || change.isEmpty() || probes.size() != guesses.size()
        || guesses.stream().anyMatch(java.util.Objects::isNull) || probes.stream().anyMatch(p -> p.stdin().length > 0)) {
      throw new IllegalArgumentException("a speculative batch needs probes without input, one guess each, and a change");
    }
    List<Command> commands = new ArrayList<>(probes);
    commands.addAll(change);
    List<String> guards = new ArrayList<>(guesses);
    guards.addAll(java.util.Collections.nCopies(change.size(), null));
    return of(commands, guards);
  }

  private static CommandBatch of(List<Command> commands, List<String> guesses) {
    if (!fits(commands)) {
      throw new IllegalArgumentException("a batch needs two or more commands with at most one stdin, got " + commands);
    }
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return new CommandBatch(commands, guesses, "JPLAY-RC-" + HexFormat.of().formatHex(key));
  }

  /** The one command that runs the whole batch. */
  Command command() {
    StringBuilder sb = new StringBuilder(guesses.get(0) != null ? "_jplay_miss=\n" : "");
    byte[] stdin = new byte[0];
    boolean sensitive = false;
    boolean isolated = false;
    // The batch takes its input as a variable when the command with the input does; the variable is then the
    // batch's, and the other commands must not see it as theirs.
    boolean stdinVariable = commands.stream().anyMatch(c -> c.stdin().length > 0 && c.stdinVariable());
    for (int i = 0; i < commands.size(); i++) {
      Command c = commands.get(i);
      sensitive |= c.sensitive();
      isolated |= c.isolated();
      String unset = stdinVariable && c.stdin().length == 0 ? "unset " + Command.STDIN_VARIABLE + "; " : "";
      String guess = guesses.get(i);
      if (guess != null) {
        // Captured to be compared, then printed as if it had not been. The substitution's subshell is the
        // command's own (one process, not two): its exit trap appends a dot (which keeps trailing newlines) however
        // it ends, an exit of the script's own included.
        sb.append("_jplay_o=$(trap 'r=$?; printf .; exit \"$r\"' EXIT; eval ")
            .append(Shell.quote(unset + exports(c.env()) + c.script()))
            .append(" </dev/null); r=$?; _jplay_o=${_jplay_o%.}; printf %s \"$_jplay_o\"");
      } else {
        sb.append("( eval ").append(Shell.quote(unset + exports(c.env()) + c.script())).append(" )");
      }
      if (c.stdin().length > 0) {
        stdin = c.stdin();
      } else if (guess == null) {
        sb.append(" </dev/null");
      }
      // /dev/fd/2 is the shell's own stderr when tested by the builtin [ (no process runs here).
      sb.append(guess == null ? "\nr=$?; " : "\n").append("printf '%s %s\\n' ").append(marker).append(" \"$r\"; ")
          .append("[ -f /dev/fd/2 ] && [ ! -s /dev/fd/2 ] || printf '%s %s\\n' ").append(marker).append(' ').append(i)
          .append(" >&2\n");
      if (i < commands.size() - 1) {
        sb.append("[ \"$r\" -eq 0 ] || exit 0\n");
      }
      if (guess != null) {
        sb.append("[ \"$_jplay_o\" = ").append(Shell.quote(guess)).append(" ] || _jplay_miss=1\n");
        if (guesses.get(i + 1) == null) {
          sb.append("[ -z \"$_jplay_miss\" ] || { printf '%s miss\\n' ").append(marker).append("; exit 0; }\n");
        }
      }
    }
    Command batch = new Command(sb.toString(), stdin, Map.of(), false, isolated, stdinVariable);
    return sensitive ? batch.markSensitive() : batch;
  }

  /**
   * One result per command that ran, cut from the batch's result. A command without its marker was running when
   * the batch ended (a timeout, a lost link): its result gets the batch's exit code and whatever output is left.
   */
  List<CommandResult> split(CommandResult whole) {
    List<CommandResult> out = new ArrayList<>();
    String stdout = whole.stdout();
    String stderr = whole.stderr();
    String rcMark = marker + " ";
    int so = 0;
    int se = 0;
    for (int i = 0; i < commands.size(); i++) {
      int at = stdout.indexOf(rcMark, so);
      int nl = at < 0 ? -1 : stdout.indexOf('\n', at);
      if (nl < 0) {
        int rc = whole.rc() != 0 ? whole.rc() : 255;
        out.add(new CommandResult(rc, stdout.substring(so), stderr.substring(se), whole.start(), whole.end()));
        break;
      }
      int rc = Integer.parseInt(stdout.substring(at + rcMark.length(), nl).strip());
      // This command's stderr ends at its marker; without one (left out while stderr was empty) it wrote none.
      String errMark = marker + " " + i + "\n";
      int eat = stderr.indexOf(errMark, se);
      String err = eat < 0 ? "" : stderr.substring(se, eat);
      se = eat < 0 ? se : eat + errMark.length();
      out.add(new CommandResult(rc, stdout.substring(so, at), err, whole.start(), whole.end()));
      so = nl + 1;
      if (rc != 0 || guesses.get(i) != null && stdout.startsWith(marker + " miss\n", so)) {
        break;
      }
    }
    return out;
  }

  /** Whether a guarded command printed something other than its guess, which ended the batch after the last one. */
  boolean missed(CommandResult whole) {
    return whole.stdout().contains(marker + " miss\n");
  }

  /** How many commands ran to their end (their marker is there); a batch cut short has one more result than this. */
  int finished(CommandResult whole) {
    int n = 0;
    for (int at = whole.stdout().indexOf(marker + " "); at >= 0; at = whole.stdout().indexOf(marker + " ", at + 1)) {
      n += whole.stdout().startsWith(marker + " miss\n", at) ? 0 : 1;
    }
    return n;
  }

  /** As the connection exports a command's environment, with the same check of the names. */
  private static String exports(Map<String, String> env) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("environment variable name '" + e.getKey()
            + "' is not a valid shell name (letters, digits, _; not starting with a digit)");
      }
      sb.append("export ").append(e.getKey()).append('=').append(Shell.quote(e.getValue())).append("; ");
    }
    return sb.toString();
  }
}
