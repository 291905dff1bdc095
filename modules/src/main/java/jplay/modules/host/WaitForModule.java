package jplay.modules.host;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code wait_for}, as one bounded shell loop on the target (one round trip however long it waits).
 *
 * <p>How a port is tried, in this order, whichever the target has: bash's {@code /dev/tcp} (a real connect, as
 * Ansible's socket, and the only way that also reads for {@code search_regex} on every distribution, since bash is
 * nearly always there); {@code nc -z}; else, for {@code started} and {@code stopped} without a regex, whether a
 * socket LISTENs on the port in {@code /proc/net/tcp{,6}} (only meaningful for a local {@code host}). Connection
 * counting for {@code drained} always reads {@code /proc/net/tcp{,6}}, as Ansible's Linux implementation.
 * {@code coreutils timeout} bounds each connect by {@code connect_timeout} where it exists.
 *
 * <p>{@code search_regex} is Python's syntax; the loop matches line by line with {@code grep -E} after translating
 * the common escapes ({@code \d \s \w} and their negations, {@code (?:...)}, {@code (?P<name>...)}, lazy
 * quantifiers), so a pattern that spans lines does not match (Ansible searches the whole file with MULTILINE).
 * {@code match_groups} and {@code match_groupdict} come from the matching line, matched again here with the
 * original pattern.
 */
public final class WaitForModule implements Module {
  static final List<String> CONNECTION_STATES = List.of(
      "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
      "LAST_ACK", "LISTEN", "CLOSING");

  static final ModuleSpec SPEC =
      ModuleSpec.builder("wait_for")
          .aliases("ansible.builtin.wait_for")
          .summary("Wait for a port, a file or a string in it, on the target")
          .description(
              "Waits until a TCP port accepts connections (or stops doing so, or has no active connections left),"
                  + " a file exists (optionally containing a match for search_regex) or is gone, or just for"
                  + " timeout seconds. The checks run on the target, so host is seen from there. Never changes"
                  + " anything; skipped in check mode, as in Ansible.")
          .param(Param.str("host").defaultValue("127.0.0.1").doc("The address or name whose port to check."))
          .param(Param.integer("port").doc("The TCP port to wait for."))
          .param(Param.path("path").doc("The file to wait for (state present/started) or to be gone (absent)."))
          .param(Param.str("search_regex").doc("A Python regular expression the file or the port's data must match."))
          .param(Param.str("state")
              .choices("absent", "drained", "present", "started", "stopped")
              .defaultValue("started")
              .doc("started/present: port open or file there; stopped/absent: port closed or file gone; drained:"
                  + " no active connections on the port."))
          .param(Param.integer("timeout").defaultValue(300).doc("Seconds to wait at most, delay included."))
          .param(Param.integer("delay").defaultValue(0).doc("Seconds to wait before the first check."))
          .param(Param.integer("sleep").defaultValue(1).doc("Seconds between checks."))
          .param(Param.integer("connect_timeout").defaultValue(5).doc("Seconds one connection attempt may take."))
          .param(Param.list("active_connection_states").elements(ParamType.STR)
              .defaultValue(List.of("ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "SYN_RECV", "SYN_SENT", "TIME_WAIT"))
              .doc("The TCP states that count as active for drained."))
          .param(Param.list("exclude_hosts").elements(ParamType.STR)
              .doc("With drained: IP addresses whose connections do not count."))
          .param(Param.str("msg").doc("The message on timeout, instead of the default one."))
          .examples(
              """
              - name: The API server answers
                wait_for:
                  port: 6443
                  timeout: 120
              - name: kubeadm wrote the admin config
                wait_for:
                  path: /etc/kubernetes/admin.conf
                  search_regex: 'server: (https://\\S+)'
              - wait_for: port=8080 state=drained exclude_hosts=10.0.0.5
              """)
          .build();

  static final String MARK = "jplay-wait: ";

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    Integer port = args.integer("port");
    String path = args.str("path");
    String state = args.str("state");
    String regex = args.str("search_regex");
    PyRegex pattern = regex == null ? null : PyRegex.compile(regex);
    if (port != null && path != null) {
      throw failure("port and path parameter can not both be passed to wait_for");
    }
    if (path != null && (state.equals("stopped") || state.equals("drained"))) {
      throw failure("state=" + state + " should only be used for checking a port in the wait_for module");
    }
    if (args.has("exclude_hosts") && !state.equals("drained")) {
      throw failure("exclude_hosts should only be with state=drained");
    }
    for (String s : args.strings("active_connection_states")) {
      if (!CONNECTION_STATES.contains(s)) {
        throw failure("unknown active_connection_state (" + s + ") defined");
      }
    }
    if (ctx.checkMode()) {
      String why = "remote module (wait_for) does not support check mode";
      return new Plan.Noop(why, new Outcome(false, false, true, why, Map.of(), null));
    }
    String script = script(args, pattern == null ? null : ere(regex));
    PyRegex p = pattern;
    Outcome never = Outcome.ok(Map.of());
    return new Plan.Change(List.of(Command.of(script).probe()), null, never, results -> interpret(args, p, results));
  }

  /** A Python pattern as a Java one; Python's group names (which may hold '_') become jp0, jp1, ... */
  record PyRegex(Pattern java, List<String> names) {
    static PyRegex compile(String python) {
      List<String> names = new ArrayList<>();
      Matcher m = Pattern.compile("\\(\\?P<([A-Za-z_][A-Za-z0-9_]*)>|\\(\\?P=([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(python);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        if (m.group(1) != null) {
          names.add(m.group(1));
          m.appendReplacement(out, "(?<jp" + (names.size() - 1) + ">");
        } else {
          int i = names.indexOf(m.group(2));
          m.appendReplacement(out, i < 0 ? Matcher.quoteReplacement(m.group()) : "\\\\k<jp" + i + ">");
        }
      }
      m.appendTail(out);
      try {
        return new PyRegex(Pattern.compile(out.toString(), Pattern.MULTILINE), List.copyOf(names));
      } catch (PatternSyntaxException e) {
        throw failure("Invalid regular expression: " + e.getDescription());
      }
    }
  }

  private static ModuleException failure(String msg) {
    return new ModuleException(msg, Map.of("elapsed", 0));
  }

  /** The loop: check, and until the deadline sleep and check again; prints done/timeout with the seconds. */
  static String script(Args args, String ere) {
    Integer port = args.integer("port");
    String path = args.str("path");
    String state = args.str("state");
    int timeout = args.integer("timeout");
    int sleep = Math.max(0, args.integer("sleep"));
    StringBuilder s = new StringBuilder();
    s.append("start=$(date +%s); end=$((start + ").append(timeout).append("))\n");
    if (args.integer("delay") > 0) {
      s.append("sleep ").append(args.integer("delay")).append('\n');
    }
    s.append("left() { l=$((end - $(date +%s))); [ \"$l\" -lt 1 ] && l=1; echo \"$l\"; }\n");
    String condition;
    if (port == null && path == null && !state.equals("drained")) {
      s.append("sleep ").append(timeout).append('\n');
      condition = "true";
    } else if (path != null) {
      String f = Shell.quote(path);
      if (state.equals("absent")) {
        condition = "[ ! -e " + f + " ]";
      } else if (ere == null) {
        condition = "[ -e " + f + " ]";
      } else {
        s.append("found() { line=$(grep -E -m 1 -e ").append(Shell.quote(ere)).append(" ").append(f)
            .append(" 2>/dev/null) && printf '").append(MARK).append("line %s\\n' \"$line\"; }\n");
        condition = "found";
      }
    } else if (state.equals("drained")) {
      s.append(drained(args, port));
      condition = "[ \"$(active)\" -eq 0 ]";
    } else {
      s.append(connect(Shell.quote(args.str("host")), port, args.integer("connect_timeout"), ere));
      condition = state.equals("stopped") ? "! tcp" : ere == null ? "tcp" : "found";
    }
    s.append("while :; do\n");
    s.append("  if ").append(condition).append("; then echo \"").append(MARK)
        .append("done $(($(date +%s) - start))\"; exit 0; fi\n");
    s.append("  if [ \"$(date +%s)\" -ge \"$end\" ]; then echo \"").append(MARK)
        .append("timeout $(($(date +%s) - start))\"; exit 0; fi\n");
    s.append("  sleep ").append(sleep).append("\n");
    s.append("done");
    return s.toString();
  }

  /** Shell functions {@code tcp} (connects) and {@code found} (connects and reads a line matching ere). */
  private static String connect(String host, int port, int connectTimeout, String ere) {
    String h = "h=" + host + "; p=" + port + "\n";
    String to = "if command -v timeout >/dev/null 2>&1; then to=\"timeout\"; else to=\"\"; fi\n";
    String viaBash = "  tcp() { ${to:+$to " + connectTimeout + "} bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' \"$h\" \"$p\""
        + " 2>/dev/null; }\n";
    String viaNc = "  tcp() { nc -z -w " + connectTimeout + " \"$h\" \"$p\" >/dev/null 2>&1; }\n";
    String viaProc = "  tcp() { awk -v p=\"$(printf '%04X' \"$p\")\" 'FNR > 1 { split($2, a, \":\");"
        + " if (a[2] == p && $4 == \"0A\") n++ } END { exit n ? 0 : 1 }' /proc/net/tcp /proc/net/tcp6"
        + " 2>/dev/null; }\n";
    StringBuilder s = new StringBuilder(h).append(to);
    s.append("if command -v bash >/dev/null 2>&1; then\n").append(viaBash);
    if (ere != null) {
      s.append("  found() { line=$(${to:+$to $(left)} bash -c 'exec 3<>\"/dev/tcp/$0/$1\" || exit 2;"
          + " grep -E -m 1 -e \"$2\" <&3' \"$h\" \"$p\" ").append(Shell.quote(ere))
          .append(" 2>/dev/null) && printf '").append(MARK).append("line %s\\n' \"$line\"; }\n");
    }
    s.append("elif command -v nc >/dev/null 2>&1; then\n").append(viaNc);
    if (ere != null) {
      s.append("  found() { line=$(${to:+$to $(left)} nc -w ").append(connectTimeout)
          .append(" \"$h\" \"$p\" </dev/null 2>/dev/null | grep -E -m 1 -e ").append(Shell.quote(ere))
          .append(") && printf '").append(MARK).append("line %s\\n' \"$line\"; }\n");
      s.append("else\n  echo 'wait_for: search_regex on a port needs bash or nc on the target' >&2; exit 3\n");
    } else {
      s.append("else\n").append(viaProc);
    }
    s.append("fi\n");
    return s.toString();
  }

  /** A shell function {@code active} that counts the port's connections in the active states. */
  private static String drained(Args args, int port) {
    List<String> codes = new ArrayList<>();
    for (String st : args.strings("active_connection_states")) {
      codes.add(String.format("%02X", CONNECTION_STATES.indexOf(st) + 1));
    }
    List<String> excluded = new ArrayList<>();
    for (String h : args.strings("exclude_hosts")) {
      excluded.addAll(procHex(h));
    }
    return "active() { awk -v p=" + String.format("%04X", port) + " -v states=" + Shell.quote(String.join(" ", codes))
        + " -v skip=" + Shell.quote(String.join(" ", excluded)) + " 'BEGIN { split(states, s, \" \");"
        + " for (i in s) want[s[i]] = 1; split(skip, x, \" \"); for (i in x) ex[x[i]] = 1 }"
        + " FNR > 1 { split($2, l, \":\"); split($3, r, \":\"); if (l[2] == p && ($4 in want) && !(r[1] in ex)) n++ }"
        + " END { print n + 0 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }\n";
  }

  /** An IP address as /proc/net/tcp writes it (32-bit words in host order, little-endian here). */
  static List<String> procHex(String address) {
    if (!address.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      throw failure("exclude_hosts takes IP addresses, not names: " + address);
    }
    byte[] b;
    try {
      b = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw failure("exclude_hosts: '" + address + "' is not an IP address");
    }
    if (b.length == 4) {
      String v4 = words(b);
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(b, 0, mapped, 12, 4);
      return List.of(v4, words(mapped));
    }
    return List.of(words(b));
  }

  private static String words(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int w = 0; w < b.length; w += 4) {
      for (int i = 3; i >= 0; i--) {
        s.append(String.format("%02X", b[w + i] & 0xff));
      }
    }
    return s.toString();
  }

  /** Python's regex syntax turned into POSIX ERE for grep, for the constructs that have an equivalent. */
  static String ere(String python) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < python.length(); i++) {
      char c = python.charAt(i);
      if (c == '\\' && i + 1 < python.length()) {
        char n = python.charAt(++i);
        String cls = switch (n) {
          case 'd' -> "0-9";
          case 's' -> "[:space:]";
          case 'w' -> "[:alnum:]_";
          default -> null;
        };
        if (cls != null) {
          out.append(inClass ? cls : "[" + cls + "]");
        } else if (!inClass && (n == 'D' || n == 'S' || n == 'W')) {
          out.append("[^").append(n == 'D' ? "0-9" : n == 'S' ? "[:space:]" : "[:alnum:]_").append(']');
        } else if (n == 'A') {
          out.append('^');
        } else if (n == 'Z' || n == 'z') {
          out.append('$');
        } else if (n == 't') {
          out.append('\t');
        } else if (Character.isLetterOrDigit(n) && n != 'b' && n != 'B') {
          throw failure("search_regex: \\" + n + " has no equivalent in the target's grep -E");
        } else {
          out.append('\\').append(n);
        }
      } else if (inClass) {
        out.append(c);
        if (c == ']') {
          inClass = false;
        }
      } else if (c == '[') {
        inClass = true;
        out.append(c);
        // A ']' right after '[' or '[^' is a literal member, not the end.
        if (i + 1 < python.length() && python.charAt(i + 1) == '^') {
          out.append('^');
          i++;
        }
        if (i + 1 < python.length() && python.charAt(i + 1) == ']') {
          out.append(']');
          i++;
        }
      } else if (c == '(' && python.startsWith("(?", i)) {
        if (python.startsWith("(?:", i)) {
          out.append('(');
          i += 2;
        } else if (python.startsWith("(?P<", i)) {
          out.append('(');
          i = python.indexOf('>', i);
        } else {
          throw failure("search_regex: the group " + python.substring(i, Math.min(python.length(), i + 3))
              + "... has no equivalent in the target's grep -E");
        }
      } else if ((c == '?' || c == '+') && i > 0 && "*+?}".indexOf(python.charAt(i - 1)) >= 0
          && python.charAt(i - 1) != '\\') {
        // A lazy or possessive quantifier matches where the greedy one does: only the existence of a match counts.
        continue;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static Outcome interpret(Args args, PyRegex pattern, List<CommandResult> results) {
    CommandResult r = results.get(0);
    String line = null;
    String end = null;
    long elapsed = 0;
    for (String l : r.stdout().lines().toList()) {
      if (l.startsWith(MARK + "line ")) {
        line = l.substring(MARK.length() + 5);
      } else if (l.startsWith(MARK + "done ") || l.startsWith(MARK + "timeout ")) {
        String[] parts = l.substring(MARK.length()).split(" ");
        end = parts[0];
        elapsed = Long.parseLong(parts[1]);
      }
    }
    if (!r.ok() || end == null) {
      String err = r.stderr().isBlank() ? "the wait loop ended with exit code " + r.rc() : r.stderr().strip();
      return Outcome.failed(err, Map.of("elapsed", elapsed));
    }
    if (end.equals("timeout")) {
      return Outcome.failed(args.has("msg") ? args.str("msg") : timeoutMessage(args), Map.of("elapsed", elapsed));
    }
    List<Object> groups = new ArrayList<>();
    Map<String, Object> named = new LinkedHashMap<>();
    if (pattern != null && line != null) {
      Matcher m = pattern.java().matcher(line);
      if (m.find()) {
        for (int i = 1; i <= m.groupCount(); i++) {
          groups.add(m.group(i));
        }
        for (int i = 0; i < pattern.names().size(); i++) {
          named.put(pattern.names().get(i), m.group("jp" + i));
        }
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("state", args.str("state"));
    data.put("port", args.integer("port"));
    data.put("search_regex", args.str("search_regex"));
    data.put("match_groups", groups);
    data.put("match_groupdict", named);
    data.put("path", args.str("path"));
    data.put("elapsed", elapsed);
    return Outcome.ok(data);
  }

  private static String timeoutMessage(Args args) {
    String host = args.str("host");
    Integer port = args.integer("port");
    String path = args.str("path");
    String regex = args.str("search_regex");
    String state = args.str("state").toLowerCase(Locale.ROOT);
    if (state.equals("drained")) {
      return "Timeout when waiting for " + host + ":" + port + " to drain";
    }
    if (state.equals("absent") || state.equals("stopped")) {
      return port != null
          ? "Timeout when waiting for " + host + ":" + port + " to stop."
          : "Timeout when waiting for " + path + " to be absent.";
    }
    if (port != null) {
      return regex != null
          ? "Timeout when waiting for search string " + regex + " in " + host + ":" + port
          : "Timeout when waiting for " + host + ":" + port;
    }
    return regex != null
        ? "Timeout when waiting for search string " + regex + " in " + path
        : "Timeout when waiting for file " + path;
  }
}
