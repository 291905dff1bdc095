package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docs/cli.md and docs/man/jplay.1 are generated from the command line model; the build fails while stale. */
class CliReferenceTest {
  private static final Path DOCS = Path.of("..", "docs");

  @Test
  void cliReferenceIsFresh() {
    String md = CliReference.markdown();
    Golden.check(DOCS.resolve("cli.md"), md);
    // Every command and every option of the model is in it.
    for (var c : CliReference.commands()) {
      assertTrue(md.contains("\n## " + c.qualifiedName() + "\n"), c.qualifiedName());
      c.options().forEach(o -> assertTrue(md.contains(o.longestName()), o.longestName()));
    }
  }

  @Test
  void manPageIsFreshAndGroffReadsItWithoutWarnings() throws Exception {
    Path page = DOCS.resolve("man").resolve("jplay.1");
    Golden.check(page, CliReference.manPage());
    Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", page.toString())
        .redirectErrorStream(true).start();
    String out = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(groff.waitFor(30, TimeUnit.SECONDS));
    assertEquals("", out);
    assertEquals(0, groff.exitValue());
  }
}
