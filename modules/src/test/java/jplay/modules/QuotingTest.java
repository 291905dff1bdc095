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
import jplay.modules.files.BlockInFile;
import jplay.modules.files.CopyModule;
import jplay.modules.files.FileModule;
import jplay.modules.files.LineInFile;
import jplay.modules.files.ReplaceModule;
import jplay.modules.files.Slurp;
import jplay.modules.files.StatModule;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import jplay.modules.testing.LocalTarget;

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
    LocalTarget host = LocalTarget.in(tmp);
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
    LocalTarget host = LocalTarget.in(tmp);
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
    LocalTarget host = LocalTarget.in(tmp);
    Outcome touched = host.apply(new FileModule(), Map.of("path", name, "state", "touch"));
    assertFalse(touched.failed(), touched.msg());
    assertEquals(Set.of(name), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void commandArgv(String name) throws IOException {
    LocalTarget host = LocalTarget.in(tmp);
    Outcome ran = host.apply(new CommandModule(), Map.of("argv", List.of("touch", "--", tmp.resolve(name).toString())));
    assertEquals(0, ran.data().get("rc"), ran.data().toString());
    assertEquals(Set.of(name), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void commandCreatesSkipsWhenThePathExists(String name) throws IOException {
    LocalTarget host = LocalTarget.in(tmp);
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
    LocalTarget host = LocalTarget.in(tmp);
    Path dir = Files.createDirectory(tmp.resolve(name));
    Outcome ran = host.apply(new ShellModule(), Map.of("_raw_params", "touch marker && pwd", "chdir", dir.toString()));
    assertEquals(0, ran.data().get("rc"), ran.data().toString());
    assertEquals(Set.of(name, tmp.relativize(dir.resolve("marker")).toString()), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void shellExecutableKeepsTheScriptWhole(String name) throws IOException {
    LocalTarget host = LocalTarget.in(tmp);
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

  @ParameterizedTest
  @MethodSource("names")
  void copyContentAndValidateWithTheNameInside(String name) throws IOException {
    LocalTarget host = LocalTarget.in(tmp);
    String path = tmp.resolve(name).toString();
    // The content holds the name too: it travels as stdin, so nothing in it is ever executed.
    Map<String, Object> args = Map.of("content", name + "\n$(touch pwned7)\n", "dest", path, "mode", "0640",
        "validate", "grep -qF -- " + jplay.engine.api.Shell.quote(name.split("\n")[0]) + " %s", "backup", true);
    Outcome copied = host.apply(new CopyModule(), args);
    assertFalse(copied.failed(), copied.msg());
    assertEquals(name + "\n$(touch pwned7)\n", Files.readString(tmp.resolve(name)));
    assertEquals(Set.of(name), everything());
    assertFalse(host.apply(new CopyModule(), args).changed(), "a second run changes nothing");
    assertEquals(path, host.apply(new CopyModule(), Map.of("content", "2", "dest", path, "backup", true))
        .data().get("dest"));
    assertEquals(2, everything().size(), "the file and its backup, nothing else: " + everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void lineBlockReplaceStatAndSlurpOnAHostileName(String name) throws IOException {
    LocalTarget host = LocalTarget.in(tmp);
    String path = tmp.resolve(name).toString();
    Outcome line = host.apply(new LineInFile(), Map.of("path", path, "line", name.replace("\n", " "), "create", true));
    assertTrue(line.changed(), line.msg());
    Outcome block = host.apply(new BlockInFile(), Map.of("path", path, "block", "$(touch pwned8)"));
    assertTrue(block.changed(), block.msg());
    Outcome replaced = host.apply(new ReplaceModule(), Map.of("path", path, "regexp", "pwned8", "replace", "safe"));
    assertTrue(replaced.changed(), replaced.msg());
    assertEquals(name.replace("\n", " ") + "\n# BEGIN ANSIBLE MANAGED BLOCK\n$(touch safe)\n# END ANSIBLE MANAGED BLOCK\n",
        Files.readString(tmp.resolve(name)));
    Map<?, ?> stat = (Map<?, ?>) host.apply(new StatModule(), Map.of("path", path)).data().get("stat");
    assertEquals(true, stat.get("isreg"));
    assertEquals(path, stat.get("path"));
    Outcome slurped = host.apply(new Slurp(), Map.of("src", path));
    assertEquals(Files.readString(tmp.resolve(name)),
        new String(java.util.Base64.getDecoder().decode((String) slurped.data().get("content")),
            java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(Set.of(name), everything());
  }

  @ParameterizedTest
  @MethodSource("names")
  void symlinkToAHostileName(String name) throws IOException {
    LocalTarget host = LocalTarget.in(tmp);
    Files.writeString(tmp.resolve(name), "target");
    String link = tmp.resolve("link").toString();
    Outcome made = host.apply(new FileModule(), Map.of("path", link, "src", name, "state", "link"));
    assertTrue(made.changed(), made.msg());
    assertEquals(Path.of(name), Files.readSymbolicLink(tmp.resolve("link")));
    assertFalse(host.apply(new FileModule(), Map.of("path", link, "src", name, "state", "link")).changed());
    Map<?, ?> stat = (Map<?, ?>) host.apply(new StatModule(), Map.of("path", link)).data().get("stat");
    assertEquals(name, stat.get("lnk_target"));
    assertEquals(Set.of(name, "link"), everything());
  }
}
