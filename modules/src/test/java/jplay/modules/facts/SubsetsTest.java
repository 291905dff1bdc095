package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jplay.engine.api.ModuleException;
import org.junit.jupiter.api.Test;

class SubsetsTest {
  private static final Set<Collector> MIN_IMPLEMENTED = EnumSet.of(Collector.PLATFORM, Collector.DISTRIBUTION,
      Collector.ENV, Collector.USER, Collector.DATE_TIME, Collector.DNS, Collector.SELINUX, Collector.APPARMOR,
      Collector.FIPS, Collector.SERVICE_MGR, Collector.PKG_MGR, Collector.LOCAL);

  @Test
  void allIsEverythingImplemented() {
    Set<Collector> all = Subsets.resolve(List.of("all"));
    assertEquals(Subsets.resolve(List.of()), all);
    for (Collector c : Collector.values()) {
      assertEquals(c.implemented, all.contains(c), c.id());
    }
  }

  @Test
  void notAllKeepsTheMinimalSet() {
    assertEquals(MIN_IMPLEMENTED, Subsets.resolve(List.of("!all")));
  }

  @Test
  void aNamedSubsetComesWithTheMinimalSet() {
    Set<Collector> expected = EnumSet.copyOf(MIN_IMPLEMENTED);
    expected.add(Collector.NETWORK);
    assertEquals(expected, Subsets.resolve(List.of("!all", "network")));
    assertEquals(expected, Subsets.resolve(List.of("network")).stream()
        .filter(c -> c != Collector.HARDWARE && c != Collector.VIRTUAL && c != Collector.LOADAVG)
        .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void notMinDropsTheMinimalSetButDependenciesComeBack() {
    assertEquals(Set.of(), Subsets.resolve(List.of("!all", "!min")));
    assertEquals(EnumSet.of(Collector.HARDWARE, Collector.PLATFORM), Subsets.resolve(List.of("!all", "!min", "hardware")));
    assertEquals(EnumSet.of(Collector.PKG_MGR, Collector.DISTRIBUTION),
        Subsets.resolve(List.of("!all", "!min", "pkg_mgr")));
  }

  @Test
  void excludingHardwareKeepsTheRest() {
    Set<Collector> s = Subsets.resolve(List.of("all", "!hardware"));
    assertTrue(!s.contains(Collector.HARDWARE) && s.contains(Collector.NETWORK) && s.contains(Collector.VIRTUAL));
    assertTrue(!Subsets.resolve(List.of("!virtual")).contains(Collector.VIRTUAL));
  }

  @Test
  void aFactNameSelectsItsCollector() {
    assertTrue(Subsets.resolve(List.of("!all", "!min", "default_ipv4")).contains(Collector.NETWORK));
  }

  @Test
  void ansibleOnlyNamesAreAcceptedAndGatherNothing() {
    assertEquals(MIN_IMPLEMENTED, Subsets.resolve(List.of("!all", "!facter", "!ohai", "python")));
  }

  @Test
  void anUnknownNameIsAnErrorWithASuggestion() {
    ModuleException e = assertThrows(ModuleException.class, () -> Subsets.resolve(List.of("netwrok")));
    assertTrue(e.getMessage().startsWith("unknown gather_subset 'netwrok' (did you mean 'network'?): use all, min,"),
        e.getMessage());
  }
}
