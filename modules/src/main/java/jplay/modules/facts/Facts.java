package jplay.modules.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the facts map from the probe's output: each selected collector reads its sections, in Ansible's order
 * (later collectors read what earlier ones found). Keys carry no {@code ansible_} prefix; the engine adds it for
 * the top-level variables.
 */
final class Facts {
  private Facts() {}

  /**
   * The facts for {@code collectors}.
   *
   * @param gatherSubset as given, reported back as the {@code gather_subset} fact, as Ansible does
   * @param warnings receives one line per collector that could not read its part of the output
   */
  static Map<String, Object> gather(
      ProbeOutput out, Set<Collector> collectors, String factPath, List<String> gatherSubset, List<String> warnings) {
    Map<String, Object> f = new TreeMap<>();
    Map<String, Object> platform = SystemFacts.platform(out);
    String system = String.valueOf(platform.getOrDefault("system", ""));
    String architecture = String.valueOf(platform.getOrDefault("architecture", ""));
    Map<String, Object> distribution = Map.of();
    if (collectors.contains(Collector.PLATFORM)) {
      f.putAll(platform);
    }
    if (collectors.contains(Collector.DISTRIBUTION)) {
      distribution = Distribution.facts(system, out.files(), out.lines("releases"));
      f.putAll(distribution);
    }
    String distro = String.valueOf(distribution.getOrDefault("distribution", ""));
    for (Collector c : collectors) {
      try {
        switch (c) {
          case SELINUX -> f.putAll(SystemFacts.selinux(out));
          case APPARMOR -> f.putAll(SystemFacts.apparmor(out));
          case FIPS -> f.putAll(SystemFacts.fips(out));
          case PKG_MGR -> f.put("pkg_mgr", SystemFacts.pkgMgr(out, distro,
              String.valueOf(distribution.getOrDefault("os_family", "")),
              String.valueOf(distribution.getOrDefault("distribution_major_version", "NA"))));
          case SERVICE_MGR -> f.put("service_mgr", SystemFacts.serviceMgr(out, system, distro));
          case DATE_TIME -> f.putAll(DateTime.facts(out.lines("date")));
          case ENV -> f.putAll(SystemFacts.env(out));
          case LOADAVG -> f.putAll(SystemFacts.loadavg(out));
          case USER -> f.putAll(SystemFacts.user(out));
          case DNS -> f.putAll(SystemFacts.dns(out));
          case LOCAL -> f.putAll(LocalFacts.facts(out, factPath));
          case VIRTUAL -> f.putAll(Virtual.facts(out));
          case HARDWARE -> f.putAll(Hardware.facts(out, architecture));
          case NETWORK -> f.putAll(Network.facts(out));
          default -> {
            // platform and distribution are read above; the rest are not implemented
          }
        }
      } catch (RuntimeException e) {
        // As Ansible: a collector that cannot read its host's output leaves its facts out, the others stand.
        warnings.add("could not read the " + c.id() + " facts: " + e.getMessage());
      }
    }
    f.put("gather_subset", new ArrayList<Object>(gatherSubset.isEmpty() ? List.of("all") : gatherSubset));
    f.put("module_setup", true);
    f.values().removeIf(v -> v == null);
    return f;
  }

  /**
   * Ansible's {@code filter}: keeps the facts whose name ({@code ansible_}-prefixed, except gather_subset and
   * module_setup) matches one of the globs; a glob without the prefix is also tried with it.
   */
  static Map<String, Object> filter(Map<String, Object> facts, List<String> globs) {
    if (globs.isEmpty() || globs.equals(List.of("*"))) {
      return facts;
    }
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : facts.entrySet()) {
      String shown = isMeta(e.getKey()) ? e.getKey() : "ansible_" + e.getKey();
      for (String g : globs) {
        boolean hit = g.isEmpty() || jplay.engine.api.Glob.matches(g, shown)
            || (!g.startsWith("ansible_") && !g.startsWith("facter") && !g.startsWith("ohai")
                && jplay.engine.api.Glob.matches("ansible_" + g, shown));
        if (hit) {
          out.put(e.getKey(), e.getValue());
          break;
        }
      }
    }
    return out;
  }

  private static boolean isMeta(String key) {
    return key.equals("gather_subset") || key.equals("module_setup");
  }
}
