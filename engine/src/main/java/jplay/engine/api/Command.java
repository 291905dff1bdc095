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
 */
public record Command(String script, byte[] stdin, Map<String, String> env, boolean sensitive, boolean isolated) {
  public Command {
    Objects.requireNonNull(script, "script");
    stdin = stdin == null ? new byte[0] : stdin;
    env = Map.copyOf(env);
  }

  public Command(String script, byte[] stdin, Map<String, String> env, boolean sensitive) {
    this(script, stdin, env, sensitive, false);
  }

  /** A script with no stdin and no extra environment. */
  public static Command of(String script) {
    return new Command(script, new byte[0], Map.of(), false, false);
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
    return new Command(script, stdin, e, sensitive, isolated);
  }

  public Command withStdin(byte[] bytes) {
    return new Command(script, bytes, env, sensitive, isolated);
  }

  public Command withStdin(String text) {
    return withStdin(text.getBytes(StandardCharsets.UTF_8));
  }

  public Command withEnv(Map<String, String> more) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.putAll(more);
    return new Command(script, stdin, e, sensitive, isolated);
  }

  public Command markSensitive() {
    return new Command(script, stdin, env, true, isolated);
  }

  /** The same command on a channel of its own (see {@code isolated}): for what the user asked to run. */
  public Command isolate() {
    return new Command(script, stdin, env, sensitive, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Command c
        && script.equals(c.script)
        && java.util.Arrays.equals(stdin, c.stdin)
        && env.equals(c.env)
        && sensitive == c.sensitive
        && isolated == c.isolated;
  }

  @Override
  public int hashCode() {
    return Objects.hash(script, java.util.Arrays.hashCode(stdin), env, sensitive, isolated);
  }

  @Override
  public String toString() {
    return sensitive ? "Command[<sensitive>]" : "Command[" + script + (stdin.length > 0 ? " <stdin " + stdin.length + " bytes>" : "") + "]";
  }
}
