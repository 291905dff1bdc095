package jplay.engine.run;

import java.nio.file.Path;
import java.time.Duration;
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
    int verbosity) {

  /**
   * The default number of forks. Ansible's 5 exists because each fork is a Python process; a jplay fork is a
   * thread waiting on the network, so 50 costs almost nothing and covers most fleets in one wave. Connection
   * set-up is bounded separately, so a large value does not storm the targets' sshd.
   */
  public static final int DEFAULT_FORKS = 50;

  public RunOptions {
    extraVars = Map.copyOf(extraVars);
    if (forks < 1) {
      throw new IllegalArgumentException("forks must be at least 1, not " + forks);
    }
  }

  @Override
  public String toString() {
    return "RunOptions[forks=" + forks + ", limit=" + limit + ", check=" + check + ", diff=" + diff + "]";
  }
}
