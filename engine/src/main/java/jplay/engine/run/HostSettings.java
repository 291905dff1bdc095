package jplay.engine.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jplay.engine.connection.Become;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.connection.Target;

/**
 * Connection and become settings for one host, resolved as Ansible does: command-line options &lt; play keywords
 * &lt; task keywords &lt; the host's {@code ansible_*} variables.
 */
final class HostSettings {
  private HostSettings() {}

  static Target target(String host, Map<String, Object> vars, Map<String, Object> playKeywords, RunOptions o) {
    String connection = firstString(vars, "ansible_connection");
    if (connection == null) {
      connection = str(playKeywords.get("connection"));
    }
    if (connection == null) {
      connection = o.connection();
    }
    if (connection == null) {
      connection = "ssh";
    }
    if (connection.equals("paramiko") || connection.equals("smart")) {
      connection = "ssh";
    }
    String address = firstString(vars, "ansible_host", "ansible_ssh_host");
    if (address == null) {
      address = host;
    }
    String port = firstString(vars, "ansible_port", "ansible_ssh_port");
    if (port == null && playKeywords.get("port") != null) {
      port = str(playKeywords.get("port"));
    }
    int portNumber;
    try {
      portNumber = port == null ? 22 : Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ansible_port of " + host + " is not a number: '" + port + "'");
    }
    String user = firstString(vars, "ansible_user", "ansible_ssh_user");
    if (user == null) {
      user = str(playKeywords.get("remote_user"));
    }
    if (user == null) {
      user = o.remoteUser();
    }
    String password = firstString(vars, "ansible_password", "ansible_ssh_pass", "ansible_ssh_password");
    if (password == null) {
      password = o.sshPassword();
    }
    List<Path> keys = new ArrayList<>();
    String key = firstString(vars, "ansible_ssh_private_key_file", "ansible_private_key_file");
    if (key != null) {
      keys.add(expandHome(key));
    } else if (o.privateKey() != null) {
      keys.add(o.privateKey());
    }
    Duration timeout = o.connectTimeout();
    String t = firstString(vars, "ansible_timeout", "ansible_ssh_timeout");
    if (t != null) {
      timeout = Duration.ofSeconds(Long.parseLong(t.trim()));
    }
    HostKeyPolicy policy = o.hostKeyPolicy();
    String checking = firstString(vars, "ansible_host_key_checking", "ansible_ssh_host_key_checking");
    if (checking != null) {
      policy = isTrue(checking) ? HostKeyPolicy.STRICT : HostKeyPolicy.OFF;
    }
    return new Target(host, address, portNumber, user, password, keys, connection, policy, o.knownHosts(), timeout);
  }

  /**
   * How many more times a connection that failed before a command started is tried: {@code ansible_ssh_retries}
   * (Ansible's name for it), else {@code --connection-retries}.
   */
  static int connectionRetries(String host, Map<String, Object> vars, RunOptions o) {
    String r = firstString(vars, "ansible_ssh_retries");
    if (r == null) {
      return o.connectionRetries();
    }
    try {
      int n = Integer.parseInt(r.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, with what would be right.
    }
    throw new IllegalArgumentException("ansible_ssh_retries of " + host + " must be a whole number 0 or more, not '" + r + "'");
  }

  /** The become settings for a task, or null when the task does not escalate. */
  static Become become(
      Map<String, Object> vars, Map<String, Object> playKeywords, Map<String, Object> taskKeywords, RunOptions o) {
    boolean become = o.become();
    String user = o.becomeUser();
    String method = "sudo";
    String flags = null;
    for (Map<String, Object> kw : List.of(playKeywords, taskKeywords)) {
      if (kw.get("become") != null) {
        become = isTrue(str(kw.get("become")));
      }
      if (kw.get("become_user") != null) {
        user = str(kw.get("become_user"));
      }
      if (kw.get("become_method") != null) {
        method = str(kw.get("become_method"));
      }
      if (kw.get("become_flags") != null) {
        flags = str(kw.get("become_flags"));
      }
    }
    String v = firstString(vars, "ansible_become");
    if (v != null) {
      become = isTrue(v);
    }
    v = firstString(vars, "ansible_become_user");
    if (v != null) {
      user = v;
    }
    v = firstString(vars, "ansible_become_method");
    if (v != null) {
      method = v;
    }
    v = firstString(vars, "ansible_become_flags");
    if (v != null) {
      flags = v;
    }
    if (!become) {
      return null;
    }
    String password = firstString(vars, "ansible_become_password", "ansible_become_pass", "ansible_sudo_pass");
    if (password == null) {
      password = o.becomePassword();
    }
    if (!method.equals("sudo")) {
      throw new IllegalArgumentException("become method '" + method + "' is not supported; jplay supports sudo");
    }
    return new Become(user == null ? "root" : user, method, password, flags);
  }

  static boolean isTrue(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "on", "1", "y", "t" -> true;
      default -> false;
    };
  }

  private static String firstString(Map<String, Object> vars, String... names) {
    for (String n : names) {
      Object v = vars.get(n);
      if (v != null) {
        return str(v);
      }
    }
    return null;
  }

  private static String str(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b ? "true" : "false";
    }
    return String.valueOf(v);
  }

  private static Path expandHome(String p) {
    return p.startsWith("~/") ? Path.of(System.getProperty("user.home"), p.substring(2)) : Path.of(p);
  }
}
