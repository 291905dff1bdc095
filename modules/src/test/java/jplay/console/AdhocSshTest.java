package jplay.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import jplay.engine.cli.Cli;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jplay adhoc} over real SSH on three loopback hosts and one that nothing answers for. The expected layouts
 * are those ansible 2.14 prints for the same commands (minimal and oneline callbacks), checked against it.
 */
class AdhocSshTest {
  private static Sshd sshd;
  private static Path inventory;
  private static Path work;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    sshd = Sshd.start(3);
    work = dir;
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    StringBuilder ini = new StringBuilder("[web]\n");
    for (int i = 1; i <= 3; i++) {
      ini.append("h").append(i).append(" ansible_host=").append(sshd.addresses().get(i - 1))
          .append(" ansible_port=").append(sshd.port()).append('\n');
    }
    ini.append("[broken]\nghost ansible_host=127.0.0.77 ansible_port=").append(sshd.port()).append('\n');
    ini.append("[all:vars]\nansible_user=").append(sshd.user()).append('\n');
    ini.append("ansible_ssh_private_key_file=").append(sshd.clientKey()).append('\n');
    inventory = dir.resolve("hosts.ini");
    Files.writeString(inventory, ini.toString());
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static Cli adhoc(String pattern, String... more) {
    List<String> a = new ArrayList<>(List.of("adhoc", pattern, "-i", inventory.toString(), "--known-hosts",
        sshd.knownHosts().toString(), "--color", "never", "-f", "1"));
    a.addAll(List.of(more));
    return Cli.run(a);
  }

  @Test
  void pingShowsEachHostsResultDictionary() {
    Cli r = adhoc("web", "-m", "ping");
    assertEquals(0, r.exitCode(), r::toString);
    StringBuilder expected = new StringBuilder();
    for (String h : List.of("h1", "h2", "h3")) {
      expected.append(h).append(" | SUCCESS => {\n    \"changed\": false,\n    \"ping\": \"pong\"\n}\n");
    }
    assertEquals(expected.toString(), r.out());
  }

  @Test
  void commandIsTheDefaultModuleAndShowsItsOutputAsText() {
    Cli r = adhoc("h2", "-a", "echo hello");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("h2 | CHANGED | rc=0 >>\nhello\n", r.out());
  }

  @Test
  void oneLine() {
    assertEquals("h1 | CHANGED | rc=0 | (stdout) a\\nb\n", adhoc("h1", "-m", "shell", "-a", "echo a; echo b", "-o").out());
    assertEquals("h1 | CHANGED | rc=0 | (stdout) out (stderr) err\n",
        adhoc("h1", "-m", "shell", "-a", "echo out; echo err >&2", "-o").out());
    assertEquals("h1 | SUCCESS => {\"changed\": false,\"ping\": \"pong\"}\n", adhoc("h1", "-m", "ping", "-o").out());
  }

  @Test
  void aFailedCommandExitsTwo() {
    Cli r = adhoc("h1", "-a", "false");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("h1 | FAILED | rc=1 >>\nnon-zero return code\n", r.out());
    r = adhoc("h1", "-a", "false", "-o");
    assertTrue(r.out().startsWith("h1 | FAILED! => {\"changed\": true,\"cmd\": [\"false\"],"), r.out());
  }

  @Test
  void anUnreachableHostExitsFour() {
    Cli r = adhoc("ghost", "-m", "ping");
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("ghost | UNREACHABLE! => {\n    \"changed\": false,\n    \"msg\": "), r.out());
    assertTrue(r.out().endsWith("    \"unreachable\": true\n}\n"), r.out());
    r = adhoc("ghost", "-m", "ping", "-o");
    assertTrue(r.out().startsWith("ghost | UNREACHABLE!: "), r.out());
  }

  @Test
  void yamlArgumentsCheckAndDiff() throws IOException {
    Path target = work.resolve("made");
    Cli r = adhoc("h3", "-m", "file", "-a", "{path: " + target + ", state: directory}", "--check", "-o");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("h3 | CHANGED => {\"changed\": true,"), r.out());
    assertTrue(!Files.exists(target), "check mode changed nothing");
    r = adhoc("h3", "-m", "file", "-a", "path=" + target + " state=directory", "--diff");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(Files.isDirectory(target));
    assertTrue(r.out().contains("h3 | CHANGED => {"), r.out());
  }

  @Test
  void badArgumentsAreReportedBeforeAnyHostIsContacted() {
    int before = sshd.connectionCount();
    Cli r = adhoc("web", "-m", "file", "-a", "path=/tmp/x stat=touch");
    assertEquals(4, r.exitCode(), r::toString);
    assertEquals("ERROR! -a: unknown parameter 'stat' for file (did you mean 'state'?)\n", r.err());
    r = adhoc("web", "-m", "fiel");
    assertEquals(5, r.exitCode(), r::toString);
    assertEquals("ERROR! -m: no module named 'fiel' (did you mean 'file'?); 'jplay doc --list' shows them all\n",
        r.err());
    assertEquals(before, sshd.connectionCount());
  }

  @Test
  void extraVarsReachTemplates() {
    Cli r = adhoc("h1", "-m", "debug", "-a", "msg={{ greeting }}", "-e", "greeting=hi");
    assertEquals("h1 | SUCCESS => {\n    \"msg\": \"hi\"\n}\n", r.out());
  }
}
