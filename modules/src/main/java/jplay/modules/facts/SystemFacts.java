package jplay.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The small collectors of Ansible's minimal set, each a pure function of the probe's output: platform, user, env,
 * SELinux, AppArmor, FIPS, DNS, load average, service manager and package manager.
 */
final class SystemFacts {
  private static final Map<String, String> PROC_1_MAP =
      Map.of("procd", "openwrt_init", "runit-init", "runit", "svscan", "svc", "openrc-init", "openrc");

  private SystemFacts() {}

  static Map<String, Object> platform(ProbeOutput out) {
    Map<String, Object> f = new LinkedHashMap<>();
    List<String> uname = out.lines("uname");
    String system = at(uname, 0);
    String node = at(uname, 1);
    String machine = at(uname, 4);
    f.put("system", system);
    f.put("kernel", at(uname, 2));
    f.put("kernel_version", at(uname, 3));
    f.put("machine", machine);
    f.put("architecture", machine);
    f.put("nodename", node);
    f.put("hostname", node.split("\\.", -1)[0]);
    String fqdn = fqdn(out.lines("fqdn"), node);
    f.put("fqdn", fqdn);
    int dot = fqdn.indexOf('.');
    f.put("domain", dot < 0 ? "" : fqdn.substring(dot + 1));
    out.firstLine("/var/lib/dbus/machine-id")
        .or(() -> out.firstLine("/etc/machine-id"))
        .ifPresent(id -> f.put("machine_id", id));
    return f;
  }

  /** Python's socket.getfqdn(): the first dotted name of the reverse entry, else its canonical name. */
  private static String fqdn(List<String> reverse, String node) {
    if (reverse.isEmpty() || reverse.get(0).isBlank()) {
      return node;
    }
    String[] words = reverse.get(0).trim().split("\\s+");
    if (words.length < 2) {
      return node;
    }
    for (int i = 1; i < words.length; i++) {
      if (words[i].contains(".")) {
        return words[i];
      }
    }
    return words[1];
  }

  static Map<String, Object> user(ProbeOutput out) {
    Map<String, Object> f = new LinkedHashMap<>();
    List<String> l = out.lines("user");
    if (l.size() < 5) {
      return f;
    }
    String name = l.get(0).trim();
    f.put("user_id", name);
    String[] pw = l.size() > 5 ? l.get(5).split(":", -1) : new String[0];
    if (pw.length >= 7) {
      f.put("user_uid", toInt(pw[2]));
      f.put("user_gid", toInt(pw[3]));
      f.put("user_gecos", pw[4]);
      f.put("user_dir", pw[5]);
      f.put("user_shell", pw[6]);
    } else {
      f.put("user_uid", toInt(l.get(1)));
      f.put("user_gid", toInt(l.get(2)));
    }
    f.put("real_user_id", toInt(l.get(3)));
    f.put("effective_user_id", toInt(l.get(1)));
    // Ansible reports os.getgid() for both, so do we.
    f.put("real_group_id", toInt(l.get(4)));
    f.put("effective_group_id", toInt(l.get(4)));
    return f;
  }

  static Map<String, Object> env(ProbeOutput out) {
    Map<String, Object> env = new java.util.TreeMap<>();
    out.sections().stream().filter(s -> s.name().equals("env")).findFirst().ifPresent(s -> {
      String[] entries = s.arg().equals("nul") ? s.body().split("\0") : s.body().split("\n");
      for (String e : entries) {
        int eq = e.indexOf('=');
        if (eq > 0) {
          env.put(e.substring(0, eq), e.substring(eq + 1));
        }
      }
    });
    return Map.of("env", env);
  }

  /** Without Python's selinux bindings: the kernel's selinuxfs and the config file say the same. */
  static Map<String, Object> selinux(ProbeOutput out) {
    Map<String, Object> s = new LinkedHashMap<>();
    Optional<String> enforce = out.firstLine("/sys/fs/selinux/enforce");
    if (enforce.isEmpty()) {
      s.put("status", "disabled");
      return Map.of("selinux", s);
    }
    s.put("status", "enabled");
    s.put("policyvers", out.firstLine("/sys/fs/selinux/policyvers").map(SystemFacts::toInt).orElse("unknown"));
    Map<String, String> config = new LinkedHashMap<>();
    for (String line : out.file("/etc/selinux/config").orElse("").split("\n")) {
      String t = line.strip();
      int eq = t.indexOf('=');
      if (!t.startsWith("#") && eq > 0) {
        config.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
      }
    }
    String configMode = config.getOrDefault("SELINUX", "");
    s.put("config_mode", List.of("enforcing", "permissive", "disabled").contains(configMode) ? configMode : "unknown");
    s.put("mode", switch (enforce.get()) {
      case "1" -> "enforcing";
      case "0" -> "permissive";
      default -> "unknown";
    });
    s.put("type", config.getOrDefault("SELINUXTYPE", "unknown"));
    return Map.of("selinux", s);
  }

  static Map<String, Object> apparmor(ProbeOutput out) {
    boolean on = out.existing().contains("/sys/kernel/security/apparmor");
    return Map.of("apparmor", Map.of("status", on ? "enabled" : "disabled"));
  }

  static Map<String, Object> fips(ProbeOutput out) {
    return Map.of("fips", out.firstLine("/proc/sys/crypto/fips_enabled").map("1"::equals).orElse(false));
  }

  static Map<String, Object> loadavg(ProbeOutput out) {
    Map<String, Object> f = new LinkedHashMap<>();
    out.firstLine("/proc/loadavg").ifPresent(line -> {
      String[] w = line.split("\\s+");
      if (w.length >= 3) {
        Map<String, Object> avg = new LinkedHashMap<>();
        avg.put("1m", Double.parseDouble(w[0]));
        avg.put("5m", Double.parseDouble(w[1]));
        avg.put("15m", Double.parseDouble(w[2]));
        f.put("loadavg", avg);
      }
    });
    return f;
  }

  /** /etc/resolv.conf as Ansible's dns collector reads it. */
  static Map<String, Object> dns(ProbeOutput out) {
    Map<String, Object> dns = new LinkedHashMap<>();
    for (String line : out.file("/etc/resolv.conf").orElse("").split("\n")) {
      if (line.startsWith("#") || line.startsWith(";") || line.isBlank()) {
        continue;
      }
      String[] t = line.trim().split("\\s+");
      List<String> rest = List.of(t).subList(1, t.length);
      switch (t[0]) {
        case "nameserver" -> {
          @SuppressWarnings("unchecked")
          List<Object> ns = (List<Object>) dns.computeIfAbsent("nameservers", k -> new ArrayList<>());
          ns.addAll(rest);
        }
        case "domain" -> {
          if (!rest.isEmpty()) {
            dns.put("domain", rest.get(0));
          }
        }
        case "search" -> dns.put("search", new ArrayList<Object>(rest));
        case "sortlist" -> dns.put("sortlist", new ArrayList<Object>(rest));
        case "options" -> {
          Map<String, Object> options = new LinkedHashMap<>();
          for (String o : rest) {
            int colon = o.indexOf(':');
            options.put(colon < 0 ? o : o.substring(0, colon), colon < 0 ? Boolean.TRUE : o.substring(colon + 1));
          }
          dns.put("options", options);
        }
        default -> {
          // Ansible ignores other keywords.
        }
      }
    }
    return Map.of("dns", dns);
  }

  /** Ansible's service_mgr: PID 1's name when it says something, else the canaries systemd itself uses. */
  static String serviceMgr(ProbeOutput out, String system, String distribution) {
    String proc1 = out.file("/proc/1/comm").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    if (proc1 == null) {
      proc1 = out.lines("init").stream().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse(null);
    }
    if (proc1 != null) {
      proc1 = proc1.substring(proc1.lastIndexOf('/') + 1).strip();
      if (proc1.equals("init") || proc1.endsWith("sh")) {
        proc1 = null;
      }
    }
    if (proc1 != null && !proc1.isEmpty()) {
      return PROC_1_MAP.getOrDefault(proc1, proc1);
    }
    Set<String> exists = out.existing();
    List<String> tools = out.lines("which");
    boolean systemctl = tools.contains("systemctl");
    if (distribution.equals("MacOSX")) {
      return "launchd";
    }
    if (system.contains("BSD") || system.equals("Bitrig") || system.equals("DragonFly")) {
      return "bsdinit";
    }
    if (system.equals("AIX")) {
      return "src";
    }
    if (system.equals("SunOS")) {
      return "smf";
    }
    if (distribution.equals("OpenWrt")) {
      return "openwrt_init";
    }
    if (system.equals("Linux")) {
      if (systemctl && (exists.contains("/run/systemd/system/") || exists.contains("/dev/.run/systemd/")
          || exists.contains("/dev/.systemd/"))) {
        return "systemd";
      }
      if (tools.contains("initctl") && exists.contains("/etc/init/")) {
        return "upstart";
      }
      if (exists.contains("/sbin/openrc")) {
        return "openrc";
      }
      String init = at(out.lines("init"), 0).strip();
      if (systemctl && init.substring(init.lastIndexOf('/') + 1).equals("systemd")) {
        return "systemd";
      }
      if (exists.contains("/etc/init.d/")) {
        return "sysvinit";
      }
    }
    return "service";
  }

  /** Ansible's pkg_mgr: the last known tool present, then the distribution family's official choice. */
  static String pkgMgr(ProbeOutput out, String distribution, String osFamily, String majorVersion) {
    Set<String> exists = out.existing();
    String name = "unknown";
    for (String[] p : Probe.PKG_MGRS) {
      if (osFamily.equals("Altlinux") && p[0].equals("/usr/bin/pkg")) {
        continue;
      }
      if (exists.contains(p[0])) {
        name = p[1];
      }
    }
    switch (osFamily) {
      case "RedHat" -> name = redHat(exists, name, distribution, majorVersion);
      case "Debian" -> name = "apt";
      case "Altlinux" -> name = name.equals("apt") ? "apt_rpm" : name;
      default -> {
        // keep what was found
      }
    }
    if (name.equals("apt")) {
      String rpmSaysApt = at(out.lines("aptrpm"), 0).strip();
      if (rpmSaysApt.equals("0")) {
        name = "apt_rpm";
      }
    }
    return name;
  }

  private static String redHat(Set<String> exists, String found, String distribution, String major) {
    if (exists.contains("/run/ostree-booted")) {
      return "atomic_container";
    }
    Integer v = major.matches("\\d+") ? Integer.valueOf(major) : null;
    String name = found;
    if (distribution.equals("Fedora") || distribution.equals("Amazon")) {
      int threshold = distribution.equals("Fedora") ? 23 : 2022;
      if (v == null) {
        return "dnf";
      }
      String wanted = v < threshold ? "yum" : "dnf";
      String path = wanted.equals("yum") ? "/usr/bin/yum" : "/usr/bin/dnf";
      return exists.contains(path) ? wanted : name;
    }
    return v != null && v < 8 ? "yum" : "dnf";
  }

  static String at(List<String> lines, int i) {
    return i < lines.size() ? lines.get(i) : "";
  }

  static Object toInt(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return s.strip();
    }
  }
}
