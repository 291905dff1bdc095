package jplay.engine.log;

import java.time.Duration;
import java.util.TreeSet;
import jplay.engine.api.CommandResult;
import jplay.engine.connection.Become;
import jplay.engine.connection.BecomeException;
import jplay.engine.connection.Connection;
import jplay.engine.connection.UnreachableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A connection whose commands, exit codes and durations go to the {@link RunLog}, secrets masked. */
public final class LoggedConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger("jplay.commands");

  private final Connection inner;
  private final String host;

  private LoggedConnection(Connection inner, String host) {
    this.inner = inner;
    this.host = host;
  }

  /**
   * {@code inner} with logging when the debug log is on, else {@code inner} itself; {@code password} (the SSH
   * password, or null) is masked from then on.
   */
  public static Connection wrap(Connection inner, String host, String password) {
    RunLog.secret(password);
    return LOG.isDebugEnabled() ? new LoggedConnection(inner, host) : inner;
  }

  /** Logs that {@code host} was connected to and how long it took. */
  public static void connected(String host, String how, Duration took) {
    LOG.debug("{}: connected ({}) in {} s", host, how, seconds(took));
  }

  @Override
  public CommandResult run(jplay.engine.api.Command command, Become become, Duration timeout)
      throws UnreachableException, BecomeException, InterruptedException {
    if (become != null) {
      RunLog.secret(become.password());
    }
    String task = RunLog.task();
    String prefix = host + (task == null || task.isEmpty() ? "" : " [" + task + "]");
    String as = become == null ? "" : " (as " + become.user() + " via " + become.method() + ")";
    if (command.sensitive() || RunLog.isNoLog()) {
      LOG.debug("{}: running a command{}: hidden ({})", prefix, as,
          command.sensitive() ? "it holds a secret" : "no_log: true");
    } else {
      String env = command.env().isEmpty() ? "" : " env " + new TreeSet<>(command.env().keySet());
      LOG.debug("{}: running{}{}: {}{}", prefix, as, env, RunLog.mask(command.script()),
          command.stdin().length == 0 ? "" : " (" + command.stdin().length + " bytes on stdin)");
    }
    long start = System.nanoTime();
    try {
      CommandResult r = inner.run(command, become, timeout);
      LOG.debug("{}: rc={} in {} s", prefix, r.rc(), seconds(Duration.ofNanos(System.nanoTime() - start)));
      return r;
    } catch (UnreachableException | BecomeException e) {
      LOG.debug("{}: failed after {} s: {}", prefix, seconds(Duration.ofNanos(System.nanoTime() - start)),
          RunLog.mask(String.valueOf(e.getMessage())));
      throw e;
    }
  }

  @Override
  public void close() {
    LOG.debug("{}: closing the connection", host);
    inner.close();
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }
}
