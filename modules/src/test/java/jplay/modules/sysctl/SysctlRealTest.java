package jplay.modules.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jplay.modules.testing.LocalTarget;

/**
 * The sysctl module against the real {@code sysctl} and /proc/sys, inside a network namespace made for each test
 * (net.ipv4.* keys there are the namespace's own), with sysctl_file in a temporary directory.
 */
class SysctlRealTest {
  private final Sysctl sysctl = new Sysctl();
  private LocalTarget host;
  @TempDir Path dir;
  private String hostForward;

  @BeforeEach
  void namespace() throws IOException {
    hostForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
    host = RealHost.namespace();
  }

  @AfterEach
  void cleanUp() throws IOException {
    host.close();
    assertEquals(hostForward, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")), "the host's own value");
  }

  private String live(String key) {
    return host.sh("cat /proc/sys/" + key.replace('.', '/')).strip();
  }

  @Test
  void forwardingIsSetInTheFileAndLiveThenNothingMore() throws IOException {
    assertEquals("0", live("net.ipv4.ip_forward"), "a new namespace starts without forwarding");
    Path file = dir.resolve("99-kubernetes-cri.conf");
    Map<String, Object> args = Map.of("name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", file.toString());

    Outcome first = host.apply(sysctl, args);
    assertTrue(first.changed(), first.toString());
    assertFalse(first.failed(), first.msg());
    assertEquals("net.ipv4.ip_forward=1\n", Files.readString(file));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("1", live("net.ipv4.ip_forward"));
    assertTrue(host.ran().get(1).script().endsWith("sysctl -p " + file), host.ran().toString());

    Outcome second = host.apply(sysctl, args);
    assertFalse(second.changed(), "idempotent: " + second);
    assertTrue(host.ran().isEmpty());
  }

  @Test
  void onlyTheLiveValueIsSetWhenTheFileIsRight() throws IOException {
    Path file = dir.resolve("k.conf");
    Files.writeString(file, "net.ipv4.ip_forward = 1\n");
    Outcome o = host.apply(sysctl, Map.of("name", "net.ipv4.ip_forward", "value", 1, "sysctl_file", file.toString()));
    assertTrue(o.changed());
    assertEquals(1, host.ran().size());
    assertTrue(host.ran().get(0).script().endsWith("sysctl -w net.ipv4.ip_forward=1"), host.ran().toString());
    assertEquals("1", live("net.ipv4.ip_forward"));
    assertEquals("net.ipv4.ip_forward = 1\n", Files.readString(file), "the file is left alone");
  }

  @Test
  void tabSeparatedLiveValueEqualsSpaces() throws IOException {
    Path file = dir.resolve("tcp.conf");
    Map<String, Object> args =
        Map.of("name", "net.ipv4.tcp_rmem", "value", "4096 87380 6291456", "sysctl_file", file.toString());
    assertTrue(host.apply(sysctl, args).changed());
    assertEquals("4096\t87380\t6291456", live("net.ipv4.tcp_rmem"), "the kernel prints tabs");
    Outcome again = host.apply(sysctl, args);
    assertFalse(again.changed(), again.toString());
  }

  @Test
  void editKeepsCommentsModeAndSymlink() throws IOException {
    Path real = dir.resolve("real.conf");
    Files.writeString(real, "# keep me\n; and me\nvm.swappiness = 10\nnet.ipv4.ip_forward = 0\n\nkernel.panic=3");
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
    Path link = dir.resolve("link.conf");
    Files.createSymbolicLink(link, real);
    Outcome o = host.apply(sysctl, Map.of("name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", link.toString()));
    assertTrue(o.changed(), o.toString());
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertEquals(
        "# keep me\n; and me\nvm.swappiness = 10\nnet.ipv4.ip_forward = 1\n\nkernel.panic=3\n", Files.readString(real));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
    try (var s = Files.list(dir)) {
      assertEquals(List.of("link.conf", "real.conf"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left behind");
    }

    Outcome removed =
        host.apply(sysctl, Map.of("name", "net.ipv4.ip_forward", "state", "absent", "sysctl_file", link.toString()));
    assertTrue(removed.changed());
    assertEquals("# keep me\n; and me\nvm.swappiness = 10\n\nkernel.panic=3\n", Files.readString(real));
    assertEquals("1", live("net.ipv4.ip_forward"), "removing the entry does not change the live value");
    assertFalse(host.apply(sysctl, Map.of("name", "net.ipv4.ip_forward", "state", "absent", "sysctl_file",
        link.toString())).changed());
  }

  @Test
  void checkModeTouchesNothing() {
    Path file = dir.resolve("check.conf");
    Outcome o =
        host.apply(sysctl, Map.of("name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", file.toString()), true);
    assertTrue(o.changed());
    assertTrue(host.ran().isEmpty());
    assertFalse(Files.exists(file));
    assertEquals("0", live("net.ipv4.ip_forward"));
  }

  @Test
  void refusedValueFailsWithSysctlsMessage() throws IOException {
    Path file = dir.resolve("bad.conf");
    Outcome o = host.apply(sysctl, Map.of("name", "net.ipv4.ip_forward", "value", "abc", "sysctl_file", file.toString()));
    assertTrue(o.failed(), o.toString());
    assertEquals(
        "Failed to reload sysctl: sysctl: setting key \"net.ipv4.ip_forward\": Invalid argument", o.msg());
  }

  @Test
  void missingKeyFailsBeforeAnythingIsWritten() {
    Path file = dir.resolve("missing.conf");
    ModuleException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ModuleException.class,
            () -> host.apply(sysctl, Map.of("name", "net.ipv4.jplay_nosuch", "value", "1", "sysctl_file", file.toString())));
    assertEquals(
        "sysctl key net.ipv4.jplay_nosuch does not exist (no /proc/sys/net/ipv4/jplay_nosuch): check the name, or load"
            + " the kernel module that provides it first",
        e.getMessage());
    assertFalse(Files.exists(file));
  }

  @Test
  void writeOnlyKeyReadsAsUnreadable() {
    SysctlState s = SysctlState.parse("vm.drop_caches", "/nonexistent",
        host.run(SysctlState.probe("vm.drop_caches", "/nonexistent")));
    assertEquals("cat: /proc/sys/vm/drop_caches: Permission denied", s.liveError());
    assertEquals(null, s.file());
    assertTrue(s.sysctl().endsWith("/sysctl"), s.sysctl());
  }

  @Test
  void writeScriptCreatesTheDirectorysFileAtomically() throws IOException {
    Path file = dir.resolve("it's here.conf");
    assertEquals(0, host.run(ConfFiles.write(file.toString(), "a = 1\n")).rc());
    assertEquals("a = 1\n", Files.readString(file));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }
}
