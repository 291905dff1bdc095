package jplay.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import jplay.engine.api.Outcome;
import jplay.modules.command.CommandModule;
import jplay.modules.command.ShellModule;
import jplay.modules.files.FileModule;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile names go through file, command argv and shell chdir, and the planned commands really run with
 * {@code /bin/sh -c}: exactly the intended path is touched and nothing the name holds is executed (the names try
 * to create files called {@code pwned*}).
 */
class QuotingTest {
  @TempDir Path tmp;

  static Stream<String> names() {
    return Stream.of(
        "sp ace",
        "it's",
        "dq\"uote",
        "$(touch pwned1)",
        "`touch pwned2`",
        ";touch pwned3;",
        "a|touch pwned4",
        "new\nline",
        "*",
        "glob[ab]?",
        "ünï ☃ 名前",
        "-rf",
        " lead and trail ",
        "back\\slash",
        "$HOME",
        "'; touch pwned5; '",
        "&&touch pwned6",
        "tab\there",
        "~");
  }

  private Set<String> everything() throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.walk(tmp)) {
      s.filter(p -> !p.equals(tmp)).forEach(p -> out.add(tmp.relativize(p).toString()));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("names")
  void fileTouchChmodAndRemove(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    String path = tmp.resolve(name).toString();
    Outcome touched = host.apply(new FileModule(), Map.of("path", path, "state", "touch", "mode", "0600"));
    assertFalse(touched.failed(), touched.msg());
    assertEquals(Set.of(name), everything());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(name))));
    assertEquals("0600", touched.data().get("mode"));

    Outcome again = host.apply(new FileModule(), Map.of("path", path, "mode", "u=rw"));
    assertFalse(again.changed(), "a second run changes nothing: " + again);

    Outcome removed = host.apply(new FileModule(), Map.of("path", path, "state", "absent"));
    assertTrue(removed.changed(), removed.msg());
    assertEquals(Set.of(), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void fileDirectoryWithParents(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    String path = tmp.resolve(name).resolve(name).toString();
    Outcome made = host.apply(new FileModule(), Map.of("path", path, "state", "directory", "mode", "u=rwx,go=rx"));
    assertTrue(made.changed(), made.msg());
    assertEquals("directory", made.data().get("state"));
    assertEquals(Set.of(name, tmp.relativize(Path.of(path)).toString()), everything());
    assertFalse(host.apply(new FileModule(), Map.of("path", path, "state", "directory")).changed());
  }

  @ParameterizedTest
  @MethodSource("names")
  void relativePathFromTheWorkingDirectory(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    Outcome touched = host.apply(new FileModule(), Map.of("path", name, "state", "touch"));
    assertFalse(touched.failed(), touched.msg());
    assertEquals(Set.of(name), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void commandArgv(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    Outcome ran = host.apply(new CommandModule(), Map.of("argv", List.of("touch", "--", tmp.resolve(name).toString())));
    assertEquals(0, ran.data().get("rc"), ran.data().toString());
    assertEquals(Set.of(name), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void commandCreatesSkipsWhenThePathExists(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    Files.writeString(tmp.resolve(name), "");
    Outcome skipped =
        host.apply(
            new CommandModule(),
            Map.of("_raw_params", "touch should-not-run", "creates", tmp.resolve(name).toString()));
    assertFalse(skipped.changed(), skipped.msg());
    assertEquals(Set.of(name), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void shellChdir(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    Path dir = Files.createDirectory(tmp.resolve(name));
    Outcome ran = host.apply(new ShellModule(), Map.of("_raw_params", "touch marker && pwd", "chdir", dir.toString()));
    assertEquals(0, ran.data().get("rc"), ran.data().toString());
    assertEquals(Set.of(name, tmp.relativize(dir.resolve("marker")).toString()), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void shellExecutableKeepsTheScriptWhole(String name) throws IOException {
    LocalHost host = new LocalHost(tmp);
    Path file = tmp.resolve(name);
    String script = "printf '%s' " + jplay.engine.api.Shell.quote(name) + " > \"$1\"";
    Outcome ran =
        host.apply(
            new ShellModule(),
            Map.of("_raw_params", script.replace("\"$1\"", jplay.engine.api.Shell.quote(file.toString())),
                "executable", "/bin/sh"));
    assertEquals(0, ran.data().get("rc"), ran.data().toString());
    assertEquals(name, Files.readString(file));
    assertEquals(Set.of(name), everything());
  }
}
