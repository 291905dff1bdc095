package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive that {@code mvn package} builds, unpacked in a temporary folder and run from another
 * directory and through a symlink, as people install it. Runs after package (the {@code dist-it} execution in
 * modules/pom.xml, by its tag), never in the test phase: the archive does not exist yet there.
 */
@Tag("dist")
class DistIT {
  @TempDir static Path tmp;
  static Path home;

  /** What a run of bin/jplay printed. */
  record Ran(int exit, String out, String err) {}

  @BeforeAll
  static void unpack() throws Exception {
    List<Path> archives;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      archives = s.filter(p -> p.getFileName().toString().matches("jplay-.+\\.tar\\.gz")).toList();
    }
    assertEquals(1, archives.size(), "one jplay-VERSION.tar.gz in modules/target (run mvn package): " + archives);
    Ran tar = run(tmp, Map.of(), "tar", "-xzf", archives.get(0).toAbsolutePath().toString(), "-C", tmp.toString());
    assertEquals(0, tar.exit(), tar::toString);
    String name = archives.get(0).getFileName().toString().replace(".tar.gz", "");
    home = tmp.resolve(name);
    assertTrue(Files.isDirectory(home), "the archive unpacks into " + name + "/");
  }

  static Ran run(Path cwd, Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().putAll(env);
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + String.join(" ", command));
    return new Ran(p.exitValue(), out, Files.readString(err));
  }

  @Test
  void theArchiveHoldsTheLauncherTheJarPlaybooksInventoriesAndDocs() {
    assertTrue(Files.isExecutable(home.resolve("bin/jplay")));
    for (String f : List.of("lib/jplay.jar", "playbooks/demo.yml", "inventory/example.ini", "docs/cli.md",
        "docs/man/jplay.1", "docs/modules/README.md", "README.md", "CHANGELOG.md")) {
      assertTrue(Files.isRegularFile(home.resolve(f)), f);
    }
  }

  @Test
  void versionThroughASymlinkFromAnotherDirectoryWithJavaOpts() throws Exception {
    Path links = Files.createDirectories(tmp.resolve("links"));
    Files.createSymbolicLink(links.resolve("jplay"), home.resolve("bin/jplay"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Ran r = run(elsewhere, Map.of("JAVA_OPTS", "-showversion -Dunused=1"), links.resolve("jplay").toString(),
        "--version");
    assertEquals(0, r.exit(), r::toString);
    // JAVA_OPTS reached the JVM: -showversion printed the Java version (to stderr or stdout, by JDK).
    String both = r.out() + r.err();
    assertTrue(both.contains("openjdk version") || both.contains("java version"), r::toString);
    int from = r.out().indexOf("jplay ");
    List<String> lines = List.of(r.out().substring(from, r.out().indexOf("\n  picocli ", from)).split("\n"));
    assertEquals(7, lines.size(), r::toString);
    assertTrue(lines.get(0).matches("jplay \\d+\\.\\d+\\.\\d+.*"), r::toString);
    for (String l : lines) {
      assertTrue(!l.contains("unknown"), "a version the shaded jar lost: " + r);
    }
  }

  @Test
  void theBundledDemoRunsFromAnotherDirectory() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("cwd"));
    Ran r = run(elsewhere, Map.of(), home.resolve("bin/jplay").toString(),
        home.resolve("playbooks/demo.yml").toString(), "-e", "demo_dir=" + tmp.resolve("demo"), "--color", "never");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().replaceAll("\\s+", " ").contains("localhost : ok="), r::toString);
    assertTrue(Files.isDirectory(tmp.resolve("demo")), r::toString);
  }

  @Test
  void javaHomeIsUsedAndItsAbsenceIsSaidPlainly() throws Exception {
    // A PATH with the tools the launcher needs but no java.
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    for (String t : List.of("dirname", "readlink")) {
      Files.createSymbolicLink(tools.resolve(t), Path.of("/usr/bin", t));
    }
    String launcher = home.resolve("bin/jplay").toString();
    List<String> noJava = new ArrayList<>(List.of("env", "-u", "JAVA_HOME", "PATH=" + tools, launcher, "-V"));
    Ran missing = run(tmp, Map.of(), noJava.toArray(String[]::new));
    assertEquals(5, missing.exit(), missing::toString);
    assertEquals("jplay: no java found; install Java 17 or later, or set JAVA_HOME\n", missing.err());
    Ran withHome = run(tmp, Map.of(), "env", "JAVA_HOME=" + System.getProperty("java.home"), "PATH=" + tools,
        launcher, "-V");
    assertEquals(0, withHome.exit(), withHome::toString);
    assertTrue(withHome.out().startsWith("jplay "), withHome::toString);
  }
}
