package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jplay.engine.cli.BashCompletion;
import jplay.engine.playbook.ModuleRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the modules on the class path, the completion script offers their names after -m and to jplay doc. */
class ModuleNameCompletionTest {
  @TempDir Path dir;

  @Test
  void moduleNamesCompleteAfterDashMAndForDoc() throws Exception {
    Jplay r = Jplay.run("completion", "bash");
    assertEquals(0, r.exitCode(), r::toString);
    Path script = dir.resolve("jplay.bash");
    Files.writeString(script, r.out());
    BashCompletion.assertParses(script);

    assertEquals(List.of("sysctl", "systemd"), BashCompletion.complete(script, dir, "jplay adhoc all -m sys"));
    assertEquals(List.of("sysctl", "systemd"), BashCompletion.complete(script, dir, "jplay doc sys"));
    // Every registered module, in the order jplay doc --list shows them.
    assertEquals(ModuleRegistry.discover().names(), BashCompletion.complete(script, dir, "jplay adhoc web -m "));
  }
}
