package jplay.modules.sysctl;

import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * A sysctl key's live value and a sysctl file's text, read by one probe.
 *
 * @param sysctl the path of the sysctl tool, null when the host has none
 * @param live the live value with line breaks turned into spaces; null when the key does not exist or cannot be
 *     read (see {@code liveError})
 * @param missing the key does not exist under /proc/sys
 * @param liveError why the live value could not be read (e.g. a write-only key), else null
 * @param file the file's text, null when there is no such file
 */
record SysctlState(String sysctl, String live, boolean missing, String liveError, String file) {

  static Fact<SysctlState> fact(String key, String file) {
    return Fact.of("sysctl " + key + " " + file, probe(key, file), r -> parse(key, file, r));
  }

  /**
   * Reads /proc/sys directly rather than {@code sysctl -n}, which prints nothing and exits 0 for a key it cannot
   * read (procps-ng 4.0.2 on vm.drop_caches), so an unreadable key would look like an empty value.
   */
  static Command probe(String key, String file) {
    return Command.of(
        "p=" + Shell.quote(procPath(key)) + "\n"
            + "f=" + Shell.quote(file) + "\n"
            + "s=$(command -v sysctl) || for d in /usr/sbin /sbin; do [ -x \"$d/sysctl\" ] && s=$d/sysctl && break; done\n"
            + "echo \"sysctl ${s:-none}\"\n"
            + "if [ ! -e \"$p\" ]; then echo missing\n"
            + "elif v=$(cat -- \"$p\" 2>&1); then printf 'live %s\\n' \"$(printf '%s' \"$v\" | tr '\\n' ' ')\"\n"
            + "else printf 'unreadable %s\\n' \"$(printf '%s' \"$v\" | tr '\\n' ' ')\"; fi\n"
            + "if [ -f \"$f\" ]; then echo file; cat -- \"$f\"\n"
            + "elif [ -e \"$f\" ]; then echo notfile\n"
            + "else echo nofile; fi\n");
  }

  static SysctlState parse(String key, String file, CommandResult r) {
    if (!r.ok()) {
      throw new ModuleException(
          "cannot read " + key + " and " + file + ": "
              + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
    }
    String out = r.stdout();
    String[] head = out.split("\n", 3);
    if (head.length < 3 || !head[0].startsWith("sysctl ")) {
      throw unexpected(key, out);
    }
    String tool = head[0].substring("sysctl ".length());
    String live = null;
    String liveError = null;
    boolean missing = false;
    if (head[1].equals("missing")) {
      missing = true;
    } else if (head[1].startsWith("live ")) {
      live = head[1].substring("live ".length());
    } else if (head[1].startsWith("unreadable ")) {
      liveError = head[1].substring("unreadable ".length()).strip();
    } else {
      throw unexpected(key, out);
    }
    String rest = head[2];
    String text;
    if (rest.equals("nofile\n")) {
      text = null;
    } else if (rest.startsWith("file\n")) {
      text = rest.substring("file\n".length());
    } else if (rest.equals("notfile\n")) {
      throw new ModuleException(file + " exists but is not a regular file");
    } else {
      throw unexpected(key, out);
    }
    return new SysctlState(tool.equals("none") ? null : tool, live, missing, liveError, text);
  }

  private static ModuleException unexpected(String key, String out) {
    String first = out.lines().findFirst().orElse("");
    return new ModuleException("cannot read the state of sysctl " + key + ": unexpected probe output '" + first + "'");
  }

  /**
   * The key in its dotted form. As procps's sysctl, a key whose first separator is a slash is in path form, where
   * dots belong to names (an interface {@code eth0.100}); the two forms swap dots and slashes.
   */
  static String canonical(String key) {
    int dot = key.indexOf('.');
    int slash = key.indexOf('/');
    return slash >= 0 && (dot < 0 || slash < dot) ? swap(key) : key;
  }

  /** Where the kernel shows the key: {@code net.ipv4.conf.eth0/100.forwarding} is .../conf/eth0.100/forwarding. */
  static String procPath(String canonicalKey) {
    return "/proc/sys/" + swap(canonicalKey);
  }

  private static String swap(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(c == '.' ? '/' : c == '/' ? '.' : c);
    }
    return sb.toString();
  }
}
