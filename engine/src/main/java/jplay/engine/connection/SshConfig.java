package jplay.engine.connection;

import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;

/**
 * The one sshj configuration every ssh connection of the process shares. Building the first one costs most of a
 * second (sshj registers BouncyCastle and loads its algorithm classes), each later one several milliseconds; the
 * configuration only holds algorithm factories, so one instance serves every client. {@link #warmUp()} starts that
 * work on a background thread while the playbook and inventory are still being read.
 */
final class SshConfig {
  private static final Object LOCK = new Object();
  private static DefaultConfig config;
  private static Thread warming;

  private SshConfig() {}

  /** Starts building the configuration in the background, once; cheap to call again. */
  static void warmUp() {
    synchronized (LOCK) {
      if (config != null || warming != null) {
        return;
      }
      warming = new Thread(SshConfig::get, "jplay-ssh-warm-up");
      warming.setDaemon(true);
      warming.start();
    }
  }

  /** The configuration, built on first use (or by the warm-up, which this then waits for). */
  static DefaultConfig get() {
    synchronized (LOCK) {
      if (config == null) {
        DefaultConfig c = new DefaultConfig();
        c.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        config = c;
      }
      return config;
    }
  }
}
