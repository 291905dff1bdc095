package jplay.modules.dnf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Module;
import jplay.modules.testing.LocalTarget;
import jplay.modules.testing.LocalTarget.Run;
import jplay.rpm.RpmTools;
import jplay.rpm.RpmTools.Sandbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dnf and dnf_module modules against Debian's real dnf and rpm: stand-in RPMs built with rpmbuild into local
 * repositories ({@link RpmTools}), installed into a throw-away installroot with its own dnf.conf and reposdir, so
 * the machine's packages are never touched. One sandbox for the class, the steps in order (a package life cycle),
 * to keep dnf's slow start to a minimum.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnfLocalTest {
  @TempDir static Path tmp;
  private static Sandbox box;
  private static final LocalTarget HOST = LocalTarget.local();
  private static final Dnf DNF = new Dnf();
  private static final DnfModule MODULES = new DnfModule();

  @BeforeAll
  static void sandbox() throws IOException {
    RpmTools.assumeDnf();
    box = RpmTools.sandbox(tmp);
  }

  private static Run apply(Module m, boolean check, Object... kv) {
    Map<String, Object> args = new LinkedHashMap<>(box.args());
    for (int i = 0; i < kv.length; i += 2) {
      args.put((String) kv[i], kv[i + 1]);
    }
    return HOST.run(m, args, check);
  }

  private static Run dnf(Object... kv) {
    return apply(DNF, false, kv);
  }

  @Test
  @Order(1)
  void installPinnedThenPresentIsIdempotent() {
    Run check = apply(DNF, true, "name", List.of("jp-alpha-1.0", "jp-beta"));
    assertTrue(check.changed());
    assertEquals(List.of(), box.installed(), "check mode installs nothing");
    assertEquals(List.of("Installed: jp-alpha-1.0", "Installed: jp-beta"), check.outcome().data().get("results"));

    Run install = dnf("name", List.of("jp-alpha-1.0", "jp-beta"));
    assertTrue(install.changed(), install.outcome().toString());
    assertEquals(
        List.of("Installed: jp-alpha-1.0-1.noarch", "Installed: jp-beta-1.0-1.noarch"), install.outcome().data().get("results"));
    assertEquals(List.of("jp-alpha-1.0-1.noarch", "jp-beta-1.0-1.noarch"), box.installed());

    Run again = dnf("name", List.of("jp-alpha", "jp-beta-1.0", "jp-virtual", "jp-alpha >= 1.0", "/usr/share/jp-beta/version"));
    assertFalse(again.changed(), "name, name-version, a capability, a comparison and a file all count as present");
    assertEquals("Nothing to do", again.outcome().msg());
    assertTrue(again.commands().isEmpty());
  }

  @Test
  @Order(2)
  void latestUpgradesAndComparisonsInstallNewer() {
    Run check = apply(DNF, true, "name", "jp-alpha", "state", "latest");
    assertTrue(check.changed());
    assertEquals(
        List.of("Installed: jp-alpha-2.0-1.noarch", "Removed: jp-alpha-1.0-1.noarch"), check.outcome().data().get("results"),
        "check mode asks dnf which upgrade it would take");
    Run latest = dnf("name", "jp-alpha", "state", "latest");
    assertEquals(
        List.of("Installed: jp-alpha-2.0-1.noarch", "Removed: jp-alpha-1.0-1.noarch"), latest.outcome().data().get("results"));
    assertFalse(dnf("name", "jp-alpha", "state", "latest").changed(), "latest is idempotent");
  }

  @Test
  @Order(3)
  void olderPinIsNoDowngradeUnlessAllowed() {
    Run pin = dnf("name", "jp-alpha-1.0");
    assertFalse(pin.changed(), "a newer installed version satisfies an older pin, as Ansible");
    Run down = dnf("name", "jp-alpha-1.0", "allow_downgrade", true);
    assertTrue(down.changed(), down.outcome().toString());
    assertEquals(
        List.of("Installed: jp-alpha-1.0-1.noarch", "Removed: jp-alpha-2.0-1.noarch"), down.outcome().data().get("results"));
    Run cmp = dnf("name", "jp-alpha >= 1.5");
    assertTrue(cmp.changed(), "a comparison the installed version fails installs a matching one");
    assertTrue(box.installed().contains("jp-alpha-2.0-1.noarch"));
  }

  @Test
  @Order(4)
  void excludesAndDisableExcludes() {
    Run excluded = dnf("name", "jp-kubelet-1.28.0");
    assertTrue(excluded.outcome().failed(), "the jp-kube repository excludes jp-kube*");
    assertEquals(
        "All matches were filtered out by exclude filtering for argument: jp-kubelet-1.28.0; Error: Unable to find a"
            + " match: jp-kubelet-1.28.0",
        excluded.outcome().msg());
    Run pinned = dnf("name", "jp-kubelet-1.28.0", "disable_excludes", "jp-kube");
    assertTrue(pinned.changed(), pinned.outcome().toString());
    assertEquals(List.of("Installed: jp-kubelet-1.28.0-1.noarch"), pinned.outcome().data().get("results"));
    assertFalse(
        dnf("name", "jp-kubelet", "state", "latest").changed(),
        "the newer jp-kubelet stays invisible while the repository excludes it");
    Run up = dnf("name", "jp-kubelet", "state", "latest", "disable_excludes", "jp-kube");
    assertEquals(
        List.of("Installed: jp-kubelet-1.28.2-1.noarch", "Removed: jp-kubelet-1.28.0-1.noarch"), up.outcome().data().get("results"));
    Run excludeOption = dnf("name", "jp-alpha", "state", "latest", "exclude", List.of("jp-alpha"));
    assertFalse(excludeOption.changed());
  }

  @Test
  @Order(5)
  void missingPackageFailsWithDnfsMessage() {
    Run missing = dnf("name", List.of("jp-nosuch"));
    assertTrue(missing.outcome().failed());
    assertTrue(missing.outcome().msg().contains("No match for argument: jp-nosuch"), missing.outcome().msg());
    assertEquals(List.of("No match for argument: jp-nosuch", "Error: Unable to find a match: jp-nosuch"),
        missing.outcome().data().get("failures"));
  }

  @Test
  @Order(6)
  void removeAndGroups() {
    Run remove = dnf("name", List.of("jp-beta", "jp-kubelet"), "state", "absent");
    assertEquals(
        List.of("Removed: jp-beta-1.0-1.noarch", "Removed: jp-kubelet-1.28.2-1.noarch"), remove.outcome().data().get("results"));
    assertFalse(dnf("name", List.of("jp-beta", "jp-kubelet"), "state", "absent").changed());
    Run group = dnf("name", "@jp-tools");
    assertTrue(group.changed(), group.outcome().toString());
    assertEquals(List.of("Installed: jp-beta-1.0-1.noarch"), group.outcome().data().get("results"));
    assertFalse(dnf("name", "@jp-tools").changed(), "an installed group is present");
    assertFalse(dnf("name", "@jplay tools").changed(), "by its name too");
  }

  @Test
  @Order(7)
  void localRpmFile() throws IOException {
    Path rpm;
    try (var s = Files.list(RpmTools.repositories().resolve("kube"))) {
      rpm = s.filter(p -> p.getFileName().toString().equals("jp-kubelet-1.28.0-1.noarch.rpm")).findFirst().orElseThrow();
    }
    Run file = dnf("name", rpm.toString());
    assertEquals(List.of("Installed: jp-kubelet-1.28.0-1.noarch"), file.outcome().data().get("results"), file.outcome().toString());
    assertFalse(dnf("name", rpm.toString()).changed());
  }

  @Test
  @Order(8)
  void moduleStreamEnableWithoutInstall() {
    Run enable = apply(MODULES, false, "name", "jp-mod:1.27");
    assertTrue(enable.changed(), enable.outcome().toString());
    assertEquals(List.of("Module jp-mod:1.27 enabled."), enable.outcome().data().get("results"));
    assertEquals(
        Map.of("jp-mod", Map.of("state", "enabled", "stream", "1.27", "profiles", List.of())),
        enable.outcome().data().get("modules"));
    assertFalse(box.installed().stream().anyMatch(p -> p.startsWith("jp-mod")), "enabling installs nothing");
    assertFalse(apply(MODULES, false, "name", "jp-mod:1.27").changed());

    Run pkg = dnf("name", "jp-mod");
    assertEquals(List.of("Installed: jp-mod-1.27.4-1.module_el8.noarch"), pkg.outcome().data().get("results"));
    dnf("name", "jp-mod", "state", "absent");

    Run switchStream = apply(MODULES, false, "name", "jp-mod:1.28");
    assertTrue(switchStream.changed(), switchStream.outcome().toString());
    assertEquals(4, switchStream.commands().size(), "lock wait, reset, enable, state probe");
    Run profile = dnf("name", "@jp-mod:1.28/default");
    assertEquals(List.of("Installed: jp-mod-1.28.1-1.module_el8.noarch"), profile.outcome().data().get("results"));
    assertFalse(dnf("name", "@jp-mod:1.28/default").changed());
    jplay.engine.api.ModuleException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            jplay.engine.api.ModuleException.class, () -> apply(MODULES, false, "name", "jp-mod:1.27"));
    assertTrue(refused.getMessage().startsWith("jp-mod:1.28 is enabled with profile(s) default installed"), refused.getMessage());
    assertTrue(apply(MODULES, false, "name", "jp-mod:1.28", "state", "removed").changed());
    assertTrue(apply(MODULES, false, "name", "jp-mod", "state", "disabled").changed());
    assertFalse(apply(MODULES, false, "name", "jp-mod", "state", "disabled").changed());
    assertTrue(apply(MODULES, false, "name", "jp-mod", "state", "reset").changed());
  }

  @Test
  @Order(9)
  void autoremoveAlone() {
    Run none = dnf("autoremove", true);
    assertFalse(none.changed(), none.outcome().toString());
  }

  @Test
  @Order(10)
  void downloadOnlyAndCacheUpdate() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("downloads"));
    Run download = dnf("name", "jp-kubelet-1.28.2", "disable_excludes", "jp-kube", "download_only", true, "download_dir", dir.toString());
    assertTrue(download.changed(), download.outcome().toString());
    assertTrue(Files.exists(dir.resolve("jp-kubelet-1.28.2-1.noarch.rpm")), "the package is downloaded");
    assertFalse(box.installed().contains("jp-kubelet-1.28.2-1.noarch"), "and not installed");
    Run cache = dnf("update_cache", true);
    assertFalse(cache.changed());
    assertEquals("Cache updated", cache.outcome().msg());
    assertFalse(cache.outcome().failed());
  }
}
