package jplay.modules.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ansible's local facts ({@code fact_path}, default /etc/ansible/facts.d): each {@code NAME.fact} file becomes
 * {@code ansible_local.NAME}. Executables are run and their output read; the content is JSON, else INI; a fact
 * that fails becomes the message Ansible would store in its place.
 */
final class LocalFacts {
  private LocalFacts() {}

  static Map<String, Object> facts(ProbeOutput out, String factPath) {
    Map<String, Object> local = new LinkedHashMap<>();
    List<ProbeOutput.Section> sections = out.sections();
    for (int i = 0; i < sections.size(); i++) {
      ProbeOutput.Section s = sections.get(i);
      String path = factPath + "/" + s.arg() + ".fact";
      if (s.name().equals("localfile")) {
        local.put(s.arg(), read(s.body(), path));
      } else if (s.name().equals("localexec")) {
        ProbeOutput.Section rc = i + 1 < sections.size() ? sections.get(i + 1) : null;
        String code = rc != null && rc.name().equals("localrc") ? rc.arg().strip() : "?";
        if (!code.equals("0")) {
          String err = rc == null ? "" : rc.body();
          local.put(s.arg(), "Failure executing fact script (" + path + "), rc: " + code + ", err: " + err);
        } else {
          local.put(s.arg(), read(s.body(), path));
        }
      }
    }
    return Map.of("local", local);
  }

  /** JSON first, then INI (sections of options, names in lower case), as Ansible tries them. */
  static Object read(String content, String path) {
    try {
      return Json.parse(content);
    } catch (IllegalArgumentException notJson) {
      Map<String, Object> ini = ini(content);
      return ini == null ? "error loading facts as JSON or ini - please check content: " + path : ini;
    }
  }

  /** Python's configparser for the simple cases: null when it would raise (e.g. an option before any section). */
  private static Map<String, Object> ini(String content) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> section = null;
    for (String raw : content.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        String name = line.substring(1, line.length() - 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> existing = (Map<String, Object>) out.computeIfAbsent(name, k -> new LinkedHashMap<>());
        section = existing;
        continue;
      }
      if (section == null) {
        return null;
      }
      int eq = line.indexOf('=');
      int colon = line.indexOf(':');
      int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (sep <= 0) {
        return null;
      }
      section.put(line.substring(0, sep).strip().toLowerCase(Locale.ROOT), line.substring(sep + 1).strip());
    }
    return out;
  }
}
