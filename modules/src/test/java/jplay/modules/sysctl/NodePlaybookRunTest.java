package jplay.modules.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jplay.engine.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sysctl and modprobe modules through the whole command line on localhost (in-process): found by their
 * Ansible names, run in check mode with --diff (nothing written), then for real, then again with nothing to do.
 * Only file entries are touched (reload: no), so the host's live values stay as they are.
 */
class NodePlaybookRunTest {
  @TempDir Path dir;

  private record Run(int code, String out) {}

  private static Run jplay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, o, args);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkDiffThenApplyThenIdempotent() throws IOException {
    Path conf = dir.resolve("99-kubernetes-cri.conf");
    Path site = dir.resolve("node.yml");
    Files.writeString(
        site,
        """
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: forwarding at boot
              ansible.posix.sysctl:
                name: net.ipv4.ip_forward
                value: "1"
                sysctl_file: %s
                reload: false
            - name: bridged traffic through iptables at boot
              sysctl: key=net.bridge.bridge-nf-call-iptables val=1 sysctl_file=%s reload=no
            - name: a module that is not loaded stays unloaded
              community.general.modprobe:
                name: jplay_not_loaded
                state: absent
        """.formatted(conf, conf));

    Run check = jplay(site.toString(), "--check", "--diff", "-c", "local");
    assertEquals(0, check.code(), check.out());
    assertFalse(Files.exists(conf), "check mode writes nothing");
    assertTrue(check.out().contains("+net.ipv4.ip_forward=1"), check.out());

    Run first = jplay(site.toString(), "-c", "local");
    assertEquals(0, first.code(), first.out());
    assertEquals("net.ipv4.ip_forward=1\nnet.bridge.bridge-nf-call-iptables=1\n", Files.readString(conf));
    assertTrue(first.out().replaceAll("\\s+", " ").contains("localhost : ok=3 changed=2"), first.out());

    Run second = jplay(site.toString(), "-c", "local");
    assertEquals(0, second.code(), second.out());
    assertTrue(second.out().replaceAll("\\s+", " ").contains("localhost : ok=3 changed=0"), second.out());
  }
}
