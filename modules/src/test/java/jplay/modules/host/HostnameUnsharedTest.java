package jplay.modules.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hostname's generic strategy for real, without touching this machine: every probe and the whole change run in
 * their own UTS and mount namespaces ({@code unshare -u -m}), where a temp folder is bind-mounted over /etc, so
 * {@code hostname NAME} and the atomic rename of /etc/hostname land there only. Root only (unshare needs it).
 */
class HostnameUnsharedTest {
  @TempDir Path tmp;

  private String session(Path etc, String body) {
    return "mount --bind " + etc + " /etc && hostname before-name || exit 99\n" + body;
  }

  private CommandResult run(String script, byte[] stdin) throws IOException, InterruptedException {
    Instant start = Instant.now();
    Process p = new ProcessBuilder("unshare", "--uts", "--mount", "--propagation", "private", "/bin/sh", "-c", script)
        .start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new CommandResult(p.waitFor(), out, err, start, Instant.now());
  }

  @Test
  void setsTheNameInsideANamespaceOnly() throws Exception {
    Sshd.require(Sshd.isRoot(), "the hostname test needs root for unshare");
    String before = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    Path etc = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(etc.resolve("hostname"), "before-name\n");
    Args args = Args.bind(HostnameModule.SPEC, Map.of("name", "jplay-test.example.org", "use", "generic"), false);
    ModuleContext ctx = new FactsOnly(args, f -> {
      try {
        return run(session(etc, f.probe().script()), new byte[0]);
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    Plan.Change change = (Plan.Change) new HostnameModule().plan(ctx);
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
    CommandResult r = run(session(etc, body.toString()), new byte[0]);
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

  /** A context whose facts run through {@code runner}; nothing else is needed by hostname. */
  private record FactsOnly(Args args, java.util.function.Function<Fact<?>, CommandResult> runner)
      implements ModuleContext {
    @Override
    public String host() {
      return "unshared";
    }

    @Override
    public <T> T fact(Fact<T> fact) {
      return fact.parser().apply(runner.apply(fact));
    }

    @Override
    public boolean checkMode() {
      return false;
    }

    @Override
    public boolean diffMode() {
      return true;
    }

    @Override
    public Map<String, Object> vars() {
      return Map.of();
    }

    @Override
    public Object evaluate(String expression) {
      throw new AssertionError("not used");
    }

    @Override
    public String render(String template) {
      throw new AssertionError("not used");
    }

    @Override
    public Path localPath(String name) {
      throw new AssertionError("not used");
    }
  }
}
