package jplay.engine.connection;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Shell;

/**
 * One {@code /bin/sh} kept open on a host for the whole run, which runs the modules' own commands one after the
 * other: each in a subshell of its own ({@code ( eval SCRIPT )}, stdin piped or /dev/null, or a small text input in
 * the script itself for a command that takes it so: {@link #withInput}), its stdout passed through,
 * its stderr kept in a temp file and sent after it. A command costs the host a fork instead of a new ssh channel,
 * a forked sshd, the user's login shell and its rc files; and costs this side no channel, no threads.
 *
 * <p>The protocol, one command at a time: we send {@code MARKER LINES STDINLENGTH\n}, the script's lines and the
 * stdin's bytes; the shell answers with the command's stdout, then {@code \nMARKER RC -\n}, or, when the command
 * wrote to stderr, {@code \nMARKER RC E\n}, the stderr and {@code \nMARKER\n}. The marker is random per command, so
 * output cannot fake it. Only commands without become or timeout, with at most {@link #MAX_STDIN} bytes of stdin
 * and no NUL in the script come here, and not the user's own commands (which may leave a background process
 * holding the output): see
 * {@link SshConnection#run}.
 */
final class HostShell {
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * The shell's loop. The script comes as lines, read with the shell's own {@code read} (no process per command);
   * the command's stdin, if any, with {@code head -c N}, which reads exactly N bytes (it never reads ahead of what
   * it was asked for), so the stream stays in step: it is piped to the command, and whatever the command left
   * unread is drained after it ({@code cat} only when a {@code read} finds something left). The command's stderr
   * goes to a temp file (mktemp makes it 0600, removed when the channel ends: EOF on the loop's read) and is sent
   * after the exit code only when there is some. The loop's variables are prefixed so no command meets a name it
   * might use; the subshell gets no traps, and umask, cwd and environment are the login's, as on a channel of its
   * own.
   */
  static final String LOOP = "_jplay_e=$(mktemp) || exit 1; trap 'rm -f \"$_jplay_e\"' EXIT; "
      + "while IFS=' ' read -r _jplay_m _jplay_n _jplay_i; do _jplay_s=; "
      + "while [ \"$_jplay_n\" -gt 0 ] && IFS= read -r _jplay_l; do _jplay_s=\"$_jplay_s$_jplay_l\n\"; "
      + "_jplay_n=$((_jplay_n - 1)); done; "
      + "if [ \"$_jplay_i\" -gt 0 ]; then "
      + "head -c \"$_jplay_i\" | { ( eval \"$_jplay_s\" ); _jplay_r=$?; "
      + "if IFS= read -r _jplay_l || [ -n \"$_jplay_l\" ]; then cat >/dev/null; fi; exit \"$_jplay_r\"; } 2>\"$_jplay_e\"; "
      + "else ( eval \"$_jplay_s\" ) </dev/null 2>\"$_jplay_e\"; fi; _jplay_r=$?; "
      + "if [ -s \"$_jplay_e\" ]; then printf '\\n%s %s E\\n' \"$_jplay_m\" \"$_jplay_r\"; cat \"$_jplay_e\"; "
      + "printf '\\n%s\\n' \"$_jplay_m\"; else printf '\\n%s %s -\\n' \"$_jplay_m\" \"$_jplay_r\"; fi; done";
  /**
   * The most stdin a command may bring here. It is written before the output is read, which cannot block as long
   * as it fits in the channel's window (OpenSSH opens sessions with 2 MiB); more goes on a channel of its own.
   */
  static final int MAX_STDIN = 1 << 20;
  /**
   * The most input that goes in a script rather than on stdin ({@link #withInput}). The loop reads a script a byte
   * at a time (the shell's {@code read} on a pipe), about 0.35 ms per KiB in dash and 0.6 in bash, against some
   * 1.5 ms for the two processes ({@code head} here, {@code cat} in the command) that piped input costs.
   */
  static final int MAX_INLINE = 2048;

  private final AutoCloseable channel;
  private final OutputStream in;
  private final InputStream out;
  private final String tag;
  /** The session id of the shell on the host (see {@link #learnSession()}); 0 when unknown. */
  private long session;
  private boolean broken;

  /**
   * @param channel what to close to end the shell
   * @param in the shell's stdin
   * @param out the shell's stdout (its stderr carries nothing but a failure to start)
   * @param tag the word on the shell's command line that {@link #stopScript()} looks for
   */
  HostShell(AutoCloseable channel, OutputStream in, InputStream out, String tag) {
    this.channel = channel;
    this.in = in;
    this.out = out;
    this.tag = tag;
  }

  /** The command line that starts the shell, tagged (see {@link Invocation#stopScript()}). */
  static String startScript(String tag) {
    return "/bin/sh -c " + Shell.quote(": " + tag + "; " + LOOP);
  }

  static String newTag() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "jplay-shell-" + HexFormat.of().formatHex(b);
  }

  /** False once a command broke the protocol or the channel; the connection then opens a new shell. */
  boolean usable() {
    return !broken;
  }

  /**
   * Runs {@code script} (exports included) and returns its result.
   *
   * @throws IOException when the channel failed or the shell ended: whether the command ran is unknown
   * @throws InterruptedException when interrupted; the caller stops the shell's session on the host
   */
  CommandResult run(String script, Instant start) throws IOException, InterruptedException {
    return run(script, new byte[0], start);
  }

  /**
   * As {@link #run(String, byte[], Instant)}, for a command that takes its input from {@link Command#STDIN_VARIABLE}
   * when set ({@code stdinVariable}): a small text input then goes in the script (see {@link #withInput}).
   */
  CommandResult run(String script, byte[] stdin, boolean stdinVariable, Instant start)
      throws IOException, InterruptedException {
    String inline = stdinVariable ? withInput(script, stdin) : null;
    return inline != null ? run(inline, new byte[0], start) : run(script, stdin, start);
  }

  /**
   * {@code script} with {@code stdin} assigned to {@link Command#STDIN_VARIABLE} before it, or null when the input is
   * more than {@link #MAX_INLINE} bytes, not UTF-8 text, or holds a NUL (which no shell variable can).
   */
  static String withInput(String script, byte[] stdin) {
    if (stdin.length > MAX_INLINE) {
      return null;
    }
    String text;
    try {
      text = UTF_8.newDecoder().decode(ByteBuffer.wrap(stdin)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    return fits(text) ? Command.STDIN_VARIABLE + "=" + Shell.quote(text) + "\n" + script : null;
  }

  /** As {@link #run(String, Instant)}, with {@code stdin} (at most {@link #MAX_STDIN} bytes) for the command. */
  CommandResult run(String script, byte[] stdin, Instant start) throws IOException, InterruptedException {
    if (broken) {
      throw new IllegalStateException("the host's shell is broken; open a new one");
    }
    if (!fits(script)) {
      throw new IllegalArgumentException("a script with a NUL character cannot go through the host's shell");
    }
    String marker = "JPLAY-" + HexFormat.of().formatHex(bytes(12));
    String text = script.endsWith("\n") ? script : script + "\n";
    long lines = text.chars().filter(c -> c == '\n').count();
    byte[] body = text.getBytes(UTF_8);
    try {
      in.write((marker + " " + lines + " " + stdin.length + "\n").getBytes(UTF_8));
      in.write(body);
      in.write(stdin);
      in.flush();
      return read(marker, start);
    } catch (InterruptedIOException e) {
      broken = true;
      throw new InterruptedException("interrupted while a command ran");
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  private CommandResult read(String marker, Instant start) throws IOException {
    byte[] frame = ("\n" + marker + " ").getBytes(UTF_8);
    Bytes got = new Bytes();
    int found = -1;
    while (found < 0) {
      int from = Math.max(0, got.size() - frame.length + 1);
      fill(got);
      found = got.indexOf(frame, from);
    }
    // After the frame: "RC E\n" then the stderr up to "\nMARKER\n", or "RC -\n" when there was no stderr.
    int head = found + frame.length;
    int eol;
    while ((eol = got.indexOf(new byte[] {'\n'}, head)) < 0) {
      fill(got);
    }
    String[] words = new String(got.raw(), head, eol - head, UTF_8).split(" ");
    int rc = -1;
    if (words.length == 2 && (words[1].equals("E") || words[1].equals("-"))) {
      try {
        rc = Integer.parseInt(words[0]);
      } catch (NumberFormatException e) {
        rc = -1;
      }
    }
    if (rc < 0) {
      throw new IOException("the host's shell answered out of step: " + new String(got.raw(), head, eol - head, UTF_8));
    }
    String stderr = "";
    int end = eol + 1;
    if (words[1].equals("E")) {
      byte[] errEnd = ("\n" + marker + "\n").getBytes(UTF_8);
      int at;
      int from = end;
      while ((at = got.indexOf(errEnd, from)) < 0) {
        from = Math.max(end, got.size() - errEnd.length + 1);
        fill(got);
      }
      stderr = new String(got.raw(), end, at - end, UTF_8);
      end = at + errEnd.length;
    }
    if (got.size() > end) {
      throw new IOException("the host's shell answered out of step (output after a command's end)");
    }
    return new CommandResult(rc, new String(got.raw(), 0, found, UTF_8), stderr, start, Instant.now());
  }

  /** True when {@code script} can go through the shell: it is sent as lines of text, which hold no NUL. */
  static boolean fits(String script) {
    return script.indexOf('\0') < 0;
  }

  /** Reads what the shell sent next into {@code got}. */
  private void fill(Bytes got) throws IOException {
    byte[] buf = new byte[8192];
    int n = out.read(buf);
    if (n < 0) {
      throw new IOException("the host's shell ended while a command ran");
    }
    got.write(buf, 0, n);
  }

  /**
   * Runs the first command: it tells the shell's session id, by which {@link #stopScript()} finds everything the
   * shell started even after the shell itself is gone.
   *
   * @throws IOException when the shell does not answer as it should
   */
  void learnSession() throws IOException, InterruptedException {
    // Field 6 of /proc/PID/stat without starting a process (the shell's name, field 2, has no space); else ps.
    CommandResult hello = run("if read -r _jplay_x </proc/$$/stat 2>/dev/null; then set -- $_jplay_x; echo \"$6\";"
        + " else ps -o sid= -p $$ 2>/dev/null; fi; true", Instant.now());
    if (hello.rc() != 0) {
      throw new IOException("the shell's first command failed: " + hello.stderr());
    }
    try {
      session = Long.parseLong(hello.stdout().trim());
    } catch (NumberFormatException e) {
      session = 0; // no ps: the stop script looks for the shell by its tag
    }
  }

  /** A script that stops the shell and everything it runs: every process of its session (sshd made it one). */
  String stopScript() {
    return session > 1 ? Invocation.stopSessions(Long.toString(session)) + " true" : Invocation.stopSessionsOf(tag);
  }

  void close() {
    broken = true;
    try {
      in.close(); // EOF ends the shell's loop, and its trap removes the temp file
    } catch (IOException e) {
      // The channel is gone already.
    }
    try {
      channel.close();
    } catch (Exception e) {
      // A dead channel: nothing left to release.
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
