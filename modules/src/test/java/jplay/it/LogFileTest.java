package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-file}: commands per host with timings go to the file, secrets do not, the terminal stays clean. */
class LogFileTest {
  private static final String PASSWORD = "pw-Sekrit-42";
  private static final String NO_LOG_VALUE = "s3cr3t-no-log-value";

  @Test
  void theLogHasEachHostsCommandsAndTimingsButNoSecrets(@TempDir Path dir) throws IOException {
    try (Sshd sshd = Sshd.start(2)) {
      Path inventory = sshd.inventory(dir);
      // A password the connection knows (the key logs in first), to see it masked where a task prints it.
      Files.writeString(inventory, Files.readString(inventory) + "[all_hosts:vars]\nansible_password=" + PASSWORD
          + "\n");
      Path site = dir.resolve("site.yml");
      Files.writeString(site, """
          - hosts: all_hosts
            gather_facts: false
            vars:
              db_secret: %s
            tasks:
              - name: say hello
                command: echo hello-from-jplay
              - name: hidden
                command: echo {{ db_secret }}
                no_log: true
              - name: password on a command line
                command: echo {{ ansible_password }}
          """.formatted(NO_LOG_VALUE));
      Path log = dir.resolve("jplay.log");
      Jplay r = Jplay.run(site.toString(), "-i", inventory.toString(), "--known-hosts", sshd.knownHosts().toString(),
          "--color", "never", "--no-timing", "--log-file", log.toString());
      assertEquals(0, r.exitCode(), r::toString);
      String text = Files.readString(log);
      for (String host : new String[] {"h1", "h2"}) {
        assertTrue(Pattern.compile("\\| DEBUG " + host + ": connected \\(Target\\[" + host
            + " ssh \\S+@127\\.0\\.0\\.\\d+:\\d+]\\) in \\d+\\.\\d{3} s\n").matcher(text).find(), text);
        assertTrue(text.contains(host + " [say hello]: running: echo hello-from-jplay\n"), text);
        assertTrue(Pattern.compile(Pattern.quote(host + " [say hello]: rc=0 in ") + "\\d+\\.\\d{3} s\n")
            .matcher(text).find(), text);
        assertTrue(text.contains(host + " [hidden]: running a command: hidden (no_log: true)\n"), text);
        assertTrue(text.contains(host + " [password on a command line]: running: echo '********'\n")
            || text.contains(host + " [password on a command line]: running: echo ********\n"), text);
      }
      assertFalse(text.contains(NO_LOG_VALUE), text);
      assertFalse(text.contains(PASSWORD), text);
      // Every line is Ansible's log line: time, process, user, program.
      assertTrue(Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} p=\\d+ u=\\S+ n=jplay \\| ",
          Pattern.MULTILINE).matcher(text).lookingAt(), text);
      assertFalse(r.out().contains("DEBUG") || r.err().contains("DEBUG"), r::toString);
      assertTrue(r.out().contains("TASK [say hello]"), r::toString);
    }
  }

  @Test
  void withoutTheOptionNothingIsWritten(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("first.log");
    Jplay first = Jplay.run(site(dir).toString(), "--log-file", log.toString(), "--color", "never");
    assertEquals(0, first.exitCode(), first::toString);
    long size = Files.size(log);
    assertTrue(size > 0);
    Jplay second = Jplay.run(site(dir).toString(), "--color", "never");
    assertEquals(0, second.exitCode(), second::toString);
    assertEquals(size, Files.size(log), "a run without --log-file must not write to the last run's log");
  }

  @Test
  void anUnwritableLogFileIsABadOption(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("missing/folder/jplay.log");
    Jplay r = Jplay.run(site(dir).toString(), "--log-file", log.toString(), "--color", "never");
    assertEquals(5, r.exitCode(), r::toString);
    assertEquals("ERROR! --log-file: cannot write the log file " + log + ": its folder does not exist\n", r.err());
  }

  private static Path site(Path dir) throws IOException {
    Path site = dir.resolve("local.yml");
    Files.writeString(site, """
        - hosts: localhost
          gather_facts: false
          tasks:
            - command: "true"
        """);
    return site;
  }
}
