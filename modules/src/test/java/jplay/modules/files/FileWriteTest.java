package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jplay.engine.api.Command;
import jplay.engine.api.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atomic write script run by /bin/sh on this machine: what it leaves, and what it refuses. */
class FileWriteTest {
  @TempDir Path tmp;

  private static final Pattern TEMP = Pattern.compile("^t=\"\\$d/\\.jplay\\.\"([0-9a-f]{16})$", Pattern.MULTILINE);

  /** Runs the write under umask 000 with a PATH whose chown logs its calls; returns the exit code. */
  private int run(Command c, Path chownLog) throws IOException, InterruptedException {
    return run(c, chownLog, "umask 000; ");
  }

  /** Runs the write after {@code prefix} (shell text) with a PATH whose chown logs its calls. */
  private int run(Command c, Path chownLog, String prefix) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path chown = bin.resolve("chown");
    Files.writeString(chown, "#!/bin/sh\necho \"$*\" >> " + chownLog + "\n");
    chown.toFile().setExecutable(true);
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", prefix + c.script());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(c.stdin());
    } catch (IOException e) {
      // The script ended without reading its input (a refused write): the exit code tells.
    }
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  private Set<String> names(Path dir) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    }
    return out;
  }

  private static FileWrite write(Path dest, String content, int mode, String keepIds) {
    return new FileWrite(dest.toString(), content.getBytes(StandardCharsets.UTF_8), mode, null, null, keepIds, null,
        false, false, null);
  }

  @Test
  void writesTheContentWithItsModeWhateverTheUmaskAndLeavesNoTempFile() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("etc"));
    Path dest = dir.resolve("app.conf");
    Path log = tmp.resolve("chown.log");
    assertEquals(0, run(write(dest, "a=1\n", 0640, null).command(), log));
    assertEquals("a=1\n", Files.readString(dest));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
    assertEquals(Set.of("app.conf"), names(dir));
    // Replacing a file this user owns with its own group: its ids are kept without a chown.
    String ids = Files.getAttribute(dest, "unix:uid") + ":" + Files.getAttribute(dest, "unix:gid");
    assertEquals(0, run(write(dest, "a=2\n", 0600, ids).command(), log));
    assertEquals("a=2\n", Files.readString(dest));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
    assertTrue(!Files.exists(log), "no chown was needed");
    assertEquals(Set.of("app.conf"), names(dir));
  }

  @Test
  void plainReadWriteModesComeWithTheFileOthersByChmodUnderAnyUmask() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("modes"));
    Path log = tmp.resolve("chown.log");
    // mode -> whether the script needs chmod for it (x bits, special bits, no write for the owner)
    int[][] cases = {{0644, 0}, {0600, 0}, {0640, 0}, {0666, 0}, {0755, 1}, {0444, 1}, {04644, 1}, {0, 1}};
    for (String umask : List.of("000", "077", "027")) {
      for (int[] k : cases) {
        Path dest = dir.resolve(String.format("f%04o-%s", k[0], umask));
        Command c = write(dest, "x\n", k[0], null).command();
        assertEquals(k[1] == 1, c.script().contains("chmod"), String.format("%04o", k[0]));
        assertEquals(0, run(c, log, "umask " + umask + "; "), dest.toString());
        assertEquals("x\n", Files.readString(dest));
        assertEquals(k[0], (Integer) Files.getAttribute(dest, "unix:mode") & 07777, dest.toString());
      }
    }
    assertEquals(3 * cases.length, names(dir).size(), "no temp file left");
  }

  @Test
  void takesTheContentFromTheVariableWhenTheConnectionPutItThere() throws Exception {
    Path dest = Files.createDirectories(tmp.resolve("v")).resolve("conf");
    String text = "50% 'quoted' \\n $HOME\nno newline";
    Command c = write(dest, "what stdin would bring\n", 0644, null).command();
    assertTrue(c.stdinVariable());
    Command bare = new Command(c.script(), new byte[0], c.env(), false);
    assertEquals(0, run(bare, tmp.resolve("chown.log"), "JPLAY_STDIN=" + Shell.quote(text) + "\n"));
    assertEquals(text, Files.readString(dest));
    assertEquals(0, run(bare, tmp.resolve("chown.log"), "JPLAY_STDIN=\n"));
    assertEquals("", Files.readString(dest), "an empty variable is an empty file");
  }

  @Test
  void everyWriteHasItsOwnUnguessableTempName() {
    Path dest = tmp.resolve("f");
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < 50; i++) {
      Matcher m = TEMP.matcher(write(dest, "x", 0644, null).command().script());
      assertTrue(m.find());
      seen.add(m.group(1));
    }
    assertEquals(50, seen.size());
  }

  @Test
  void somethingAlreadyAtTheTempNameIsNeitherFollowedNorRemoved() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Path dest = dir.resolve("target");
    Files.writeString(dest, "old\n");
    Path victim = tmp.resolve("victim");
    Files.writeString(victim, "precious\n");
    Command c = write(dest, "new\n", 0644, null).command();
    Matcher m = TEMP.matcher(c.script());
    assertTrue(m.find());
    Path planted = dir.resolve(".jplay." + m.group(1));
    Files.createSymbolicLink(planted, victim);
    assertNotEquals(0, run(c, tmp.resolve("chown.log")));
    assertEquals("precious\n", Files.readString(victim));
    assertEquals("old\n", Files.readString(dest));
    assertTrue(Files.isSymbolicLink(planted), "what was there is left alone");
    assertEquals(List.of(".jplay." + m.group(1), "target"), List.copyOf(names(dir)));
  }
}
