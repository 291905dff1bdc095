package jplay.engine.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One shell command for the target: a POSIX {@code sh} script, optional bytes for its standard input, and
 * environment variables. Modules yield commands; only the engine runs them (through a connection, with become
 * applied there). File content travels as {@code stdin}, never on the command line.
 *
 * @param script the script, run by {@code /bin/sh -c}
 * @param stdin bytes fed to the script's standard input; empty for none
 * @param env extra environment variables
 * @param sensitive the script or stdin holds a secret: never log or show them
 * @param isolated the command must have a channel of its own: it is the user's (command, shell, raw, script),
 *     which may leave a background process holding its output. A connection may run the others — the modules'
 *     own probes and changes, which end with their processes — in a shell it keeps open for the host.
 * @param stdinVariable the script reads its stdin only to copy it whole, and takes it from the shell variable
 *     {@value #STDIN_VARIABLE} instead when that is set: {@code if [ "${JPLAY_STDIN+set}" ]; then printf %s
 *     "$JPLAY_STDIN"; else cat; fi}. A connection that reads scripts off a stream rather than a command line (the
 *     host's shell) may then hand over a small text input in the script itself, which saves the host the process
 *     that would read it; elsewhere the variable is unset and the input comes on stdin as usual.
 */
public record Command(
    String script, byte[] stdin, Map<String, String> env, boolean sensitive, boolean isolated, boolean stdinVariable) {
  /** The shell variable that may hold the input of a command with {@code stdinVariable}. */
  public static final String STDIN_VARIABLE = "JPLAY_STDIN";

  public Command {
    Objects.requireNonNull(script, "script");
    stdin = stdin == null ? new byte[0] : stdin;
    env = Map.copyOf(env);
  }

  public Command(String script, byte[] stdin, Map<String, String> env, boolean sensitive, boolean isolated) {
    this(script, stdin, env, sensitive, isolated, false);
  }

  public Command(String script, byte[] stdin, Map<String, String> env, boolean sensitive) {
    this(script, stdin, env, sensitive, false, false);
  }

  /** A script with no stdin and no extra environment. */
  public static Command of(String script) {
    return new Command(script, new byte[0], Map.of(), false, false, false);
  }

  /** A command from words, each quoted: {@code Command.argv("systemctl", "start", unit)}. */
  public static Command argv(String... words) {
    return of(Shell.join(List.of(words)));
  }

  public static Command argv(List<String> words) {
    return of(Shell.join(words));
  }

  /** A probe: the same script under {@code LANG=C}, so its output parses the same on every host. */
  public Command probe() {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put("LANG", "C");
    e.put("LC_ALL", "C");
    return new Command(script, stdin, e, sensitive, isolated, stdinVariable);
  }

  public Command withStdin(byte[] bytes) {
    return new Command(script, bytes, env, sensitive, isolated, stdinVariable);
  }

  public Command withStdin(String text) {
    return withStdin(text.getBytes(StandardCharsets.UTF_8));
  }

  public Command withEnv(Map<String, String> more) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.putAll(more);
    return new Command(script, stdin, e, sensitive, isolated, stdinVariable);
  }

  public Command markSensitive() {
    return new Command(script, stdin, env, true, isolated, stdinVariable);
  }

  /** The same command on a channel of its own (see {@code isolated}): for what the user asked to run. */
  public Command isolate() {
    return new Command(script, stdin, env, sensitive, true, stdinVariable);
  }

  /** The same command, marked as taking its input from {@value #STDIN_VARIABLE} when set (see the record's doc). */
  public Command withStdinVariable() {
    return new Command(script, stdin, env, sensitive, isolated, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Command c
        && script.equals(c.script)
        && java.util.Arrays.equals(stdin, c.stdin)
        && env.equals(c.env)
        && sensitive == c.sensitive
        && isolated == c.isolated
        && stdinVariable == c.stdinVariable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(script, java.util.Arrays.hashCode(stdin), env, sensitive, isolated, stdinVariable);
  }

  @Override
  public String toString() {
    return sensitive ? "Command[<sensitive>]" : "Command[" + script + (stdin.length > 0 ? " <stdin " + stdin.length + " bytes>" : "") + "]";
  }
}
