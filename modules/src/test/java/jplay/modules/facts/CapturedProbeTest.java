package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser against the probe's real output, captured on a Debian 12 VM (a docker-like sandbox under KVM), and
 * against what Ansible's setup module reported for the same machine at the same moment.
 *
 * <p>How the resources were produced, on that machine: {@code probe-debian12.txt} is the output of
 * {@code Probe.script(all collectors, "/etc/ansible/facts.d", 10)} run with {@code /bin/sh}; right after it,
 * {@code oracle-setup-debian12.json} is the output of {@code ansible -i localhost, -c local localhost -m setup}
 * (ansible-core 2.14.18, Debian's package) without its "localhost | SUCCESS =>" prefix. In both, the
 * environment was cut down to HOME, PATH, LANG, SHELL, PWD, SHLVL and TERM so no sandbox variables are stored.
 */
class CapturedProbeTest {
  private static final List<String> SAME_AS_ANSIBLE = List.of(
      "architecture", "system", "kernel", "kernel_version", "machine", "machine_id", "hostname", "nodename", "fqdn",
      "domain", "distribution", "distribution_version", "distribution_major_version", "distribution_minor_version",
      "distribution_release", "distribution_file_path", "distribution_file_variety", "distribution_file_parsed",
      "os_family", "processor", "processor_count", "processor_cores", "processor_threads_per_core",
      "processor_vcpus", "processor_nproc", "memtotal_mb", "swaptotal_mb", "swapfree_mb", "default_ipv4",
      "default_ipv6", "all_ipv4_addresses", "all_ipv6_addresses", "eth0", "lo", "ifb0", "ifb1", "service_mgr",
      "pkg_mgr", "selinux", "apparmor", "fips", "dns", "user_id", "user_uid", "user_gid", "user_gecos", "user_dir",
      "user_shell", "real_user_id", "effective_user_id", "real_group_id", "effective_group_id",
      "virtualization_type", "virtualization_role", "local", "gather_subset", "module_setup");

  private static Map<String, Object> facts() {
    List<String> warnings = new ArrayList<>();
    Map<String, Object> f = Facts.gather(ProbeOutput.parse(Fixtures.read("probe-debian12.txt")),
        EnumSet.allOf(Collector.class), "/etc/ansible/facts.d", List.of("all"), warnings);
    assertEquals(List.of(), warnings);
    return f;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> oracle() {
    Map<String, Object> all = (Map<String, Object>) Json.parse(Fixtures.read("oracle-setup-debian12.json"));
    return (Map<String, Object>) all.get("ansible_facts");
  }

  @Test
  void agreesWithAnsibleOnEveryFactBothReport() {
    Map<String, Object> ours = facts();
    Map<String, Object> theirs = oracle();
    for (String key : SAME_AS_ANSIBLE) {
      String theirKey = key.equals("gather_subset") || key.equals("module_setup") ? key : "ansible_" + key;
      assertTrue(theirs.containsKey(theirKey), "the oracle has " + theirKey);
      assertEquals(theirs.get(theirKey), ours.get(key), key);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void agreesWithAnsibleOnTheFactsThatAreSetsOrMoveWithTime() {
    Map<String, Object> ours = facts();
    Map<String, Object> theirs = oracle();
    assertEquals(new HashSet<>((List<Object>) theirs.get("ansible_interfaces")),
        new HashSet<>((List<Object>) ours.get("interfaces")));
    assertEquals(new HashSet<>((List<Object>) theirs.get("ansible_virtualization_tech_guest")),
        new HashSet<>((List<Object>) ours.get("virtualization_tech_guest")));
    assertEquals(new HashSet<>((List<Object>) theirs.get("ansible_virtualization_tech_host")),
        new HashSet<>((List<Object>) ours.get("virtualization_tech_host")));
    assertEquals(theirs.get("ansible_env"), ours.get("env"));
    Map<String, Object> ourTime = (Map<String, Object>) ours.get("date_time");
    Map<String, Object> theirTime = (Map<String, Object>) theirs.get("ansible_date_time");
    assertEquals(theirTime.keySet(), ourTime.keySet());
    for (String k : List.of("tz", "tz_dst", "tz_offset", "date", "year", "month", "day", "weekday",
        "weekday_number", "weeknumber")) {
      assertEquals(theirTime.get(k), ourTime.get(k), "date_time." + k);
    }
    long drift = Long.parseLong((String) ourTime.get("epoch")) - Long.parseLong((String) theirTime.get("epoch"));
    assertTrue(Math.abs(drift) < 60, "captured within a minute of each other: " + drift);
    Map<String, Object> ourMem = (Map<String, Object>) ours.get("memory_mb");
    Map<String, Object> theirMem = (Map<String, Object>) theirs.get("ansible_memory_mb");
    assertEquals(theirMem.keySet(), ourMem.keySet());
    assertEquals(((Map<String, Object>) theirMem.get("real")).get("total"),
        ((Map<String, Object>) ourMem.get("real")).get("total"));
    assertEquals(((Map<String, Object>) theirs.get("ansible_loadavg")).keySet(),
        ((Map<String, Object>) ours.get("loadavg")).keySet());
  }

  @Test
  void readsTheCapturedMachine() {
    Map<String, Object> f = facts();
    assertEquals("vm", f.get("hostname"));
    assertEquals("6.18.44-fc-v509", f.get("kernel"));
    assertEquals("Debian", f.get("distribution"));
    assertEquals("12.11", f.get("distribution_version"));
    assertEquals(24105, f.get("memtotal_mb"));
    assertEquals(2, f.get("processor_vcpus"));
    assertEquals("apt", f.get("pkg_mgr"));
    assertEquals("process_api", f.get("service_mgr"));
    assertEquals(Map.of("status", "disabled"), f.get("selinux"));
    assertEquals("docker", f.get("virtualization_type"));
    assertEquals(List.of("192.0.2.2"), f.get("all_ipv4_addresses"));
    assertEquals("192.0.2.1", ((Map<?, ?>) f.get("default_ipv4")).get("gateway"));
  }
}
