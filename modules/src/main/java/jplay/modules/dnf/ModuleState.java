package jplay.modules.dnf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module's state as dnf records it in {@code /etc/dnf/modules.d/NAME.module}: the enabled stream, the installed
 * profiles, and the state (enabled, disabled, or empty after a reset). Reading these files answers "is cri-o:1.28
 * enabled" without loading any repository metadata; a module without a file has never been enabled or disabled.
 */
record ModuleState(String name, String stream, List<String> profiles, String state) {
  ModuleState {
    stream = stream == null ? "" : stream;
    state = state == null ? "" : state;
    profiles = List.copyOf(profiles);
  }

  static ModuleState none(String name) {
    return new ModuleState(name, "", List.of(), "");
  }

  boolean enabled() {
    return state.equals("enabled");
  }

  /** The modules.d files, concatenated (each begins with its [name] section). */
  static Map<String, ModuleState> parseAll(String text) {
    Map<String, ModuleState> out = new LinkedHashMap<>();
    String section = null;
    Map<String, String> kv = new LinkedHashMap<>();
    for (String raw : (text + "\n[]").split("\n")) {
      String line = raw.strip();
      if (line.startsWith("[") && line.endsWith("]")) {
        if (section != null) {
          String name = kv.getOrDefault("name", section);
          List<String> profiles = new ArrayList<>();
          for (String p : kv.getOrDefault("profiles", "").split("[,\\s]+")) {
            if (!p.isEmpty()) {
              profiles.add(p);
            }
          }
          out.put(name, new ModuleState(name, kv.get("stream"), profiles, kv.get("state")));
        }
        section = line.substring(1, line.length() - 1);
        kv = new LinkedHashMap<>();
      } else if (section != null && line.contains("=") && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        kv.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return out;
  }

  /** A module spec: {@code name[:stream][/profile]}, with an optional leading {@code @}. */
  record Spec(String name, String stream, String profile) {
    static Spec parse(String s) {
      String rest = s.startsWith("@") ? s.substring(1) : s;
      String profile = null;
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        profile = rest.substring(slash + 1);
        rest = rest.substring(0, slash);
      }
      String stream = null;
      int colon = rest.indexOf(':');
      if (colon >= 0) {
        stream = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      if (rest.isEmpty() || (stream != null && stream.isEmpty()) || (profile != null && profile.isEmpty())) {
        throw new jplay.engine.api.ModuleException(
            "'" + s + "' is not a module spec: give NAME, NAME:STREAM or NAME:STREAM/PROFILE");
      }
      return new Spec(rest, stream, profile);
    }

    @Override
    public String toString() {
      return name + (stream == null ? "" : ":" + stream) + (profile == null ? "" : "/" + profile);
    }
  }

  /** True if the spec's stream (when given) is the enabled one and its profile (or, without one, any) is installed. */
  boolean installs(Spec spec) {
    if (!enabled() || (spec.stream() != null && !spec.stream().equals(stream))) {
      return false;
    }
    return spec.profile() == null ? !profiles.isEmpty() : profiles.contains(spec.profile());
  }

  String describe() {
    if (state.isEmpty()) {
      return name + ": no stream enabled or disabled (reset)";
    }
    if (state.equals("disabled")) {
      return name + ": disabled";
    }
    return name + ":" + stream + " enabled" + (profiles.isEmpty() ? "" : ", profiles installed: " + String.join(", ", profiles));
  }
}
