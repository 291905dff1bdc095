package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guesses of the path probes, against what the probes really print for a new path on this machine's shells
 * (dash as Debian's sh, bash as EL's): a guess that is off by a byte would never hit.
 */
class ProbeGuessTest {
  @TempDir Path tmp;

  private static String run(String shell, Command probe) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(shell, "-c", "umask 027; " + probe.script());
    pb.environment().putAll(probe.env());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bin/sh", "/bin/bash"})
  void aNewPathsProbePrintsWhatIsGuessedFromAnExistingPathsProbe(String shell) throws Exception {
    Path existing = Files.writeString(tmp.resolve("existing"), "x\n");
    String missing = tmp.resolve("missing").toString();
    Fact<PathState> earlier = PathState.fact(existing.toString());
    String earlierOut = run(shell, earlier.probe());
    assertTrue(earlierOut.contains("umask 0027\n"), earlierOut);

    Fact<PathState> path = PathState.fact(missing);
    assertEquals(run(shell, path.probe()), path.guess().fromEarlier().apply(earlierOut));
    Fact<RemoteFile> file = RemoteFile.fact(missing, "sha1", RemoteFile.ALL);
    assertEquals(run(shell, file.probe()), file.guess().fromEarlier().apply(earlierOut));
    // One memory for both: a file probe's output serves a path probe's guess and the other way round.
    assertEquals(path.guess().memo(), file.guess().memo());
    String fileOut = run(shell, RemoteFile.fact(existing.toString(), null, RemoteFile.ALL).probe());
    assertEquals(run(shell, path.probe()), path.guess().fromEarlier().apply(fileOut));

    // The guess parses as a new path under that umask.
    Instant now = Instant.now();
    PathState guessed = path.parser().apply(new CommandResult(0, path.guess().fromEarlier().apply(earlierOut), "", now, now));
    assertEquals("absent", guessed.state());
    assertEquals(027, guessed.umask());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/bin/sh", "/bin/bash"})
  void aNewSymlinksProbePrintsItsGuess(String shell) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("data"));
    Fact<Links.State> link = Links.symlinkFact(tmp.resolve("current").toString(), src.toString());
    assertEquals(run(shell, link.probe()), link.guess().fromEarlier().apply(null));
    Fact<Links.State> noSrc = Links.symlinkFact(tmp.resolve("current").toString(), null);
    assertEquals(run(shell, noSrc.probe()), noSrc.guess().fromEarlier().apply(null));
  }

  @Test
  void beforeAnyProbeTheUsualUmaskIsGuessed() {
    assertEquals("umask 0022\nabsent\n", PathState.fact("/x").guess().fromEarlier().apply(null));
    assertEquals("state\numask 0022\nabsent\n",
        RemoteFile.fact("/x", null, RemoteFile.ALL).guess().fromEarlier().apply(null));
  }

  @Test
  void outputWithoutAUmaskLineGivesNoGuess() {
    assertNull(PathState.fact("/x").guess().fromEarlier().apply("absent\n"));
    assertNull(PathState.fact("/x").guess().fromEarlier().apply("umask 0022 and more\n"));
  }
}
