package jplay.modules.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/** What {@code command} and {@code shell} share: parameters, creates/removes, check mode and the returned values. */
final class CommandRun {
  static final String WOULD_RUN = "Command would have run if not in check mode";
  private static final String CHDIR_MARK = "jplay: chdir failed: ";

  private CommandRun() {}

  /** The parameters both modules take, in documentation order. */
  static List<Param> commonParams() {
    return List.of(
        Param.str("cmd").doc("The command to run (instead of the free-form string)."),
        Param.path("chdir").doc("Change into this directory before running the command."),
        Param.path("creates")
            .doc("A path or glob; when it matches, the command is not run (relative to chdir when given)."),
        Param.path("removes").doc("A path or glob; when it matches nothing, the command is not run."),
        Param.str("stdin").doc("Text fed to the command's standard input."),
        Param.bool("stdin_add_newline").defaultValue(true).doc("Add a newline to the stdin text."),
        Param.bool("strip_empty_ends")
            .defaultValue(true)
            .doc("Remove trailing newlines from stdout and stderr in the returned values."));
  }

  /**
   * Plans one run.
   *
   * @param cmd the value returned as {@code cmd}: the list of words (command) or the script text (shell)
   * @param body the script that runs it, before {@code chdir} is applied
   * @param warnings returned as {@code warnings} with the result (shown as [WARNING] lines)
   */
  static Plan plan(ModuleContext ctx, Object cmd, String body, List<String> warnings) {
    Args args = ctx.args();
    String chdir = args.str("chdir");
    String prefix = chdir == null ? "" : cd(chdir) + "\n";
    String creates = args.str("creates");
    String removes = args.str("removes");
    String shoulda = ctx.checkMode() ? "Would" : "Did";
    // Ansible changes directory first, so a missing chdir fails the task even when creates/removes would skip it.
    if (creates != null) {
      Match m = ctx.fact(matches(prefix, creates));
      if (m.chdirError() != null) {
        return chdirFailed(cmd, chdir, m.chdirError(), warnings);
      }
      if (m.found()) {
        return notRun(cmd, shoulda + " not run command since '" + creates + "' exists",
            "skipped, since " + creates + " exists", warnings);
      }
    }
    if (removes != null) {
      Match m = ctx.fact(matches(prefix, removes));
      if (m.chdirError() != null) {
        return chdirFailed(cmd, chdir, m.chdirError(), warnings);
      }
      if (!m.found()) {
        return notRun(
            cmd,
            shoulda + " not run command since '" + removes + "' does not exist",
            "skipped, since " + removes + " does not exist",
            warnings);
      }
    }
    Map<String, Object> notRan = values(cmd, 0, "", "", warnings);
    if (ctx.checkMode() && creates == null && removes == null) {
      if (chdir != null) {
        String error = ctx.fact(chdirProbe(prefix));
        if (error != null) {
          return chdirFailed(cmd, chdir, error, warnings);
        }
      }
      return new Plan.Noop(WOULD_RUN, new Outcome(false, false, true, WOULD_RUN, notRan, null));
    }
    Command run = Command.of(prefix + body).isolate();
    if (args.has("stdin")) {
      String in = args.str("stdin") + (args.bool("stdin_add_newline") ? "\n" : "");
      run = run.withStdin(in.getBytes(StandardCharsets.UTF_8));
    }
    boolean strip = args.bool("strip_empty_ends");
    Outcome wouldRun = new Outcome(true, false, false, WOULD_RUN, notRan, null);
    return new Plan.Change(
        List.of(run), null, wouldRun, results -> interpret(cmd, chdir, strip, warnings, results));
  }

  /**
   * A {@code cd} that, when it fails, prints one marker line with Python's errno text on stderr and exits 1; the
   * interpretation turns that into Ansible's "Unable to change directory before execution" failure.
   */
  static String cd(String dir) {
    // A path parameter expands a leading ~ as Ansible's type='path' does (on the target, where $HOME is).
    String d = dir.equals("~") ? "\"$HOME\""
        : dir.startsWith("~/") ? "\"$HOME\"" + Shell.quote(dir.substring(1)) : Shell.quote(dir);
    return "cd -- " + d + " 2>/dev/null || { if [ ! -e " + d + " ]; then e='[Errno 2] No such file or directory';"
        + " elif [ ! -d " + d + " ]; then e='[Errno 20] Not a directory'; else e='[Errno 13] Permission denied'; fi;"
        + " printf '" + CHDIR_MARK + "%s\\n' \"$e\" >&2; exit 1; }";
  }

  /** The errno text when {@code r} is the marker a failed {@link #cd} prints, else null. */
  static String chdirError(CommandResult r) {
    String err = r.stderr();
    if (r.rc() == 1 && err.startsWith(CHDIR_MARK) && err.endsWith("\n") && err.indexOf('\n') == err.length() - 1) {
      return err.substring(CHDIR_MARK.length(), err.length() - 1);
    }
    return null;
  }

  private static Fact<String> chdirProbe(String prefix) {
    return Fact.of("chdir " + prefix, Command.of(prefix + "echo ok"), r -> {
      String error = chdirError(r);
      if (error == null && !(r.ok() && r.stdout().strip().equals("ok"))) {
        throw new ModuleException("cannot check the chdir directory: " + describe(r));
      }
      return error;
    });
  }

  private static Plan chdirFailed(Object cmd, String chdir, String error, List<String> warnings) {
    Map<String, Object> data = values(cmd, null, "", "", warnings);
    String msg = chdirMessage(chdir, error);
    return new Plan.Noop(msg, new Outcome(false, true, false, msg, data, null));
  }

  /** Ansible's message, which shows the directory as a Python bytes literal. */
  static String chdirMessage(String chdir, String error) {
    return "Unable to change directory before execution: " + error + ": " + pyBytes(chdir);
  }

  /** Python's {@code repr()} of the UTF-8 bytes of {@code s}: {@code b'/srv/app'}. */
  static String pyBytes(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder("b").append(quote);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == quote || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.append((char) c);
      }
    }
    return out.append(quote).toString();
  }

  /** The text the user gave: the free-form string, else {@code cmd}; null when neither. */
  static String text(Args args) {
    String raw = args.str(ModuleSpec.RAW_PARAMS);
    if (raw != null && !raw.isBlank()) {
      return raw;
    }
    String cmd = args.str("cmd");
    return cmd == null || cmd.isBlank() ? null : cmd;
  }

  static ModuleException noCommand() {
    return new ModuleException("no command given", Map.of("rc", 256));
  }

  private static Plan notRun(Object cmd, String msg, String stdout, List<String> warnings) {
    Outcome ok = new Outcome(false, false, false, msg, values(cmd, 0, stdout, "", warnings), null);
    return new Plan.Noop(msg, ok);
  }

  static Outcome interpret(
      Object cmd, String chdir, boolean strip, List<String> warnings, List<CommandResult> results) {
    if (results.isEmpty()) {
      return Outcome.failed("the command did not run", values(cmd, -1, "", "", warnings));
    }
    CommandResult r = results.get(0);
    String chdirError = chdir == null ? null : chdirError(r);
    if (chdirError != null) {
      return Outcome.failed(chdirMessage(chdir, chdirError), values(cmd, null, "", "", warnings));
    }
    String out = strip ? stripEnds(r.stdout()) : r.stdout();
    String err = strip ? stripEnds(r.stderr()) : r.stderr();
    Map<String, Object> data = values(cmd, r.rc(), out, err, warnings);
    data.put("start", timestamp(r.start()));
    data.put("end", timestamp(r.end()));
    data.put("delta", delta(Duration.between(r.start(), r.end())));
    return r.ok()
        ? Outcome.changed(data)
        : new Outcome(true, true, false, "non-zero return code", data, null);
  }

  private static Map<String, Object> values(
      Object cmd, Integer rc, String stdout, String stderr, List<String> warnings) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("cmd", cmd);
    data.put("rc", rc);
    data.put("stdout", stdout);
    data.put("stderr", stderr);
    data.put("stdout_lines", lines(stdout));
    data.put("stderr_lines", lines(stderr));
    data.put("start", null);
    data.put("end", null);
    data.put("delta", null);
    if (!warnings.isEmpty()) {
      data.put("warnings", warnings);
    }
    return data;
  }

  /** Whether a creates/removes pattern matched, or why changing into chdir first failed (else null). */
  record Match(boolean found, String chdirError) {}

  /**
   * Whether {@code pattern} matches an existing path (a dangling symlink counts), as Python's {@code glob.glob}:
   * the shell expands the glob characters, everything else stays quoted.
   */
  static Fact<Match> matches(String cdPrefix, String pattern) {
    String script =
        cdPrefix
            + "for p in "
            + globWord(pattern)
            + "; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then echo yes; exit 0; fi; done; echo no";
    return Fact.of(
        "path-matches " + cdPrefix + pattern,
        Command.of(script),
        r -> {
          String error = chdirError(r);
          if (error != null) {
            return new Match(false, error);
          }
          String out = r.stdout().strip();
          if (!r.ok() || !(out.equals("yes") || out.equals("no"))) {
            throw new ModuleException("cannot check whether " + pattern + " exists: " + describe(r));
          }
          return new Match(out.equals("yes"), null);
        });
  }

  private static String describe(CommandResult r) {
    return r.stderr().isBlank() ? "probe printed '" + r.stdout().strip() + "'" : r.stderr().strip();
  }

  /** One shell word in which only {@code *}, {@code ?} and simple {@code [...]} classes are left to expand. */
  static String globWord(String pattern) {
    StringBuilder out = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      int close = c == '[' ? pattern.indexOf(']', i + 2) : -1;
      boolean bracket = close > 0 && pattern.substring(i + 1, close).matches("[!^]?[A-Za-z0-9._-]+");
      if (c == '*' || c == '?' || bracket) {
        if (literal.length() > 0) {
          out.append(Shell.quote(literal.toString()));
          literal.setLength(0);
        }
        String glob = bracket ? pattern.substring(i, close + 1) : String.valueOf(c);
        out.append(glob.replace("[^", "[!"));
        i += glob.length();
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0 || out.length() == 0) {
      out.append(Shell.quote(literal.toString()));
    }
    return out.toString();
  }

  /** Python's {@code rstrip("\r\n")}. */
  static String stripEnds(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Python's {@code str.splitlines()}: every line break Python knows, no empty last line. */
  static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if ("\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029".indexOf(c) >= 0) {
        out.add(s.substring(start, i));
        i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  /**
   * Python's {@code str(datetime)} in the controller's time zone: "2024-01-01 12:00:00.123456", without the
   * fraction when it is zero. Ansible shows the target's local time; the controller's is the nearest we know.
   */
  static String timestamp(Instant t) {
    LocalDateTime d = LocalDateTime.ofInstant(t, ZoneId.systemDefault());
    String base =
        String.format(
            "%04d-%02d-%02d %02d:%02d:%02d",
            d.getYear(), d.getMonthValue(), d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond());
    int micros = d.getNano() / 1000;
    return micros == 0 ? base : base + String.format(".%06d", micros);
  }

  /** Python's {@code str(timedelta)}: "0:00:00.003456", "1 day, 2:00:00". */
  static String delta(Duration d) {
    long micros = d.toNanos() / 1000;
    long days = Math.floorDiv(micros, 86_400_000_000L);
    long rest = Math.floorMod(micros, 86_400_000_000L);
    long secs = rest / 1_000_000;
    long frac = rest % 1_000_000;
    String clock = String.format("%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    if (frac != 0) {
      clock += String.format(".%06d", frac);
    }
    return days == 0 ? clock : days + (Math.abs(days) == 1 ? " day, " : " days, ") + clock;
  }
}
