package jplay.modules.repository;

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
 * yum_repository through the whole engine: a playbook on the implicit localhost, run with --check --diff, then for
 * real, then again (nothing to change), and a typo caught before anything runs.
 */
class YumRepositoryPlaybookTest {
  @TempDir Path tmp;

  private record Result(int code, String out) {}

  private static Result jplay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      code = Main.run(o, e, args);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkDiffThenApplyThenIdempotent() throws IOException {
    Path site = tmp.resolve("site.yml");
    Files.writeString(
        site,
        """
        - hosts: localhost
          gather_facts: no
          tasks:
            - name: kubernetes repository
              ansible.builtin.yum_repository:
                name: kubernetes
                description: Kubernetes
                baseurl: file:///srv/k8s/
                gpgcheck: no
                exclude: [kubelet, kubeadm]
                reposdir: "%s"
        """
            .formatted(tmp));
    Result check = jplay(site.toString(), "--check", "--diff", "--color", "never", "--no-timing");
    assertEquals(0, check.code, check.out);
    assertTrue(check.out.contains("+exclude = kubelet kubeadm"), check.out);
    assertFalse(Files.exists(tmp.resolve("kubernetes.repo")), "check mode writes nothing");

    Result run = jplay(site.toString(), "--color", "never", "--no-timing");
    assertEquals(0, run.code, run.out);
    assertTrue(run.out.replaceAll("\\s+", " ").contains("localhost : ok=1 changed=1"), run.out);
    assertEquals(
        "[kubernetes]\nbaseurl = file:///srv/k8s/\nexclude = kubelet kubeadm\ngpgcheck = 0\nname = Kubernetes\n",
        Files.readString(tmp.resolve("kubernetes.repo")));

    Result again = jplay(site.toString(), "--color", "never", "--no-timing");
    assertTrue(again.out.replaceAll("\\s+", " ").contains("localhost : ok=1 changed=0"), again.out);
  }

  @Test
  void typoIsReportedWithItsPlaceBeforeRunning() throws IOException {
    Path site = tmp.resolve("typo.yml");
    Files.writeString(
        site,
        """
        - hosts: localhost
          gather_facts: no
          tasks:
            - yum_repository:
                name: x
                description: X
                baseurl: file:///x
                gpgchek: no
        """);
    Result r = jplay(site.toString(), "--color", "never");
    assertEquals(4, r.code, r.out);
    assertTrue(r.out.contains("typo.yml:8:9: unknown parameter 'gpgchek' for yum_repository (did you mean 'gpgcheck'?)"), r.out);
  }
}
