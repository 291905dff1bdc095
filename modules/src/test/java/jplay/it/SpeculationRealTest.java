package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning from guesses over real SSH: a task on a new path sends its probe and its change as one round trip, a
 * path that exists (a missed guess) is planned from what is there, and a second run changes nothing, each task
 * in one round trip. Round trips are counted in the run's log, one "running" line per command sent.
 */
class SpeculationRealTest {
  @Test
  void newPathsTakeOneRoundTripAndExistingOnesArePlannedFromWhatIsThere(@TempDir Path dir) throws IOException {
    try (Sshd sshd = Sshd.start(1)) {
      Path inventory = sshd.inventory(dir);
      Path root = dir.resolve("tree");
      Path old = dir.resolve("old.conf");
      Files.writeString(old, "old\n");
      Path site = dir.resolve("site.yml");
      Files.writeString(site, """
          - hosts: all_hosts
            gather_facts: false
            tasks:
              - name: mode of an existing file
                file: path=%2$s mode=0600
              - name: base
                file: path=%1$s state=directory mode=0755
              - name: etc
                file: path=%1$s/etc state=directory mode=0750
              - name: new config
                copy: dest=%1$s/etc/a.conf content="a=1\\n" mode=0640
              - name: existing config
                copy: dest=%2$s content="new\\n"
              - name: new line file
                lineinfile: path=%1$s/etc/b.conf line=b=2 create=yes mode=0600
              - name: link
                file: path=%1$s/current src=%1$s/etc state=link
              - name: gone already
                file: path=%1$s/none state=absent
          """.formatted(root, old));
      List<String> tasks = List.of("base", "etc", "new config", "existing config", "new line file",
          "mode of an existing file", "link", "gone already");

      Path firstLog = dir.resolve("first.log");
      Jplay first = Jplay.run(site.toString(), "-i", inventory.toString(), "--known-hosts",
          sshd.knownHosts().toString(), "--color", "never", "--no-timing", "--log-file", firstLog.toString());
      assertEquals(0, first.exitCode(), first::toString);
      assertEquals("h1 : ok=8 changed=7 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", first.recap("h1"));
      // A new path's task is one round trip, and a guess that missed (the path was there) two, as without
      // guessing: the probe, then the change (or nothing to change). The first task's miss teaches the host's umask.
      assertEquals(Map.of("mode of an existing file", 2, "base", 1, "etc", 1, "new config", 1, "existing config", 2,
          "new line file", 1, "link", 1, "gone already", 1), roundTrips(firstLog, tasks), () -> read(firstLog));
      assertEquals("a=1\n", Files.readString(root.resolve("etc/a.conf")));
      assertEquals("new\n", Files.readString(old));
      assertEquals("b=2\n", Files.readString(root.resolve("etc/b.conf")));
      assertEquals("rwxr-xr-x", mode(root));
      assertEquals("rwxr-x---", mode(root.resolve("etc")));
      assertEquals("rw-r-----", mode(root.resolve("etc/a.conf")));
      assertEquals("rw-------", mode(old));
      assertEquals(root.resolve("etc"), Files.readSymbolicLink(root.resolve("current")));
      assertEquals("rw-------", mode(root.resolve("etc/b.conf")));

      Path secondLog = dir.resolve("second.log");
      Jplay second = Jplay.run(site.toString(), "-i", inventory.toString(), "--known-hosts",
          sshd.knownHosts().toString(), "--color", "never", "--no-timing", "--log-file", secondLog.toString());
      assertEquals(0, second.exitCode(), second::toString);
      assertEquals("h1 : ok=8 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", second.recap("h1"));
      Map<String, Integer> once = new LinkedHashMap<>();
      tasks.forEach(t -> once.put(t, 1));
      assertEquals(once, roundTrips(secondLog, tasks), () -> read(secondLog));
    }
  }

  /** Commands sent per task to h1, from the log's "running" lines. */
  private static Map<String, Integer> roundTrips(Path log, List<String> tasks) throws IOException {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("h1 \\[([^\\]]+)\\]: running").matcher(Files.readString(log));
    while (m.find()) {
      out.merge(m.group(1), 1, Integer::sum);
    }
    out.keySet().retainAll(tasks);
    return out;
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
