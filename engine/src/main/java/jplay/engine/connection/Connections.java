package jplay.engine.connection;

import java.util.List;
import java.util.concurrent.Semaphore;
import jplay.engine.api.Suggestions;

/**
 * Opens a {@link Connection} for a {@link Target}: over SSH (sshj) or on this machine.
 *
 * <pre>{@code
 * try (Connection c = Connections.open(target)) {
 *   CommandResult r = c.run(Command.argv("uname", "-r"), null, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * For a run over many hosts use a {@link ConnectionPool}: one connection per host, opened on first use.
 */
public final class Connections {
  /** The connection types jplay knows, as {@code ansible_connection}. */
  public static final List<String> TYPES = List.of("ssh", "local");

  private Connections() {}

  /**
   * Starts preparing the ssh machinery (algorithm classes, security providers) on a background thread, so the
   * first connection does not wait for it; call it as early as a command knows it will connect. Idempotent.
   */
  public static void warmUp() {
    SshConfig.warmUp();
  }

  /**
   * Connects (and, for ssh, logs in) now.
   *
   * @throws UnreachableException when the host cannot be reached or logged into
   * @throws IllegalArgumentException when the connection type is unknown
   */
  public static Connection open(Target target) throws UnreachableException, InterruptedException {
    return open(target, null);
  }

  static Connection open(Target target, Semaphore setup) throws UnreachableException, InterruptedException {
    String type = target.connection() == null || target.connection().isEmpty() ? "ssh" : target.connection();
    long start = System.nanoTime();
    switch (type) {
      case "ssh":
        // ~/.ssh/config fills in what the inventory and command line left open, and names jump hosts.
        SshClientConfig.Routed routed = SshClientConfig.current().route(target, target.port() != 22);
        Connection ssh = SshConnection.open(routed.target(), routed.jumps(), setup);
        jplay.engine.log.LoggedConnection.connected(target.name(), routed.target() + (routed.jumps().isEmpty() ? ""
            : " via " + routed.jumps().stream().map(Target::toString).collect(java.util.stream.Collectors.joining(", "))),
            java.time.Duration.ofNanos(System.nanoTime() - start));
        return jplay.engine.log.LoggedConnection.wrap(ssh, target.name(), target.password());
      case "local":
        return jplay.engine.log.LoggedConnection.wrap(new LocalConnection(target), target.name(), target.password());
      default:
        throw new IllegalArgumentException("unknown connection type '" + type + "' for host " + target.name()
            + Suggestions.hint(type, TYPES) + "; jplay supports " + String.join(", ", TYPES));
    }
  }
}
