package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The distribution facts for captured release files of the EL family, Ubuntu and Debian. The expected values are
 * what Ansible 2.14's own distribution.py returns for the same files (checked by running it against them).
 */
class DistributionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      distro/centos-stream-8.txt | CentOS    | 8     | 8  | Stream              | RedHat
      distro/centos-stream-9.txt | CentOS    | 9     | 9  | Stream              | RedHat
      distro/rocky-8.9.txt       | Rocky     | 8.9   | 8  | Green Obsidian      | RedHat
      distro/rocky-9.3.txt       | Rocky     | 9.3   | 9  | Blue Onyx           | RedHat
      distro/almalinux-9.3.txt   | AlmaLinux | 9.3   | 9  | Shamrock Pampas Cat | RedHat
      distro/rhel-9.3.txt        | RedHat    | 9.3   | 9  | Plow                | RedHat
      distro/ubuntu-22.04.txt    | Ubuntu    | 22.04 | 22 | jammy               | Debian
      probe-debian12.txt         | Debian    | 12.11 | 12 | bookworm            | Debian
      """)
  void readsTheDistributionAsAnsibleDoes(
      String fixture, String name, String version, String major, String release, String family) {
    ProbeOutput out = ProbeOutput.parse(Fixtures.read(fixture));
    Map<String, Object> f = Distribution.facts("Linux", out.files(), out.lines("releases"));
    assertEquals(name, f.get("distribution"));
    assertEquals(version, f.get("distribution_version"));
    assertEquals(major, f.get("distribution_major_version"));
    assertEquals(release, f.get("distribution_release"));
    assertEquals(family, f.get("os_family"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Rocky Linux release 9.3 (Blue Onyx)         | Rocky Linux                | 9.3       | Blue Onyx
      CentOS Stream release 9                     | CentOS Stream              | 9         |
      CentOS Linux release 7.9.2009 (Core)        | CentOS Linux               | 7.9.2009  | Core
      Red Hat Enterprise Linux release 8.9 (Ootpa)| Red Hat Enterprise Linux   | 8.9       | Ootpa
      """)
  void splitsAReleaseLineAsDistroDoes(String line, String name, String version, String codename) {
    Map<String, String> info = Distribution.parseReleaseLine(line);
    assertEquals(name, info.get("name"));
    assertEquals(version, info.get("version_id"));
    assertEquals(codename, info.get("codename"));
  }

  @org.junit.jupiter.api.Test
  void aReleaseFileWithoutOsReleaseStillNamesTheDistribution() {
    Map<String, Object> f = Distribution.facts("Linux",
        Map.of("/etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n"),
        java.util.List.of("centos-release", "redhat-release"));
    assertEquals("CentOS", f.get("distribution"));
    assertEquals("RedHat", f.get("os_family"));
  }

  @org.junit.jupiter.api.Test
  void anUnknownSystemIsItsOwnFamily() {
    Map<String, Object> f = Distribution.facts("FreeBSD", Map.of(), java.util.List.of());
    assertEquals("FreeBSD", f.get("distribution"));
    assertEquals("FreeBSD", f.get("os_family"));
  }
}
