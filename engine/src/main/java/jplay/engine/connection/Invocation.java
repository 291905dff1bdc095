package jplay.engine.connection;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jplay.engine.api.Command;
import jplay.engine.api.Shell;

/**
 * The script a connection hands to {@code /bin/sh -c} for one command: environment exports, the remote timeout
 * guard and the sudo wrapper, built in one place for ssh and local alike.
 *
 * <p>With become, the script is {@code sudo -H -S -p '<prompt marker>' -u USER /bin/sh -c 'echo <success marker>;
 * exec /bin/sh -c <script>'}: a prompt marker on stderr means sudo wants the password (fed on stdin, never on a
 * command line), the success marker on stdout means the command now runs and may get its own stdin. Both markers
 * are random per command, so command output cannot fake them.
 *
 * @param script the text for {@code /bin/sh -c}
 * @param successMarker the line printed once sudo let us in; null without become
 * @param promptMarker sudo's password prompt; null without become
 * @param password the become password, or null
 * @param becomeUser the user become switches to; null without become
 * @param tag a random word in the command line of the command's processes, so {@link #stopScript()} can find them
 * @param sessionLeader true when the script runs as the leader of a session of its own without timeout(1) (see
 *     {@link #of(Command, Become, Duration, boolean)}); the stop script then signals that whole session
 */
record Invocation(String script, String successMarker, String promptMarker, String password, String becomeUser, String tag,
    boolean sessionLeader) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";

  /** Builds the invocation; {@code timeout} (null: none) arms the remote guard that kills the command's process group. */
  static Invocation of(Command command, Become become, Duration timeout) throws BecomeException {
    return of(command, become, timeout, false);
  }

  /**
   * As {@link #of(Command, Become, Duration)}; {@code ownSession} says that the shell running the script is made
   * the leader of a new session by whoever starts it, as sshd does for every command (setsid, no tty). A plain
   * command (no become, no timeout) then needs no timeout(1) around it: the stop script finds the session by the
   * tag and signals all of it. That saves two processes per command, which is most of what a probe costs the host.
   */
  static Invocation of(Command command, Become become, Duration timeout, boolean ownSession) throws BecomeException {
    String tag = "jplay-run-" + HexFormat.of().formatHex(bytes(8));
    // ": tag;" does nothing but puts the tag on the command lines of timeout(1) and the shell it starts.
    String body = ": " + tag + "; " + exports(command.env()) + command.script();
    if (ownSession && become == null && timeout == null) {
      return new Invocation(body, null, null, null, null, tag, true);
    }
    // The command always runs under timeout(1) where it exists (duration 0: no limit): timeout puts the command in
    // its own process group, and a signal it receives (at our deadline, or relayed by sshd when the run is
    // interrupted) goes to the whole group, with the command's own privileges, so no child lingers on the host.
    // Closing an ssh channel (or killing a local sudo) alone would leave them running. Where timeout(1) is missing
    // the command still runs; the connection then only stops waiting.
    String seconds = timeout == null ? "0" : seconds(timeout);
    String inner = "/bin/sh -c " + Shell.quote(body);
    body = "if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 " + seconds + " " + inner
        + "; else exec " + inner + "; fi";
    if (become == null) {
      return new Invocation(body, null, null, null, null, tag, false);
    }
    String method = become.method() == null ? "sudo" : become.method();
    if (!method.equals("sudo")) {
      throw new BecomeException("become method '" + method + "' is not supported (jplay supports: sudo)");
    }
    String user = become.user() == null || become.user().isEmpty() ? "root" : become.user();
    String key = HexFormat.of().formatHex(bytes(16));
    String success = "BECOME-SUCCESS-" + key;
    String prompt = "[sudo via jplay, key=" + key + "] password:";
    List<String> words = new ArrayList<>(List.of("sudo"));
    words.addAll(flags(become.flags(), become.password() != null));
    words.addAll(List.of("-p", prompt, "-u", user, "/bin/sh", "-c", "echo " + success + "; exec /bin/sh -c " + Shell.quote(body)));
    return new Invocation(Shell.join(words), success, prompt, become.password(), user, tag, false);
  }

  /**
   * A script that stops this command on the host: SIGTERM to its timeout(1) (which passes it to the command's
   * process group, and kills what is left 2 s later) and to its shell. Run with the same become, on another
   * channel, when the run is interrupted: closing a channel does not stop a command without a tty, and sshd only
   * relays signal requests for non-root logins. The pattern's bracket keeps this script's own shell from matching.
   * For a {@link #sessionLeader()} command: SIGTERM to every process of its session, SIGKILL to what is left 2 s
   * later (as timeout -k 2 would), without making the caller wait those 2 s.
   */
  String stopScript() {
    if (sessionLeader) {
      return stopSessionsOf(tag);
    }
    return "pkill -TERM -f '" + selfSafePattern(tag) + "' 2>/dev/null; true";
  }

  /** A {@code pgrep -f} pattern for {@code tag} that the script holding it does not match: a character in brackets. */
  static String selfSafePattern(String tag) {
    int last = tag.length() - 1;
    return tag.substring(0, last) + "[" + tag.charAt(last) + "]";
  }

  /**
   * SIGTERM to every process of the sessions {@code sids} (a number, or a shell word giving a comma list), SIGKILL
   * to what is left 2 s later (as timeout -k 2 would), without making the caller wait those 2 s. Ends in {@code &}.
   */
  static String stopSessions(String sids) {
    return "pkill -TERM -s " + sids + "; (sleep 2; pkill -KILL -s " + sids + ") </dev/null >/dev/null 2>&1 &";
  }

  /** {@link #stopSessions} for the sessions of the processes whose command line holds {@code tag}, if any. */
  static String stopSessionsOf(String tag) {
    // The session of the tagged shell (the login shell may have exec'd it or started it as a child).
    return "s=$(ps -o sid= -p \"$(pgrep -d, -f '" + selfSafePattern(tag) + "')\" 2>/dev/null | tr -d ' ' | sort -u"
        + " | paste -sd, -); [ -n \"$s\" ] && { " + stopSessions("\"$s\"") + " }; true";
  }

  boolean become() {
    return successMarker != null;
  }

  /** sudo's flags as Ansible's become_flags (default {@code -H -S -n}); -S is required, -n only without password. */
  private static List<String> flags(String given, boolean havePassword) {
    List<String> out = new ArrayList<>();
    String text = given == null || given.isBlank() ? "-H -S -n" : given;
    for (String f : text.trim().split("\\s+")) {
      boolean nonInteractive = f.equals("-n") || f.equals("--non-interactive");
      if (!(nonInteractive && havePassword) && !out.contains(f)) {
        out.add(f);
      }
    }
    if (!out.contains("-S") && !out.contains("--stdin")) {
      out.add("-S");
    }
    // Without a password sudo must fail at once instead of waiting for one on stdin.
    if (!havePassword && !out.contains("-n") && !out.contains("--non-interactive")) {
      out.add("-n");
    }
    return out;
  }

  private static String exports(Map<String, String> env) {
    StringBuilder sb = new StringBuilder();
    // Sorted, so the same command always yields the same script (stable logs and tests).
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().matches(NAME)) {
        throw new IllegalArgumentException("environment variable name '" + e.getKey() + "' is not a valid shell name (letters, digits, _; not starting with a digit)");
      }
      sb.append("export ").append(e.getKey()).append('=').append(Shell.quote(e.getValue())).append("; ");
    }
    return sb.toString();
  }

  /** "5" or "1.5": what timeout(1) accepts and what messages print. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return Long.toString(ms / 1000);
    }
    return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    // The script holds no secret (the password travels on stdin); the password must never be printed.
    return "Invocation[" + script + (password != null ? ", with become password" : "") + "]";
  }
}
