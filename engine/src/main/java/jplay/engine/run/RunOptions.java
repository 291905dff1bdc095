package jplay.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.connection.HostKeyPolicy;

/**
 * Everything from the command line (and later configuration) that shapes a run. Per-host inventory variables
 * override the connection settings here, as in Ansible.
 *
 * @param forks how many hosts run a task at the same time
 * @param limit a further host pattern ({@code -l}), or null
 * @param extraVars {@code -e} variables, highest precedence
 * @param remoteUser {@code -u}, or null
 * @param privateKey {@code --private-key}, or null
 * @param connection {@code -c}, or null (then ssh, local for implicit localhost)
 * @param sshPassword from {@code -k}, or null
 * @param become {@code -b}
 * @param becomeUser {@code --become-user}, or null (root)
 * @param becomePassword from {@code -K}, or null
 * @param connectTimeout {@code -T}
 * @param taskTimeout the default limit for one command on a target, or null for none
 * @param hostKeyPolicy how SSH host keys are checked
 * @param knownHosts the known_hosts file
 * @param check {@code --check}
 * @param diff {@code --diff}
 * @param verbosity 0 to 4
 * @param tags {@code --tags} (empty: all)
 * @param skipTags {@code --skip-tags}
 * @param startAtTask {@code --start-at-task}: skip tasks until one with this name (a glob, as Ansible's), or null
 * @param step {@code --step}: ask before each task
 * @param forceHandlers {@code --force-handlers}: notified handlers run even on hosts that failed
 * @param rolesPath where roles are looked for after {@code roles/} beside the playbook ({@code roles_path})
 * @param connectionRetries {@code --connection-retries}: how many more times a host whose connection failed before
 *     a command started is tried (1 s, 2 s, 4 s ... apart) before it is unreachable; the host variable
 *     {@code ansible_ssh_retries} overrides it
 */
public record RunOptions(
    int forks,
    String limit,
    Map<String, Object> extraVars,
    String remoteUser,
    Path privateKey,
    String connection,
    String sshPassword,
    boolean become,
    String becomeUser,
    String becomePassword,
    Duration connectTimeout,
    Duration taskTimeout,
    HostKeyPolicy hostKeyPolicy,
    Path knownHosts,
    boolean check,
    boolean diff,
    int verbosity,
    List<String> tags,
    List<String> skipTags,
    String startAtTask,
    boolean step,
    boolean forceHandlers,
    List<Path> rolesPath,
    int connectionRetries) {

  /**
   * The default number of forks. Ansible's 5 exists because each fork is a Python process; a jplay fork is a
   * thread waiting on the network, so 50 costs almost nothing and covers most fleets in one wave. Connection
   * set-up is bounded separately, so a large value does not storm the targets' sshd.
   */
  public static final int DEFAULT_FORKS = 50;

  /**
   * The options of a run without tag selection, start task, step mode, forced handlers, roles path or connection
   * retries; the {@code with...} methods add those.
   */
  public RunOptions(
      int forks,
      String limit,
      Map<String, Object> extraVars,
      String remoteUser,
      Path privateKey,
      String connection,
      String sshPassword,
      boolean become,
      String becomeUser,
      String becomePassword,
      Duration connectTimeout,
      Duration taskTimeout,
      HostKeyPolicy hostKeyPolicy,
      Path knownHosts,
      boolean check,
      boolean diff,
      int verbosity) {
    this(forks, limit, extraVars, remoteUser, privateKey, connection, sshPassword, become, becomeUser,
        becomePassword, connectTimeout, taskTimeout, hostKeyPolicy, knownHosts, check, diff, verbosity, List.of(),
        List.of(), null, false, false, List.of(), 0);
  }

  public RunOptions {
    tags = List.copyOf(tags);
    skipTags = List.copyOf(skipTags);
    rolesPath = List.copyOf(rolesPath);
    extraVars = Map.copyOf(extraVars);
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1, not " + forks);
    }
    if (connectionRetries < 0) {
      throw new IllegalArgumentException("connection retries must be 0 or more, not " + connectionRetries);
    }
  }

  /** These options with {@code --tags} and {@code --skip-tags}. */
  public RunOptions withTags(List<String> only, List<String> skip) {
    return new RunOptions(forks, limit, extraVars, remoteUser, privateKey, connection, sshPassword, become,
        becomeUser, becomePassword, connectTimeout, taskTimeout, hostKeyPolicy, knownHosts, check, diff, verbosity,
        only, skip, startAtTask, step, forceHandlers, rolesPath, connectionRetries);
  }

  /** These options with {@code --start-at-task} (null for none) and {@code --step}. */
  public RunOptions withStart(String startAt, boolean stepMode) {
    return new RunOptions(forks, limit, extraVars, remoteUser, privateKey, connection, sshPassword, become,
        becomeUser, becomePassword, connectTimeout, taskTimeout, hostKeyPolicy, knownHosts, check, diff, verbosity,
        tags, skipTags, startAt, stepMode, forceHandlers, rolesPath, connectionRetries);
  }

  /** These options with {@code --force-handlers}. */
  public RunOptions withForceHandlers(boolean force) {
    return new RunOptions(forks, limit, extraVars, remoteUser, privateKey, connection, sshPassword, become,
        becomeUser, becomePassword, connectTimeout, taskTimeout, hostKeyPolicy, knownHosts, check, diff, verbosity,
        tags, skipTags, startAtTask, step, force, rolesPath, connectionRetries);
  }

  /** These options with a roles path. */
  public RunOptions withRolesPath(List<Path> path) {
    return new RunOptions(forks, limit, extraVars, remoteUser, privateKey, connection, sshPassword, become,
        becomeUser, becomePassword, connectTimeout, taskTimeout, hostKeyPolicy, knownHosts, check, diff, verbosity,
        tags, skipTags, startAtTask, step, forceHandlers, path, connectionRetries);
  }

  /** These options with {@code --connection-retries}. */
  public RunOptions withConnectionRetries(int retries) {
    return new RunOptions(forks, limit, extraVars, remoteUser, privateKey, connection, sshPassword, become,
        becomeUser, becomePassword, connectTimeout, taskTimeout, hostKeyPolicy, knownHosts, check, diff, verbosity,
        tags, skipTags, startAtTask, step, forceHandlers, rolesPath, retries);
  }

  @Override
  public String toString() {
    return "RunOptions[forks=" + forks + ", limit=" + limit + ", check=" + check + ", diff=" + diff + "]";
  }
}
