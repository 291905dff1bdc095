package jplay.modules.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * A unit as systemd reports it, read by one probe: {@code systemctl is-enabled} (its output and exit code, which
 * Ansible's enabled logic reads) and every property of {@code systemctl show} (Ansible's returned {@code status}).
 * All properties rather than a {@code --property} list, so {@code status} holds what Ansible's holds.
 *
 * @param isEnabledRc the exit code of is-enabled
 * @param isEnabled its output, line breaks as spaces ("enabled", "static", "masked", "alias", ...)
 * @param status the properties, as Ansible's parse_systemctl_show reads them
 */
record UnitState(int isEnabledRc, String isEnabled, Map<String, String> status) {

  static Fact<UnitState> fact(String systemctl, String unit) {
    return Fact.of("systemd " + systemctl + " " + unit, probe(systemctl, unit), r -> parse(unit, r));
  }

  /** {@code systemctl} is the command with its scope option and environment prefix (see Systemd). */
  static Command probe(String systemctl, String unit) {
    return Command.of(
        "u=" + Shell.quote(unit) + "\n"
            + "command -v systemctl >/dev/null || { echo nosystemctl; exit 0; }\n"
            + "e=$(" + systemctl + " is-enabled -- \"$u\" 2>/dev/null)\n"
            + "printf 'is-enabled %s %s\\n' \"$?\" \"$(printf '%s' \"$e\" | tr '\\n' ' ')\"\n"
            + systemctl + " show -- \"$u\"\n"
            + "echo \"@show-rc $?\"\n");
  }

  static UnitState parse(String unit, CommandResult r) {
    String out = r.stdout();
    if (out.startsWith("nosystemctl")) {
      throw new ModuleException(
          "the host has no systemctl: the systemd and service modules need a host managed by systemd");
    }
    List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
    if (!r.ok() || lines.isEmpty() || !lines.get(0).startsWith("is-enabled ")) {
      throw new ModuleException(
          "cannot read the state of " + unit + ": "
              + (r.stderr().isBlank() ? "unexpected probe output '" + firstLine(out) + "'" : r.stderr().strip()));
    }
    String[] ie = lines.get(0).substring("is-enabled ".length()).split(" ", 2);
    int ieRc = Integer.parseInt(ie[0]);
    String ieOut = ie.length > 1 ? ie[1].strip() : "";
    int end = -1;
    for (int i = lines.size() - 1; i > 0; i--) {
      if (lines.get(i).startsWith("@show-rc ")) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new ModuleException("cannot read the state of " + unit + ": the probe was cut short");
    }
    int showRc = Integer.parseInt(lines.get(end).substring("@show-rc ".length()).strip());
    if (showRc != 0) {
      throw new ModuleException(
          "systemctl show " + unit + " failed: "
              + (r.stderr().isBlank() ? "exit code " + showRc : r.stderr().strip().replace('\n', ' ')));
    }
    return new UnitState(ieRc, ieOut, parseShow(lines.subList(1, end)));
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse("");
  }

  /**
   * Ansible's parse_systemctl_show: {@code Key=Value} lines; only a value of an {@code Exec*} key that starts with
   * '{' may go on over several lines, up to the line that ends with '}'.
   */
  static Map<String, String> parseShow(List<String> lines) {
    Map<String, String> parsed = new LinkedHashMap<>();
    List<String> multi = new ArrayList<>();
    String key = null;
    for (String line : lines) {
      if (key == null) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String k = line.substring(0, eq);
        String v = line.substring(eq + 1);
        if (k.startsWith("Exec") && v.stripLeading().startsWith("{") && !v.stripTrailing().endsWith("}")) {
          key = k;
          multi.add(v);
          continue;
        }
        parsed.put(k, v.strip());
      } else {
        multi.add(line);
        if (line.stripTrailing().endsWith("}")) {
          parsed.put(key, String.join("\n", multi).strip());
          multi.clear();
          key = null;
        }
      }
    }
    return parsed;
  }

  /** The unit exists for systemd (Ansible's is_systemd): show reports a LoadState other than not-found. */
  boolean found() {
    String load = status.get("LoadState");
    return load != null && !load.equals("not-found");
  }

  /** Ansible's enabled test: is-enabled exits 0, except for exactly "indirect" or "alias". */
  boolean enabled() {
    return isEnabledRc == 0 && !isEnabled.equals("indirect") && !isEnabled.equals("alias");
  }

  /** Ansible's masked test: is-enabled prints exactly "masked". */
  boolean masked() {
    return isEnabled.equals("masked");
  }

  /** Ansible's is_running_service: active or activating. */
  boolean running() {
    String a = status.get("ActiveState");
    return "active".equals(a) || "activating".equals(a);
  }
}
