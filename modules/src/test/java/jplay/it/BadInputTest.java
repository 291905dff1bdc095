package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: each folder of {@code bad-input/} holds the input files, {@code args.txt} (the command line,
 * one word per line, {@code {dir}} standing for the folder) and {@code expected.txt}: {@code exit N} and the exact
 * line the user must see (file:line:column and a hint where one helps). Each case runs through the real command
 * line against an inventory of a real loopback sshd, whose log must show no connection: bad input never reaches a
 * host.
 *
 * <p>Cases marked {@code exit 2 runtime} are errors that Ansible too finds only when the task runs (a template is
 * rendered per host, a vars file may name host variables); they fail the host with the position instead.
 */
class BadInputTest {
  @TempDir static Path work;
  private static Sshd sshd;
  private static Path inventory;

  @BeforeAll
  static void start() {
    sshd = Sshd.start(1);
    inventory = sshd.inventory(work.resolve("inv"));
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  static Stream<Path> cases() throws IOException, URISyntaxException {
    Path root = Path.of(BadInputTest.class.getResource("/bad-input").toURI());
    return Files.list(root).filter(Files::isDirectory).sorted();
  }

  @Test
  void theCorpusHasAtLeastSixtyCases() throws Exception {
    assertTrue(cases().count() >= 60, "cases: " + cases().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputGivesOneClearErrorAndTouchesNoHost(Path dir) throws IOException {
    String abs = dir.toAbsolutePath().toString();
    List<String> args = new ArrayList<>();
    for (String a : Files.readAllLines(dir.resolve("args.txt"), StandardCharsets.UTF_8)) {
      args.add(a.replace("{dir}", abs));
    }
    if (!args.contains("-i")) {
      args.addAll(List.of("-i", inventory.toString()));
    }
    args.addAll(List.of("--known-hosts", sshd.knownHosts().toString(), "--color", "never"));
    List<String> expected = Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8);
    String[] head = expected.get(0).split(" ");
    int exit = Integer.parseInt(head[1]);
    boolean runtime = head.length > 2 && head[2].equals("runtime");
    String line = expected.get(1).replace("{dir}", abs);

    int before = sshd.connectionCount();
    Jplay r = Jplay.run(args);
    assertEquals(exit, r.exitCode(), r::toString);
    if (!runtime) {
      assertTrue(exit == 4 || exit == 5, "bad input exits 4 or 5, not " + exit);
    }
    List<String> lines = new ArrayList<>(r.err().lines().toList());
    lines.addAll(r.out().lines().toList());
    assertTrue(lines.contains(line), () -> "expected the line\n" + line + "\nin\n" + r);
    if (!runtime) {
      assertEquals(before, sshd.connectionCount(), () -> "no host contacted:\n" + sshd.log());
    }
  }

  @Test
  void aFiftyMegabytePlaybookIsRefusedQuicklyWithoutReadingItAll() throws IOException {
    Path huge = work.resolve("huge.yml");
    String line = "    # " + "x".repeat(90) + "\n";
    StringBuilder chunk = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      chunk.append(line);
    }
    Files.writeString(huge, "- hosts: all\n  tasks:\n");
    byte[] block = chunk.toString().getBytes(StandardCharsets.UTF_8);
    try (var out = Files.newOutputStream(huge, java.nio.file.StandardOpenOption.APPEND)) {
      for (long written = 0; written < 50L * 1024 * 1024; written += block.length) {
        out.write(block);
      }
    }
    int before = sshd.connectionCount();
    long t0 = System.nanoTime();
    Jplay r = Jplay.run(huge.toString(), "-i", inventory.toString(), "--known-hosts", sshd.knownHosts().toString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.err().contains("ERROR! " + huge + ": file is larger than 32 MiB; not a playbook?"), r::toString);
    assertTrue(ms < 10_000, "took " + ms + " ms");
    assertEquals(before, sshd.connectionCount());
  }
}
