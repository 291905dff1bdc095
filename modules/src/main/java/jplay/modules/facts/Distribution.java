package jplay.modules.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution facts exactly as Ansible derives them (module_utils/facts/system/distribution.py on top of the
 * {@code distro} library): first a guess from os-release and the distro release file, then the first matching
 * entry of Ansible's list of release files overrides the name and, for some, the version or release. So Rocky 9.3
 * is {@code Rocky 9.3 "Blue Onyx"}, RHEL is {@code RedHat}, CentOS Stream 9 is {@code CentOS 9 "Stream"} and
 * Debian 12 reads its minor version from {@code /etc/debian_version}.
 */
final class Distribution {
  /** Ansible's OSDIST_LIST: path, name, whether an empty file counts. Order matters: the first parsed wins. */
  private static final List<String[]> OSDIST = List.of(
      new String[] {"/etc/altlinux-release", "Altlinux", ""},
      new String[] {"/etc/oracle-release", "OracleLinux", ""},
      new String[] {"/etc/slackware-version", "Slackware", ""},
      new String[] {"/etc/centos-release", "CentOS", ""},
      new String[] {"/etc/redhat-release", "RedHat", ""},
      new String[] {"/etc/vmware-release", "VMwareESX", "empty"},
      new String[] {"/etc/openwrt_release", "OpenWrt", ""},
      new String[] {"/etc/os-release", "Amazon", ""},
      new String[] {"/etc/system-release", "Amazon", ""},
      new String[] {"/etc/alpine-release", "Alpine", ""},
      new String[] {"/etc/arch-release", "Archlinux", "empty"},
      new String[] {"/etc/os-release", "Archlinux", ""},
      new String[] {"/etc/os-release", "SUSE", ""},
      new String[] {"/etc/SuSE-release", "SUSE", ""},
      new String[] {"/etc/gentoo-release", "Gentoo", ""},
      new String[] {"/etc/os-release", "Debian", ""},
      new String[] {"/etc/lsb-release", "Debian", ""},
      new String[] {"/etc/lsb-release", "Mandriva", ""},
      new String[] {"/etc/sourcemage-release", "SMGL", ""},
      new String[] {"/usr/lib/os-release", "ClearLinux", ""},
      new String[] {"/etc/coreos/update.conf", "Coreos", ""},
      new String[] {"/etc/os-release", "Flatcar", ""},
      new String[] {"/etc/os-release", "NA", ""});

  private static final Map<String, String> SEARCH_STRING = Map.of(
      "OracleLinux", "Oracle Linux", "RedHat", "Red Hat", "Altlinux", "ALT", "SMGL", "Source Mage GNU/Linux");

  private static final Map<String, String> OS_FAMILY = new LinkedHashMap<>();

  static {
    family("RedHat", "RedHat", "RHEL", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM",
        "OracleLinux", "OVS", "OEL", "Amazon", "Virtuozzo", "XenServer", "Alibaba", "EulerOS", "openEuler",
        "AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server");
    family("Debian", "Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali",
        "Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC");
    family("Suse", "SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX",
        "openSUSE Leap");
    family("Archlinux", "Archlinux", "Antergos", "Manjaro");
    family("Mandrake", "Mandrake", "Mandriva");
    family("Solaris", "Solaris", "Nexenta", "OmniOS", "OpenIndiana", "SmartOS");
    family("Slackware", "Slackware");
    family("Altlinux", "Altlinux");
    family("SGML", "SGML");
    family("Gentoo", "Gentoo", "Funtoo");
    family("Alpine", "Alpine");
    family("AIX", "AIX");
    family("HP-UX", "HPUX");
    family("Darwin", "MacOSX");
    family("FreeBSD", "FreeBSD", "TrueOS");
    family("ClearLinux", "Clear Linux OS", "Clear Linux Mix");
    family("DragonFly", "DragonflyBSD", "DragonFlyBSD", "Gentoo/DragonflyBSD", "Gentoo/DragonFlyBSD");
    family("NetBSD", "NetBSD");
  }

  private static final List<String> RELEASE_IGNORED = List.of(
      "debian_version", "lsb-release", "oem-release", "os-release", "system-release", "plesk-release",
      "iredmail-release");
  private static final Pattern RELEASE_BASENAME = Pattern.compile("(\\w+)[-_](release|version)$");
  private static final Pattern RELEASE_CONTENT_REVERSED =
      Pattern.compile("(?:[^)]*\\)(.*)\\()? *(?:STL )?([\\d.+\\-a-z]*\\d) *(?:esaeler *)?(.+)");

  private Distribution() {}

  private static void family(String family, String... names) {
    for (String n : names) {
      OS_FAMILY.put(n, family);
    }
  }

  /** Ansible's os_family for a distribution name: its family, or the name itself. */
  static String osFamily(String distribution) {
    return OS_FAMILY.getOrDefault(distribution, distribution);
  }

  /**
   * The facts for a host.
   *
   * @param system {@code uname -s}
   * @param files release files by path (content as read; absent when missing)
   * @param releaseNames the names in /etc that look like release files, sorted
   */
  static Map<String, Object> facts(String system, Map<String, String> files, List<String> releaseNames) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!system.equals("Linux")) {
      out.put("distribution", system);
      out.put("os_family", osFamily(system));
      return out;
    }
    Map<String, String> osRelease = OsRelease.parse(
        Optional.ofNullable(files.get("/etc/os-release")).orElse(files.getOrDefault("/usr/lib/os-release", "")));
    Map<String, String> distroRelease = distroRelease(files, releaseNames);
    String id = distroId(osRelease, distroRelease);

    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("distribution", guessName(id));
    String version = guessVersion(id, osRelease, distroRelease, files);
    facts.put("distribution_version", version.isEmpty() ? "NA" : version);
    String codename = codename(osRelease, distroRelease);
    facts.put("distribution_release", codename == null ? "NA" : codename);
    String major = facts.get("distribution_version").split("\\.", -1)[0];
    facts.put("distribution_major_version", major.isEmpty() ? "NA" : major);

    for (String[] entry : OSDIST) {
      String path = entry[0];
      String name = entry[1];
      boolean allowEmpty = !entry[2].isEmpty();
      String raw = files.get(path);
      if (raw == null || (!allowEmpty && raw.isEmpty())) {
        continue;
      }
      if (allowEmpty) {
        facts.put("distribution", name);
        facts.put("distribution_file_path", path);
        facts.put("distribution_file_variety", name);
        break;
      }
      String content = strip(raw.strip(), "'\"\\");
      Optional<Map<String, String>> parsed = parseFile(name, content, path, facts, id, files);
      if (parsed.isPresent()) {
        facts.put("distribution", name);
        facts.put("distribution_file_path", path);
        facts.put("distribution_file_variety", name);
        facts.put("distribution_file_parsed", "true");
        facts.putAll(parsed.get());
        break;
      }
    }
    facts.forEach((k, v) -> out.put(k, k.equals("distribution_file_parsed") ? Boolean.valueOf(v) : v));
    out.put("os_family", osFamily(facts.get("distribution")));
    return out;
  }

  /** distro.id(): os-release ID, else the release file's name; lower case, blanks as underscores. */
  private static String distroId(Map<String, String> osRelease, Map<String, String> distroRelease) {
    String id = osRelease.getOrDefault("id", "");
    if (!id.isEmpty()) {
      id = id.toLowerCase(Locale.ROOT).replace(' ', '_');
      return switch (id) {
        case "ol" -> "oracle";
        case "opensuse-leap" -> "opensuse";
        default -> id;
      };
    }
    id = distroRelease.getOrDefault("id", "").toLowerCase(Locale.ROOT).replace(' ', '_');
    return id.equals("redhat") ? "rhel" : id;
  }

  /** Ansible's get_distribution(): the id capitalised as Python's str.capitalize() does, with two renames. */
  private static String guessName(String id) {
    if (id.isEmpty()) {
      return "OtherLinux";
    }
    String name = id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1).toLowerCase(Locale.ROOT);
    return switch (name) {
      case "Amzn" -> "Amazon";
      case "Rhel" -> "Redhat";
      default -> name;
    };
  }

  /** Ansible's get_distribution_version(): distro.version(), the most precise one for CentOS and Debian. */
  private static String guessVersion(
      String id, Map<String, String> osRelease, Map<String, String> distroRelease, Map<String, String> files) {
    List<String> versions = new java.util.ArrayList<>(List.of(
        osRelease.getOrDefault("version_id", ""),
        distroRelease.getOrDefault("version_id", ""),
        parseReleaseLine(osRelease.getOrDefault("pretty_name", "")).getOrDefault("version_id", "")));
    if (id.equals("debian") || List.of(osRelease.getOrDefault("id_like", "").split("\\s+")).contains("debian")) {
      versions.add(files.getOrDefault("/etc/debian_version", "").strip());
    }
    boolean best = id.equals("centos") || id.equals("debian");
    String version = "";
    for (String v : versions) {
      if (best ? (dots(v) > dots(version) || version.isEmpty()) : (version.isEmpty() && !v.isEmpty())) {
        version = v;
      }
    }
    if (id.equals("centos")) {
      String[] parts = version.split("\\.", -1);
      version = parts.length > 2 ? parts[0] + "." + parts[1] : version;
    }
    return version;
  }

  private static int dots(String v) {
    return (int) v.chars().filter(ch -> ch == '.').count();
  }

  /** Ansible's get_distribution_codename(); null when there is none. */
  private static String codename(Map<String, String> osRelease, Map<String, String> distroRelease) {
    if (osRelease.containsKey("version_codename")) {
      return osRelease.get("version_codename");
    }
    if (osRelease.containsKey("ubuntu_codename")) {
      return osRelease.get("ubuntu_codename");
    }
    String c = osRelease.containsKey("codename")
        ? osRelease.get("codename")
        : distroRelease.getOrDefault("codename", "");
    return c.isEmpty() ? null : c;
  }

  /** The first distro release file in /etc (sorted, as distro does) whose first line parses. */
  private static Map<String, String> distroRelease(Map<String, String> files, List<String> releaseNames) {
    for (String base : releaseNames) {
      if (RELEASE_IGNORED.contains(base)) {
        continue;
      }
      Matcher m = RELEASE_BASENAME.matcher(base);
      if (!m.lookingAt()) {
        continue;
      }
      String content = files.get("/etc/" + base);
      if (content == null) {
        continue;
      }
      String first = content.lines().findFirst().orElse("");
      Map<String, String> info = parseReleaseLine(first);
      if (info.containsKey("name")) {
        info.put("id", info.get("name").toLowerCase(Locale.ROOT).contains("cloudlinux") ? "cloudlinux" : m.group(1));
        return info;
      }
    }
    return Map.of();
  }

  /** distro's _parse_distro_release_content: "Rocky Linux release 9.3 (Blue Onyx)" into name, version, codename. */
  static Map<String, String> parseReleaseLine(String line) {
    Map<String, String> info = new LinkedHashMap<>();
    String reversed = new StringBuilder(line.strip()).reverse().toString();
    Matcher m = RELEASE_CONTENT_REVERSED.matcher(reversed);
    if (m.lookingAt()) {
      info.put("name", new StringBuilder(m.group(3)).reverse().toString());
      if (m.group(2) != null && !m.group(2).isEmpty()) {
        info.put("version_id", new StringBuilder(m.group(2)).reverse().toString());
      }
      if (m.group(1) != null && !m.group(1).isEmpty()) {
        info.put("codename", new StringBuilder(m.group(1)).reverse().toString());
      }
    } else if (!line.isEmpty()) {
      info.put("name", line.strip());
    }
    return info;
  }

  private static Optional<Map<String, String>> parseFile(
      String name, String data, String path, Map<String, String> collected, String id, Map<String, String> files) {
    Map<String, String> f = new LinkedHashMap<>();
    if (SEARCH_STRING.containsKey(name)) {
      if (data.contains(SEARCH_STRING.get(name))) {
        f.put("distribution", name);
        f.put("distribution_file_search_string", SEARCH_STRING.get(name));
      } else {
        String[] words = data.split("\\s+");
        f.put("distribution", words[0]);
      }
      return Optional.of(f);
    }
    if (name.equals("Archlinux")) {
      return data.contains("Arch Linux") ? Optional.of(Map.of("distribution", name)) : Optional.empty();
    }
    switch (name) {
      case "CentOS" -> {
        if (data.contains("CentOS Stream")) {
          f.put("distribution_release", "Stream");
          return Optional.of(f);
        }
        if (data.contains("TencentOS Server")) {
          f.put("distribution", "TencentOS");
          return Optional.of(f);
        }
        return Optional.empty();
      }
      case "Slackware" -> {
        if (!data.contains("Slackware")) {
          return Optional.empty();
        }
        find("\\w+[.]\\w+\\+?", data, 0).ifPresent(v -> f.put("distribution_version", v));
        return Optional.of(f);
      }
      case "Amazon" -> {
        if (!data.contains("Amazon")) {
          return Optional.empty();
        }
        f.put("distribution", "Amazon");
        if (path.equals("/etc/os-release")) {
          find("VERSION_ID=\"(.*)\"", data, 1).ifPresent(v -> {
            f.put("distribution_version", v);
            String[] parts = v.split("\\.");
            f.put("distribution_major_version", parts[0]);
            f.put("distribution_minor_version", parts.length > 1 ? parts[1] : "NA");
          });
        } else {
          String v = "NA";
          for (String w : data.split("\\s+")) {
            if (w.matches("\\d+")) {
              v = w;
              break;
            }
          }
          f.put("distribution_version", v);
        }
        return Optional.of(f);
      }
      case "OpenWrt" -> {
        if (!data.contains("OpenWrt")) {
          return Optional.empty();
        }
        find("DISTRIB_RELEASE=\"(.*)\"", data, 1).ifPresent(v -> f.put("distribution_version", v));
        find("DISTRIB_CODENAME=\"(.*)\"", data, 1).ifPresent(v -> f.put("distribution_release", v));
        return Optional.of(f);
      }
      case "Alpine" -> {
        f.put("distribution", "Alpine");
        f.put("distribution_version", data);
        return Optional.of(f);
      }
      case "SUSE" -> {
        return suse(data, path);
      }
      case "Debian" -> {
        return debian(data, path, collected, files);
      }
      case "Mandriva" -> {
        if (!data.contains("Mandriva")) {
          return Optional.empty();
        }
        find("DISTRIB_RELEASE=\"(.*)\"", data, 1).ifPresent(v -> f.put("distribution_version", v));
        find("DISTRIB_CODENAME=\"(.*)\"", data, 1).ifPresent(v -> f.put("distribution_release", v));
        f.put("distribution", name);
        return Optional.of(f);
      }
      case "ClearLinux" -> {
        Optional<String> pname = find("NAME=\"(.*)\"", data, 1);
        if (pname.isPresent()) {
          if (!pname.get().contains("Clear Linux")) {
            return Optional.empty();
          }
          f.put("distribution", pname.get());
        }
        find("VERSION_ID=(.*)", data, 1).ifPresent(v -> {
          f.put("distribution_major_version", v);
          f.put("distribution_version", v);
        });
        find("ID=(.*)", data, 1).ifPresent(v -> f.put("distribution_release", v));
        return Optional.of(f);
      }
      case "Coreos" -> {
        if (!id.equals("coreos") || data.isEmpty()) {
          return Optional.empty();
        }
        findMultiline("^GROUP=(.*)", data).ifPresent(v -> f.put("distribution_release", unquote(v)));
        return Optional.of(f);
      }
      case "Flatcar" -> {
        if (!id.equals("flatcar") || data.isEmpty()) {
          return Optional.empty();
        }
        find("VERSION=(.*)", data, 1).ifPresent(v -> {
          String version = unquote(v);
          f.put("distribution_major_version", version.split("\\.")[0]);
          f.put("distribution_version", version);
        });
        return Optional.of(f);
      }
      case "NA" -> {
        for (String line : data.split("\n")) {
          if (line.startsWith("NAME=")) {
            f.put("distribution", unquote(line.substring(5)));
          }
          if (line.startsWith("VERSION=") && collected.get("distribution_version").equals("NA")) {
            f.put("distribution_version", unquote(line.substring(8)));
          }
        }
        return Optional.of(f);
      }
      default -> {
        // Ansible has no parser for the others (Gentoo, VMwareESX...): they do not count as parsed.
        return Optional.empty();
      }
    }
  }

  private static Optional<Map<String, String>> debian(
      String data, String path, Map<String, String> collected, Map<String, String> files) {
    Map<String, String> f = new LinkedHashMap<>();
    if (data.contains("Debian") || data.contains("Raspbian")) {
      f.put("distribution", "Debian");
      find("PRETTY_NAME=[^(]+ \\(?([^)]+?)\\)", data, 1).ifPresent(v -> f.put("distribution_release", v));
      for (String line : files.getOrDefault("/etc/debian_version", "").split("\n")) {
        find("(\\d+)\\.(\\d+)", line.strip(), 2).ifPresent(v -> f.put("distribution_minor_version", v));
      }
    } else if (data.contains("Ubuntu")) {
      f.put("distribution", "Ubuntu");
    } else if (data.contains("SteamOS")) {
      f.put("distribution", "SteamOS");
    } else if ((path.equals("/etc/lsb-release") || path.equals("/etc/os-release"))
        && (data.contains("Kali") || data.contains("Parrot"))) {
      f.put("distribution", data.contains("Kali") ? "Kali" : "Parrot");
      find("DISTRIB_RELEASE=(.*)", data, 1).ifPresent(v -> f.put("distribution_release", v));
    } else if (data.contains("Devuan")) {
      f.put("distribution", "Devuan");
      find("PRETTY_NAME=\"?[^(\"]+ \\(?([^) \"]+)\\)?", data, 1).ifPresent(v -> f.put("distribution_release", v));
      find("VERSION_ID=\"(.*)\"", data, 1).ifPresent(v -> {
        f.put("distribution_version", v);
        f.put("distribution_major_version", v);
      });
    } else if (data.contains("Cumulus")) {
      f.put("distribution", "Cumulus Linux");
      find("VERSION_ID=(.*)", data, 1).ifPresent(v -> {
        f.put("distribution_version", v);
        f.put("distribution_major_version", v.split("\\.")[0]);
      });
      find("VERSION=\"(.*)\"", data, 1).ifPresent(v -> f.put("distribution_release", v));
    } else if (data.contains("Mint")) {
      f.put("distribution", "Linux Mint");
      find("VERSION_ID=\"(.*)\"", data, 1).ifPresent(v -> {
        f.put("distribution_version", v);
        f.put("distribution_major_version", v.split("\\.")[0]);
      });
    } else if (data.contains("UOS") || data.contains("Uos") || data.contains("uos")
        || data.contains("Deepin") || data.contains("deepin")) {
      boolean uos = data.contains("UOS") || data.contains("Uos") || data.contains("uos");
      f.put("distribution", uos ? "Uos" : "Deepin");
      find("VERSION_CODENAME=\"?([^\"\n]+)\"?", data, 1).ifPresent(v -> f.put("distribution_release", v));
      find("VERSION_ID=\"(.*)\"", data, 1).ifPresent(v -> {
        f.put("distribution_version", v);
        f.put("distribution_major_version", v.split("\\.")[0]);
      });
    } else {
      return Optional.empty();
    }
    return Optional.of(f);
  }

  private static Optional<Map<String, String>> suse(String data, String path) {
    if (!data.toLowerCase(Locale.ROOT).contains("suse")) {
      return Optional.empty();
    }
    Map<String, String> f = new LinkedHashMap<>();
    if (path.equals("/etc/os-release")) {
      String lower = data.toLowerCase(Locale.ROOT);
      for (String line : data.split("\n")) {
        if (line.startsWith("NAME=")) {
          f.put("distribution", unquote(line.substring(5)));
        }
        Matcher v = Pattern.compile("^VERSION_ID=\"?([0-9]+\\.?[0-9]*)\"?").matcher(line);
        if (v.find()) {
          f.put("distribution_version", v.group(1));
          f.put("distribution_major_version", v.group(1).split("\\.")[0]);
        }
        Matcher r = Pattern.compile("^VERSION_ID=\"?[0-9]+\\.?([0-9]*)\"?").matcher(line);
        if (lower.contains("open")) {
          if (r.find()) {
            f.put("distribution_release", r.group(1));
          }
        } else if (lower.contains("enterprise") && line.contains("VERSION_ID") && r.find()) {
          f.put("distribution_release", r.group(1).isEmpty() ? "0" : r.group(1));
        }
      }
    }
    return Optional.of(f);
  }

  private static Optional<String> find(String regex, String data, int group) {
    Matcher m = Pattern.compile(regex).matcher(data);
    return m.find() ? Optional.of(m.group(group)) : Optional.empty();
  }

  private static Optional<String> findMultiline(String regex, String data) {
    Matcher m = Pattern.compile(regex).matcher(data);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static String unquote(String s) {
    return strip(s, "\"");
  }

  /** Python's str.strip(chars). */
  private static String strip(String s, String chars) {
    int b = 0;
    int e = s.length();
    while (b < e && chars.indexOf(s.charAt(b)) >= 0) {
      b++;
    }
    while (e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
      e--;
    }
    return s.substring(b, e);
  }
}
