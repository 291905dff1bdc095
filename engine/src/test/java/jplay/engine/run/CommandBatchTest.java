package jplay.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.connection.Connection;
import jplay.engine.connection.Connections;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.connection.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches run by a real /bin/sh (the local connection), and cut back into per-command results. */
class CommandBatchTest {
  private static List<CommandResult> run(List<Command> commands, Duration timeout) throws Exception {
    Target local = new Target("localhost", "localhost", 0, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null);
    try (Connection c = Connections.open(local)) {
      CommandBatch batch = CommandBatch.of(commands);
      return batch.split(c.run(batch.command(), null, timeout));
    }
  }

  @Test
  void eachCommandGetsItsOwnOutputExitCodeEnvironmentAndStdin() throws Exception {
    List<CommandResult> r = run(List.of(
        Command.of("printf 'no newline'; printf err1 >&2"),
        Command.of("cat; echo \"[$V]\"; echo err2 >&2").withStdin("in\n").withEnv(Map.of("V", "a b'c")),
        Command.of("echo \"[${V-unset}]\"; cat")), Duration.ofSeconds(10));
    assertEquals(3, r.size());
    assertEquals(List.of(0, 0, 0), r.stream().map(CommandResult::rc).toList());
    assertEquals("no newline", r.get(0).stdout());
    assertEquals("err1", r.get(0).stderr());
    assertEquals("in\n[a b'c]\n", r.get(1).stdout());
    assertEquals("err2\n", r.get(1).stderr());
    // The environment and the input belong to the second command only.
    assertEquals("[unset]\n", r.get(2).stdout());
    assertEquals("", r.get(2).stderr());
  }

  /** Runs the batch as the host's shell does: stderr into a file, which leaves out markers while it is empty. */
  private static List<CommandResult> runWithStderrFile(List<Command> commands, Path dir) throws Exception {
    CommandBatch batch = CommandBatch.of(commands);
    Path err = dir.resolve("stderr");
    Process p = new ProcessBuilder("/bin/sh", "-c", batch.command().script())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectError(err.toFile())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    String stderr = Files.readString(err);
    Instant now = Instant.now();
    return batch.split(new CommandResult(rc, out, stderr, now, now));
  }

  @Test
  void stderrInAFileHasNoMarkersUntilSomethingIsWritten(@TempDir Path dir) throws Exception {
    List<Command> quiet = List.of(Command.of("echo a"), Command.of("echo b"));
    CommandBatch probe = CommandBatch.of(quiet);
    assertTrue(probe.command().script().contains("[ -f /dev/fd/2 ]"));
    List<CommandResult> r = runWithStderrFile(quiet, dir);
    assertEquals(List.of("a\n", "b\n"), r.stream().map(CommandResult::stdout).toList());
    assertEquals(List.of("", ""), r.stream().map(CommandResult::stderr).toList());
    assertEquals("", Files.readString(dir.resolve("stderr")), "no marker is written to an empty stderr file");

    r = runWithStderrFile(List.of(
        Command.of("true"), Command.of("echo two >&2"), Command.of("true"), Command.of("printf four >&2")), dir);
    assertEquals(List.of("", "two\n", "", "four"), r.stream().map(CommandResult::stderr).toList());
    assertEquals(List.of(0, 0, 0, 0), r.stream().map(CommandResult::rc).toList());
  }

  @Test
  void stopsAtTheFirstFailureAsTheEngineDoes() throws Exception {
    List<CommandResult> r = run(List.of(
        Command.of("echo one"), Command.of("echo bad >&2; exit 3"), Command.of("echo never")), Duration.ofSeconds(10));
    assertEquals(2, r.size());
    assertEquals("one\n", r.get(0).stdout());
    assertEquals(3, r.get(1).rc());
    assertEquals("bad\n", r.get(1).stderr());
  }

  @Test
  void anExitInOneCommandEndsOnlyThatCommand() throws Exception {
    List<CommandResult> r = run(List.of(Command.of("exit 0; echo not here"), Command.of("echo here")), Duration.ofSeconds(10));
    assertEquals(List.of("", "here\n"), r.stream().map(CommandResult::stdout).toList());
  }

  @Test
  void aTimeoutIsTheRunningCommandsResult() throws Exception {
    List<CommandResult> r = run(List.of(Command.of("echo first"), Command.of("echo started; sleep 30")), Duration.ofMillis(1500));
    assertEquals(2, r.size());
    assertEquals(0, r.get(0).rc());
    assertEquals(124, r.get(1).rc());
    assertEquals("started\n", r.get(1).stdout());
    assertTrue(r.get(1).stderr().contains("timed out after 1.5 s"), r.get(1).stderr());
  }

  @Test
  void fitsOnlySeveralCommandsWithAtMostOneInput() {
    assertFalse(CommandBatch.fits(List.of(Command.of("true"))));
    assertTrue(CommandBatch.fits(List.of(Command.of("true"), Command.of("cat").withStdin("x"))));
    assertFalse(CommandBatch.fits(List.of(Command.of("cat").withStdin("x"), Command.of("cat").withStdin("y"))));
    assertThrows(IllegalArgumentException.class, () -> CommandBatch.of(List.of(Command.of("true"))));
  }

  /** A speculative batch run by the local /bin/sh: its results and whether it missed. */
  private record Speculated(List<CommandResult> results, boolean missed, int finished) {}

  private static Speculated speculate(List<Command> probes, List<String> guesses, List<Command> change)
      throws Exception {
    Target local = new Target("localhost", "localhost", 0, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null);
    try (Connection c = Connections.open(local)) {
      CommandBatch batch = CommandBatch.speculative(probes, guesses, change);
      CommandResult whole = c.run(batch.command(), null, Duration.ofSeconds(10));
      return new Speculated(batch.split(whole), batch.missed(whole), batch.finished(whole));
    }
  }

  @Test
  void aSpeculativeBatchRunsTheChangeWhenEveryProbePrintsItsGuess(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("made");
    Speculated s = speculate(
        List.of(Command.of("printf 'umask 0022\\nabsent\\n'"), Command.of("echo two; echo warn >&2")),
        List.of("umask 0022\nabsent\n", "two\n"),
        List.of(Command.of("cat > \"$F\"; echo written").withStdin("content\n").withEnv(Map.of("F", file.toString()))));
    assertFalse(s.missed());
    assertEquals(3, s.results().size());
    assertEquals(3, s.finished());
    // The probes' output comes back as it was printed, trailing newlines and stderr included.
    assertEquals("umask 0022\nabsent\n", s.results().get(0).stdout());
    assertEquals("two\n", s.results().get(1).stdout());
    assertEquals("warn\n", s.results().get(1).stderr());
    assertEquals("written\n", s.results().get(2).stdout());
    assertEquals("content\n", Files.readString(file), "the change reads the batch's input, the probes do not");
  }

  @Test
  void aProbeThatPrintsAnythingElseStopsTheBatchBeforeTheChange(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("never");
    Command change = Command.of("touch \"$F\"").withEnv(Map.of("F", file.toString()));
    // A missing trailing newline is a miss too: the comparison is exact.
    Speculated s = speculate(List.of(Command.of("echo one"), Command.of("printf two"), Command.of("echo three")),
        List.of("one\n", "two\n", "three\n"), List.of(change));
    assertTrue(s.missed());
    assertEquals(3, s.results().size(), "every probe runs, so that a miss has all their results");
    assertEquals(3, s.finished());
    assertEquals("one\n", s.results().get(0).stdout());
    assertEquals("two", s.results().get(1).stdout());
    assertEquals(0, s.results().get(1).rc());
    assertEquals("three\n", s.results().get(2).stdout());
    assertFalse(Files.exists(file));

    // A probe that ends with an exit of its own still has its whole output compared.
    s = speculate(List.of(Command.of("echo one; echo; exit 0; echo never")), List.of("one\n\n"), List.of(change));
    assertFalse(s.missed());
    assertEquals("one\n\n", s.results().get(0).stdout());
    assertTrue(Files.exists(file));
    Files.delete(file);

    // A probe that fails ends the batch as any failing command does, guessed right or not.
    s = speculate(List.of(Command.of("echo same; exit 2")), List.of("same\n"), List.of(change));
    assertFalse(s.missed());
    assertEquals(1, s.results().size());
    assertEquals(2, s.results().get(0).rc());
    assertEquals("same\n", s.results().get(0).stdout());
    assertFalse(Files.exists(file));
  }

  @Test
  void aSpeculativeBatchNeedsAGuessPerProbeAndAChange() {
    List<Command> one = List.of(Command.of("true"));
    assertThrows(IllegalArgumentException.class, () -> CommandBatch.speculative(one, List.of(), one));
    assertThrows(IllegalArgumentException.class, () -> CommandBatch.speculative(one, List.of("x"), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> CommandBatch.speculative(List.of(Command.of("cat").withStdin("x")), List.of("x"), one));
  }

  @Test
  void aSensitiveCommandMakesTheBatchSensitive() {
    Command batch = CommandBatch.of(List.of(Command.of("true"), Command.of("echo secret").markSensitive())).command();
    assertTrue(batch.sensitive());
    assertEquals("Command[<sensitive>]", batch.toString());
  }
}
