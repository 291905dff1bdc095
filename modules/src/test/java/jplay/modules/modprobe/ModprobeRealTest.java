package jplay.modules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.modules.sysctl.RealHost;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jplay.modules.testing.LocalTarget;

/**
 * The modprobe module's probe and persistence files for real: the real kmod {@code modprobe} and /proc, with the
 * two configuration directories pointed at a temporary directory. Loading and unloading a module is left to the
 * real-host lab: the test kernel here has no loadable modules (no /proc/modules, no /lib/modules).
 */
class ModprobeRealTest {
  @TempDir Path dir;
  private Path load;
  private Path options;
  private Modprobe modprobe;
  private final LocalTarget host = RealHost.local();

  @BeforeEach
  void dirs() throws IOException {
    load = Files.createDirectory(dir.resolve("modules-load.d"));
    options = Files.createDirectory(dir.resolve("modprobe.d"));
    modprobe = new Modprobe(load.toString(), options.toString());
    assertTrue(Files.isExecutable(Path.of("/usr/sbin/modprobe")) || Files.isExecutable(Path.of("/sbin/modprobe")),
        "kmod is installed (.ci/apt-packages)");
  }

  @Test
  void persistenceFilesAreWrittenThenIdempotentThenCommentedOutThenBack() throws IOException {
    Files.writeString(options.resolve("local.conf"), "# site\noptions dummy numdummies=4\n\nblacklist pcspkr");
    Map<String, Object> present =
        Map.of("name", "dummy", "state", "absent", "params", "numdummies=2", "persistent", "present");

    Outcome first = host.apply(modprobe, present);
    assertTrue(first.changed(), first.toString());
    assertFalse(first.failed(), first.msg());
    assertEquals("dummy\n", Files.readString(load.resolve("dummy.conf")));
    assertEquals("options dummy numdummies=2\n", Files.readString(options.resolve("dummy.conf")));
    assertEquals("# site\n#options dummy numdummies=4\n\nblacklist pcspkr\n", Files.readString(options.resolve("local.conf")));

    Outcome again = host.apply(modprobe, present);
    assertFalse(again.changed(), again.toString());
    assertTrue(host.ran().isEmpty());

    Outcome gone = host.apply(modprobe, Map.of("name", "dummy", "state", "absent", "persistent", "absent"));
    assertTrue(gone.changed());
    assertEquals("#dummy\n", Files.readString(load.resolve("dummy.conf")));
    assertEquals("#options dummy numdummies=2\n", Files.readString(options.resolve("dummy.conf")));

    Outcome back = host.apply(modprobe, present);
    assertTrue(back.changed());
    assertEquals("dummy\n", Files.readString(load.resolve("dummy.conf")), "uncommented, not added twice");
  }

  @Test
  void checkModeWritesNothing() {
    Outcome o =
        host.apply(modprobe, Map.of("name", "overlay", "state", "absent", "persistent", "present"), true);
    assertTrue(o.changed());
    assertFalse(Files.exists(load.resolve("overlay.conf")));
  }

  @Test
  void probeReadsFilesExactly() throws IOException {
    Files.writeString(load.resolve("a.conf"), "overlay\n\n  # x\nbr_netfilter");
    Files.writeString(load.resolve("ignored.txt"), "dummy\n");
    Files.writeString(options.resolve("empty.conf"), "");
    ModprobeState s =
        ModprobeState.parse("dummy", host.run(ModprobeState.probe("dummy", load.toString(), options.toString())));
    assertEquals(
        Map.of(load + "/a.conf", "overlay\n\n  # x\nbr_netfilter", options + "/empty.conf", ""), s.files());
    assertEquals(Map.of(load.toString(), true, options.toString(), true), s.dirs());
    assertFalse(s.loaded());
  }

  @Test
  void aModuleThatCannotBeFoundFailsWithModprobesMessage() {
    // The real modprobe -n, on any kernel: a misspelt name fails at plan time, before anything runs.
    ModuleException e =
        assertThrows(ModuleException.class, () -> host.apply(modprobe, Map.of("name", "jplay_no_such_module")));
    assertTrue(
        e.getMessage().startsWith("modprobe: FATAL: Module jplay_no_such_module not found in directory /lib/modules/"),
        e.getMessage());
  }
}
