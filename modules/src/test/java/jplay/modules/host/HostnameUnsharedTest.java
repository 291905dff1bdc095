package jplay.modules.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.testing.Sshd;
import jplay.modules.testing.LocalTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hostname's generic strategy for real, without touching this machine: every probe and the whole change run in
 * their own UTS and mount namespaces ({@code unshare -u -m}), where a temp folder is bind-mounted over /etc, so
 * {@code hostname NAME} and the atomic rename of /etc/hostname land there only. Root only (unshare needs it).
 */
class HostnameUnsharedTest {
  @TempDir Path tmp;

  /**
   * Every command in fresh UTS and mount namespaces whose /etc is {@code etc}: a session shell binds it, names the
   * host before-name (exit 99 if it cannot), then execs the command.
   */
  private static LocalTarget unshared(Path etc) {
    return LocalTarget.builder()
        .prefix("unshare", "--uts", "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount --bind " + etc + " /etc && hostname before-name || exit 99\nexec \"$@\"", "session")
        .host("unshared")
        .build();
  }

  @Test
  void setsTheNameInsideANamespaceOnly() throws Exception {
    Sshd.require(Sshd.isRoot(), "the hostname test needs root for unshare");
    String before = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(etc.resolve("hostname"), "before-name\n");
    LocalTarget target = unshared(etc);
    Plan.Change change =
        (Plan.Change) target.plan(new HostnameModule(), Map.of("name", "jplay-test.example.org", "use", "generic"));
    // One session for all commands, so the kernel name set by the first is what the last reads back.
    StringBuilder body = new StringBuilder();
    List<Path> outs = new ArrayList<>();
    for (int i = 0; i < change.commands().size(); i++) {
      Command c = change.commands().get(i);
      Path in = Files.write(tmp.resolve("in" + i), c.stdin());
      Path out = tmp.resolve("out" + i);
      outs.add(out);
      body.append("/bin/sh -c ").append(jplay.engine.api.Shell.quote(c.script())).append(" < ").append(in)
          .append(" > ").append(out).append(" || exit 1\n");
    }
    body.append("hostname; cat /etc/hostname; ls -a /etc");
    CommandResult r = target.run(Command.of(body.toString()));
    assertEquals(0, r.rc(), r.stderr());
    List<CommandResult> results = new ArrayList<>();
    for (Path out : outs) {
      results.add(CommandResult.of(0, Files.readString(out), ""));
    }
    Outcome o = change.interpret().apply(results);
    assertTrue(o.changed());
    assertEquals("jplay-test.example.org\njplay-test.example.org\n.\n..\nhostname\n", r.stdout(),
        "kernel name, file, and no temp file left");
    assertEquals("jplay-test", ((Map<?, ?>) o.data().get("ansible_facts")).get("ansible_hostname"));
    assertEquals("hostname = before-name\n", o.diff().before());
    assertEquals("jplay-test.example.org\n", Files.readString(etc.resolve("hostname")));
    assertEquals(before, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), "this machine untouched");
  }
}
