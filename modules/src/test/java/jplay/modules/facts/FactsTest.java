package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The smaller parsers and Ansible's filter, on hand-written output in the probe's format. */
class FactsTest {
  private static ProbeOutput probe(String... sections) {
    StringBuilder sb = new StringBuilder();
    for (String s : sections) {
      sb.append('\n').append(Probe.MARK).append(s).append('\n');
    }
    return ProbeOutput.parse(sb.toString());
  }

  @Test
  void filterMatchesNamesWithTheirPrefixAsAnsibleDoes() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("memtotal_mb", 1);
    facts.put("swapfree_mb", 2);
    facts.put("eth0", 3);
    facts.put("eth3", 4);
    facts.put("kernel", 5);
    facts.put("gather_subset", List.of("all"));
    assertEquals(Set.of("memtotal_mb", "swapfree_mb"), Facts.filter(facts, List.of("ansible_*_mb")).keySet());
    assertEquals(Set.of("eth0"), Facts.filter(facts, List.of("ansible_eth[0-2]")).keySet());
    assertEquals(Set.of("kernel"), Facts.filter(facts, List.of("kernel")).keySet());
    assertEquals(Set.of("eth3"), Facts.filter(facts, List.of("eth[!0-2]")).keySet());
    assertEquals(facts, Facts.filter(facts, List.of()));
    assertEquals(Set.of("gather_subset"), Facts.filter(facts, List.of("gather_*")).keySet());
  }

  @Test
  void dateTimeInAZoneWithDaylightSaving() {
    Map<?, ?> d = (Map<?, ?>) DateTime.facts(List.of("1700000000 123456789 +0100 CET", "+0100 CET", "+0200 CEST"))
        .get("date_time");
    // What Python gives for TZ=Europe/Berlin at that instant.
    assertEquals("2023", d.get("year"));
    assertEquals("Tuesday", d.get("weekday"));
    assertEquals("2", d.get("weekday_number"));
    assertEquals("46", d.get("weeknumber"));
    assertEquals("2023-11-14", d.get("date"));
    assertEquals("23:13:20", d.get("time"));
    assertEquals("20231114T231320123456", d.get("iso8601_basic"));
    assertEquals("2023-11-14T22:13:20.123456Z", d.get("iso8601_micro"));
    assertEquals("2023-11-14T22:13:20Z", d.get("iso8601"));
    assertEquals("CET", d.get("tz"));
    assertEquals("CEST", d.get("tz_dst"));
    assertEquals("+0100", d.get("tz_offset"));
    assertEquals("1700000000", d.get("epoch"));
  }

  @Test
  void dateTimeWithoutNanosecondsOrDateD() {
    Map<?, ?> d = (Map<?, ?>) DateTime.facts(List.of("1720000000 %N +0200 CEST", "", "")).get("date_time");
    assertEquals("27", d.get("weeknumber"));
    assertEquals("Wednesday", d.get("weekday"));
    assertEquals("11:46:40", d.get("time"));
    assertEquals("CEST", d.get("tz_dst"));
  }

  @Test
  void selinuxEnabledReadsModeConfigAndType() {
    ProbeOutput out = probe("file /sys/fs/selinux/enforce\n1", "file /sys/fs/selinux/policyvers\n33",
        "file /etc/selinux/config\n# comment\nSELINUX=permissive\nSELINUXTYPE=targeted");
    assertEquals(Map.of("selinux", Map.of("status", "enabled", "mode", "enforcing", "config_mode", "permissive",
        "type", "targeted", "policyvers", 33)), SystemFacts.selinux(out));
    assertEquals(Map.of("selinux", Map.of("status", "disabled")), SystemFacts.selinux(probe("end")));
  }

  @Test
  void serviceManagerFromPidOneOrTheSystemdCanaries() {
    assertEquals("systemd", SystemFacts.serviceMgr(probe("file /proc/1/comm\nsystemd"), "Linux", "Rocky"));
    assertEquals("runit", SystemFacts.serviceMgr(probe("file /proc/1/comm\nrunit-init"), "Linux", "Void"));
    // A shell as PID 1 (a container) says nothing; the canaries decide.
    assertEquals("systemd", SystemFacts.serviceMgr(
        probe("file /proc/1/comm\nbash", "which\nsystemctl", "exists\n/run/systemd/system/"), "Linux", "Rocky"));
    assertEquals("sysvinit", SystemFacts.serviceMgr(probe("file /proc/1/comm\nsh", "exists\n/etc/init.d/"),
        "Linux", "Debian"));
    assertEquals("service", SystemFacts.serviceMgr(probe("end"), "Linux", "Debian"));
  }

  @Test
  void packageManagerFollowsTheFamily() {
    ProbeOutput both = probe("exists\n/usr/bin/yum\n/usr/bin/dnf");
    assertEquals("dnf", SystemFacts.pkgMgr(both, "Rocky", "RedHat", "9"));
    assertEquals("yum", SystemFacts.pkgMgr(both, "CentOS", "RedHat", "7"));
    assertEquals("dnf", SystemFacts.pkgMgr(both, "Fedora", "RedHat", "39"));
    assertEquals("atomic_container", SystemFacts.pkgMgr(probe("exists\n/usr/bin/dnf\n/run/ostree-booted"),
        "RedHat", "RedHat", "9"));
    assertEquals("apt", SystemFacts.pkgMgr(probe("exists\n/usr/bin/apt-get\n/usr/bin/dnf"), "Ubuntu", "Debian",
        "22"));
    assertEquals("apt_rpm", SystemFacts.pkgMgr(probe("exists\n/usr/bin/apt-get", "aptrpm\n0"), "Altlinux",
        "Altlinux", "10"));
    assertEquals("apk", SystemFacts.pkgMgr(probe("exists\n/sbin/apk"), "Alpine", "Alpine", "3"));
  }

  @Test
  void cpuCountsOfATwoSocketHyperthreadedHost() {
    StringBuilder cpuinfo = new StringBuilder("cpuinfo\n");
    int n = 0;
    for (int socket = 0; socket < 2; socket++) {
      for (int thread = 0; thread < 8; thread++) {
        cpuinfo.append("processor\t: ").append(n++).append("\nvendor_id\t: GenuineIntel\n")
            .append("model name\t: Intel(R) Xeon(R)\nphysical id\t: ").append(socket)
            .append("\nsiblings\t: 8\ncore id\t\t: ").append(thread % 4).append("\ncpu cores\t: 4\n");
      }
    }
    Map<String, Object> f = Hardware.cpu(probe(cpuinfo.toString().strip(), "nproc\n16"), "x86_64");
    assertEquals(2, f.get("processor_count"));
    assertEquals(4, f.get("processor_cores"));
    assertEquals(2, f.get("processor_threads_per_core"));
    assertEquals(16, f.get("processor_vcpus"));
    assertEquals(16, f.get("processor_nproc"));
    assertEquals(48, ((List<?>) f.get("processor")).size());
  }

  @Test
  void networkWithASecondaryAddressAndAnAlias() {
    ProbeOutput out = probe(
        "route4\n8.8.8.8 via 10.0.0.1 dev eth0 src 10.0.0.5 uid 1000",
        "route6",
        "addrs\n1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
            + "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global dynamic eth0\\       valid_lft 86000sec\n"
            + "2: eth0    inet 10.0.0.6/24 brd 10.0.0.255 scope global secondary eth0:1\\       valid_lft forever\n"
            + "3: veth1@if4    inet6 fe80::1/64 scope link \\       valid_lft forever preferred_lft forever",
        "netdev eth0\naddress=52:54:00:12:34:56\nmtu=1500\noperstate=up\ntype=1\nflags=0x1003",
        "netdev lo\naddress=00:00:00:00:00:00\nmtu=65536\noperstate=unknown\ntype=772\nflags=0x9",
        "netdev veth1\naddress=aa:bb:cc:dd:ee:ff\nmtu=1500\noperstate=down\ntype=1\nflags=0x1103");
    Map<String, Object> f = Network.facts(out);
    Map<?, ?> def = (Map<?, ?>) f.get("default_ipv4");
    assertEquals("10.0.0.5", def.get("address"));
    assertEquals("10.0.0.1", def.get("gateway"));
    assertEquals("255.255.255.0", def.get("netmask"));
    assertEquals("10.0.0.0", def.get("network"));
    assertEquals("52:54:00:12:34:56", def.get("macaddress"));
    assertEquals(1500, def.get("mtu"));
    assertEquals("ether", def.get("type"));
    assertEquals(Map.of(), f.get("default_ipv6"));
    assertEquals(List.of("10.0.0.5", "10.0.0.6"), f.get("all_ipv4_addresses"));
    assertEquals(List.of("fe80::1"), f.get("all_ipv6_addresses"));
    assertEquals(List.of("eth0", "lo", "veth1", "eth0_1"), f.get("interfaces"));
    Map<?, ?> eth0 = (Map<?, ?>) f.get("eth0");
    assertEquals(1, ((List<?>) eth0.get("ipv4_secondaries")).size());
    assertTrue(((Map<?, ?>) f.get("eth0_1")).containsKey("ipv4_secondaries"));
    Map<?, ?> veth = (Map<?, ?>) f.get("veth1");
    assertEquals(true, veth.get("promisc"));
    assertEquals(false, veth.get("active"));
    assertTrue(!((Map<?, ?>) f.get("lo")).containsKey("macaddress"));
  }

  @Test
  void noIpToolNoNetworkFacts() {
    assertEquals(Map.of(), Network.facts(probe("end")));
  }

  @Test
  void userFromThePasswdEntry() {
    Map<String, Object> f = SystemFacts.user(probe("user\ndeploy\n1000\n1000\n1000\n1000\n"
        + "deploy:x:1000:1000:Deploy User,,,:/home/deploy:/bin/bash"));
    assertEquals("deploy", f.get("user_id"));
    assertEquals(1000, f.get("user_uid"));
    assertEquals("Deploy User,,,", f.get("user_gecos"));
    assertEquals("/home/deploy", f.get("user_dir"));
    assertEquals("/bin/bash", f.get("user_shell"));
  }

  @Test
  void fqdnIsTheFirstDottedNameOfTheReverseEntry() {
    ProbeOutput out = probe("uname\nLinux\nweb1\n5.14\n#1\nx86_64", "fqdn\n10.0.0.5      web1.example.com web1");
    Map<String, Object> f = SystemFacts.platform(out);
    assertEquals("web1.example.com", f.get("fqdn"));
    assertEquals("example.com", f.get("domain"));
    assertEquals("web1", f.get("hostname"));
  }

  @Test
  void jsonIsStrict() {
    assertEquals(Map.of("a", List.of(1, 2.5, "x", true), "b", Map.of()), Json.parse(" {\"a\": [1, 2.5, \"x\", true], \"b\": {}} "));
    assertEquals("é\n", Json.parse("\"\\u00e9\\n\""));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{a: 1}"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("key=value"));
  }

  @Test
  void virtualizationFromSystemdDetectVirtWhenNothingElseSays() {
    Map<String, Object> f = Virtual.facts(probe("detectvirt\ncontainer=none\nvm=qemu"));
    assertEquals("kvm", f.get("virtualization_type"));
    assertEquals("guest", f.get("virtualization_role"));
    assertEquals("NA", Virtual.facts(probe("detectvirt\ncontainer=none\nvm=none")).get("virtualization_type"));
    assertEquals("VMware", Virtual.facts(probe("file /sys/devices/virtual/dmi/id/product_name\nVMware7,1"))
        .get("virtualization_type"));
  }
}
