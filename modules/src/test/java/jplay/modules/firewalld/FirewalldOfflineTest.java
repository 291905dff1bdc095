package jplay.modules.firewalld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.ModuleException;
import jplay.engine.testing.Sshd;
import jplay.modules.testing.LocalTarget;
import jplay.modules.testing.LocalTarget.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firewalld module against Debian's real {@code firewall-offline-cmd}, with its configuration in a temporary
 * directory ({@code --system-config}, added by a wrapper first on the PATH), so /etc/firewalld is never touched.
 * {@code firewall-cmd} is a wrapper that answers "not running" (exit 252, as the real one without a daemon), so a
 * firewalld that happens to run on the test machine is never asked or changed. The daemon paths (runtime queries,
 * --permanent through D-Bus, --timeout) are covered by captured-output fixtures here and by the VM lab.
 */
class FirewalldOfflineTest {
  @TempDir Path tmp;
  private LocalTarget host;
  private Path config;
  private final Firewalld module = new Firewalld();

  @BeforeEach
  void wrappers() throws IOException {
    Sshd.require(
        Files.isExecutable(Path.of("/usr/bin/firewall-offline-cmd")),
        "firewall-offline-cmd is not installed (Debian package firewalld; see .ci/apt-packages)");
    config = Files.createDirectories(tmp.resolve("etc-firewalld"));
    if (Files.exists(Path.of("/etc/firewalld/firewalld.conf"))) {
      Files.copy(Path.of("/etc/firewalld/firewalld.conf"), config.resolve("firewalld.conf"));
    }
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    script(bin.resolve("firewall-offline-cmd"), "exec /usr/bin/firewall-offline-cmd --system-config '" + config + "' \"$@\"");
    script(bin.resolve("firewall-cmd"), "echo 'not running'; exit 252");
    host = LocalTarget.builder().env(Map.of("PATH", bin + ":" + System.getenv("PATH"))).build();
  }

  private static void script(Path p, String body) throws IOException {
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private String zoneFile(String zone) throws IOException {
    Path p = config.resolve("zones").resolve(zone + ".xml");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  @Test
  void portsOfANodeInOneTaskThenIdempotent() throws IOException {
    Map<String, Object> a =
        args("port", List.of("6443/tcp", "2379-2380/tcp", "10250/tcp"), "permanent", true, "state", "enabled");
    Run first = host.run(module, a);
    assertTrue(first.changed(), first.outcome().toString());
    assertEquals(
        "Permanent operation, Changed port 6443/tcp to enabled, Changed port 2379-2380/tcp to enabled, Changed port"
            + " 10250/tcp to enabled, (offline operation: only on-disk configs were altered)",
        first.outcome().msg());
    assertEquals(1, first.commands().size(), "one firewall-offline-cmd call for all ports");
    String xml = zoneFile("public");
    assertTrue(xml.contains("<port port=\"6443\" protocol=\"tcp\"/>"), xml);
    assertTrue(xml.contains("<port port=\"2379-2380\" protocol=\"tcp\"/>"), xml);
    Run again = host.run(module, a);
    assertFalse(again.changed());
    assertEquals("Permanent operation, (offline operation: only on-disk configs were altered)", again.outcome().msg());

    Run remove = host.run(module, args("port", "2379-2380/tcp", "permanent", true, "state", "disabled"));
    assertTrue(remove.changed());
    assertFalse(zoneFile("public").contains("2379-2380"));
    assertTrue(zoneFile("public").contains("6443"));
  }

  @Test
  void immediateNeedsTheDaemonUnlessOffline() throws IOException {
    ModuleException e =
        assertThrows(
            ModuleException.class,
            () -> host.run(module, args("service", "http", "permanent", true, "immediate", true, "state", "enabled")));
    assertTrue(e.getMessage().startsWith("firewall is not currently running"), e.getMessage());
    Run offline =
        host.run(module, args("service", List.of("http", "https"), "permanent", true, "immediate", true, "offline", true, "state", "enabled"));
    assertTrue(offline.changed(), offline.outcome().toString());
    assertTrue(zoneFile("public").contains("<service name=\"https\"/>"));
    assertFalse(
        host.run(module, args("service", List.of("https", "http"), "immediate", true, "offline", true, "state", "enabled")).changed(),
        "runtime-only with offline: true is checked against the permanent configuration");
  }

  @Test
  void richRuleSpellingsAreComparedByFirewalld() throws IOException {
    Run add =
        host.run(
            module,
            args("rich_rule", "rule family=ipv4 source address=10.0.0.0/8 port port=8080 protocol=tcp accept", "zone", "internal",
                "permanent", true, "state", "enabled"));
    assertTrue(add.changed());
    Run same =
        host.run(
            module,
            args("rich_rule", List.of("rule family=\"ipv4\" source address=\"10.0.0.0/8\" port port=\"8080\" protocol=\"tcp\" accept"),
                "zone", "internal", "permanent", true, "state", "enabled"));
    assertFalse(same.changed(), "firewalld says the quoted spelling is the same rule");
  }

  @Test
  void zoneSourceInterfaceMasqueradeTargetAndForward() throws IOException {
    Map<String, Object> zone = args("zone", "k8s", "permanent", true, "state", "present");
    assertTrue(host.run(module, zone).changed());
    assertFalse(host.run(module, zone).changed());
    assertTrue(host.run(module, args("zone", "k8s", "source", "10.244.0.0/16", "permanent", true, "state", "enabled")).changed());
    assertTrue(host.run(module, args("zone", "k8s", "interface", "cni0", "permanent", true, "state", "enabled")).changed());
    assertTrue(host.run(module, args("zone", "k8s", "masquerade", true, "permanent", true, "state", "enabled")).changed());
    assertFalse(host.run(module, args("zone", "k8s", "masquerade", "yes", "permanent", true, "state", "enabled")).changed());
    assertTrue(host.run(module, args("zone", "k8s", "target", "ACCEPT", "permanent", true, "state", "present")).changed());
    assertFalse(host.run(module, args("zone", "k8s", "target", "ACCEPT", "permanent", true, "state", "enabled")).changed());
    Map<String, Object> fwd =
        args("zone", "k8s", "port_forward", List.of(Map.of("port", 80, "proto", "tcp", "toport", 8080)), "permanent", true,
            "state", "enabled");
    assertTrue(host.run(module, fwd).changed());
    assertFalse(host.run(module, fwd).changed());
    String xml = zoneFile("k8s");
    assertTrue(xml.contains("target=\"ACCEPT\""), xml);
    assertTrue(xml.contains("<source address=\"10.244.0.0/16\"/>"), xml);
    assertTrue(xml.contains("<interface name=\"cni0\"/>"), xml);
    assertTrue(xml.contains("<masquerade/>"), xml);
    assertTrue(xml.contains("<forward-port port=\"80\" protocol=\"tcp\" to-port=\"8080\"/>"), xml);
    // The interface moves to another zone on enable, as Ansible's change-interface.
    assertTrue(host.run(module, args("zone", "trusted", "interface", "cni0", "permanent", true, "state", "enabled")).changed());
    assertFalse(zoneFile("k8s").contains("cni0"));
    assertTrue(host.run(module, args("zone", "k8s", "target", "ACCEPT", "permanent", true, "state", "absent")).changed());
    assertFalse(zoneFile("k8s").contains("ACCEPT"));
    assertTrue(host.run(module, args("zone", "k8s", "permanent", true, "state", "absent")).changed());
    assertFalse(Files.exists(config.resolve("zones/k8s.xml")));
  }

  @Test
  void firewalldErrorsAreReportedWithItsMessage() {
    ModuleException e =
        assertThrows(
            ModuleException.class,
            () -> host.run(module, args("port", "1/xyz", "permanent", true, "state", "enabled")));
    assertTrue(e.getMessage().startsWith("firewalld refused port 1/xyz: "), e.getMessage());
    assertTrue(e.getMessage().contains("INVALID_PROTOCOL"), e.getMessage());
    Run bad = host.run(module, args("service", "no-such-service", "permanent", true, "state", "enabled"));
    assertTrue(bad.outcome().failed(), bad.outcome().toString());
    assertTrue(bad.outcome().msg().contains("INVALID_SERVICE"), bad.outcome().msg());
  }

  @Test
  void checkModeChangesNothing() throws IOException {
    Run check = host.run(module, args("port", "9100/tcp", "permanent", true, "state", "enabled"), true);
    assertTrue(check.changed());
    assertEquals("default zone permanent: port 9100/tcp disabled\n", check.diff().before());
    assertEquals("default zone permanent: port 9100/tcp enabled\n", check.diff().after());
    assertFalse(zoneFile("public").contains("9100"));
    assertEquals(0, host.run(Command.of("test ! -e /etc/firewalld/zones/public.xml || ! grep -q 9100 /etc/firewalld/zones/public.xml")).rc());
  }
}
