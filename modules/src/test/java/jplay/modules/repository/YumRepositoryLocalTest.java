package jplay.modules.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.modules.testing.LocalTarget;
import jplay.modules.testing.LocalTarget.Run;
import jplay.rpm.RpmTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * yum_repository's plans run for real on this machine against a temporary reposdir, and Debian's dnf reads the
 * result: the file it writes is one dnf understands, shared files keep their other sections and comments.
 */
class YumRepositoryLocalTest {
  @TempDir Path tmp;
  private final LocalTarget host = LocalTarget.local();
  private final YumRepository module = new YumRepository();

  private Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reposdir", tmp.toString());
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void createsAFileDnfReadsAndIsIdempotent() throws IOException {
    Map<String, Object> a =
        args("name", "kubernetes", "description", "Kubernetes", "baseurl", List.of("file:///srv/k8s/", "file:///mirror/k8s/"),
            "gpgcheck", false, "exclude", List.of("kubelet", "kubeadm"), "enabled", true);
    Run first = host.run(module, a);
    assertTrue(first.changed(), first.outcome().toString());
    assertEquals(Map.of("repo", "kubernetes", "state", "present"), first.outcome().data());
    Path file = tmp.resolve("kubernetes.repo");
    assertEquals(
        "[kubernetes]\nbaseurl = file:///srv/k8s/\n\tfile:///mirror/k8s/\nenabled = 1\nexclude = kubelet kubeadm\n"
            + "gpgcheck = 0\nname = Kubernetes\n",
        Files.readString(file));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("", first.diff().before());
    Run again = host.run(module, a);
    assertFalse(again.changed(), "second run changes nothing");
    assertTrue(again.commands().isEmpty());

    RpmTools.assumeDnf();
    Files.writeString(tmp.resolve("dnf.conf"), "[main]\n");
    // dnf reads the file it would use: verbose repolist shows each repository's settings even when its URLs
    // (made-up paths here) cannot be reached.
    CommandResult dnf =
        host.run(
            Command.of("dnf -v --config=" + tmp.resolve("dnf.conf") + " --setopt=reposdir=" + tmp + " --installroot="
                + tmp.resolve("root") + " --releasever=8 --setopt=skip_if_unavailable=True repolist --all 2>&1"));
    assertTrue(dnf.stdout().matches("(?s).*Repo-id +: kubernetes\n.*"), dnf.stdout());
    assertTrue(dnf.stdout().matches("(?s).*Repo-baseurl +: file:///srv/k8s/, file:///mirror/k8s/\n.*"), dnf.stdout());
    assertTrue(dnf.stdout().matches("(?s).*Repo-exclude +: kubelet, kubeadm\n.*"), dnf.stdout());
  }

  @Test
  void sharedFileKeepsOtherSectionsAndComments() throws IOException {
    Path file = tmp.resolve("shared.repo");
    String original =
        "# managed by hand, keep this\n[base]\nname=Base\nbaseurl=file:///base\n\n# the next one is ours\n"
            + "[ours]\nname = Old\nbaseurl = file:///old\n\n[extras]\nname=Extras\nbaseurl=file:///extras\n";
    Files.writeString(file, original);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    Run change = host.run(module, args("name", "ours", "description", "Ours", "baseurl", "file:///new", "file", "shared"));
    assertTrue(change.changed());
    String expected =
        "# managed by hand, keep this\n[base]\nname=Base\nbaseurl=file:///base\n\n# the next one is ours\n"
            + "[ours]\nbaseurl = file:///new\nname = Ours\n\n[extras]\nname=Extras\nbaseurl=file:///extras\n";
    assertEquals(expected, Files.readString(file));
    assertEquals(original, change.diff().before());
    assertEquals(expected, change.diff().after());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "mode kept");
    assertFalse(host.run(module, args("name", "ours", "description", "Ours", "baseurl", "file:///new", "file", "shared")).changed());

    Run remove = host.run(module, args("name", "ours", "file", "shared", "state", "absent"));
    assertTrue(remove.changed());
    assertEquals(
        "# managed by hand, keep this\n[base]\nname=Base\nbaseurl=file:///base\n\n# the next one is ours\n"
            + "[extras]\nname=Extras\nbaseurl=file:///extras\n",
        Files.readString(file));
    assertFalse(host.run(module, args("name", "ours", "file", "shared", "state", "absent")).changed());
    host.run(module, args("name", "base", "file", "shared", "state", "absent"));
    assertTrue(host.run(module, args("name", "extras", "file", "shared", "state", "absent")).changed());
    assertFalse(Files.exists(file), "the file goes with its last section");
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(), s.toList(), "no temporary files left behind");
    }
  }

  @Test
  void checkModeWritesNothingAndModeIsApplied() throws IOException {
    Run check =
        host.run(module, args("name", "x", "description", "X", "baseurl", "file:///x", "mode", "0600"), true);
    assertTrue(check.changed());
    assertFalse(Files.exists(tmp.resolve("x.repo")));
    host.run(module, args("name", "x", "description", "X", "baseurl", "file:///x", "mode", "0600"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("x.repo"))));
    Run chmod = host.run(module, args("name", "x", "description", "X", "baseurl", "file:///x", "mode", "0640"));
    assertTrue(chmod.changed(), "a mode change alone is a change");
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("x.repo"))));
  }

  @Test
  void missingReposdirFailsClearly() {
    Map<String, Object> a = args("name", "x", "description", "X", "baseurl", "file:///x");
    a.put("reposdir", tmp.resolve("nope").toString());
    jplay.engine.api.ModuleException e =
        org.junit.jupiter.api.Assertions.assertThrows(jplay.engine.api.ModuleException.class, () -> host.run(module, a));
    assertEquals("Repo directory '" + tmp.resolve("nope") + "' does not exist.", e.getMessage());
  }
}
