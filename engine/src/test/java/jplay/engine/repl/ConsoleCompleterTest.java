package jplay.engine.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.inventory.Inventory;
import jplay.engine.run.RunOptions;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tab completion from the specs and the inventory, and through a jline reader on a dumb terminal. */
class ConsoleCompleterTest {
  @TempDir Path dir;
  ConsoleSession session;
  ConsoleCompleter completer;

  @BeforeEach
  void open() throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "[web]\nw1\n[db]\nd1\n");
    RunOptions options = new RunOptions(50, null, Map.of(), null, null, null, null, false, null, null,
        Duration.ofSeconds(10), null, HostKeyPolicy.STRICT, dir.resolve("kh"), false, false, 0);
    session = new ConsoleSession(Modules.registry(), Inventory.load(List.of(hosts.toString()), null), options, "all",
        System.out, System.err, false, false, "human");
    completer = new ConsoleCompleter(session);
  }

  @AfterEach
  void close() {
    session.close();
  }

  private List<String> values(String line) {
    List<String> words = List.of((line + "\u0000").split(" "));
    String last = words.get(words.size() - 1).replace("\u0000", "");
    List<String> w = new java.util.ArrayList<>(words.subList(0, words.size() - 1));
    w.add(last);
    return completer.candidates(w, w.size() - 1, last).stream().map(Candidate::value)
        .filter(v -> v.startsWith(last)).toList();
  }

  @Test
  void firstWordIsACommandOrAModule() {
    List<String> all = values("");
    assertTrue(all.containsAll(List.of(":cd", ":list", ":become", ":help", ":exit", "copy", "service", "shell")),
        all.toString());
    assertEquals(List.of("service", "shell"), values("s"));
    assertEquals(List.of(":become", ":become_user"), values(":be"));
  }

  @Test
  void parametersThenChoices() {
    assertEquals(List.of("name=", "state=", "enabled="), values("service "));
    assertEquals(List.of("state=", "enabled="), values("service name=sshd "));
    assertEquals(List.of("state=started", "state=stopped", "state=restarted"), values("service name=sshd state="));
    assertEquals(List.of("state=stopped"), values("service state=sto"));
    assertEquals(List.of("enabled=true", "enabled=false"), values("service enabled="));
  }

  @Test
  void parametersEndWithoutASpaceSoTheValueFollows() {
    Candidate c = completer.candidates(List.of("service", "st"), 1, "st").stream()
        .filter(x -> x.value().equals("state=")).findFirst().orElseThrow();
    assertEquals(false, c.complete());
  }

  @Test
  void cdOffersGroupsAndHosts() {
    assertEquals(List.of("all", "ungrouped", "web", "db", "w1", "d1"), values(":cd "));
    assertEquals(List.of("web", "w1"), values("cd w"));
    assertEquals(List.of("on", "off"), values(":become "));
    assertEquals(List.of("service", "shell"), values(":help s"));
  }

  @Test
  void pathParametersCompleteLocalFiles() throws Exception {
    Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(dir.resolve("config.yml"), "");
    assertEquals(List.of("src=" + dir + "/conf.d/", "src=" + dir + "/config.yml"), values("copy src=" + dir + "/con"));
  }

  @Test
  void tabCompletesOnADumbTerminal() throws Exception {
    ByteArrayInputStream keys = new ByteArrayInputStream("serv\tname=x st\tsta\t\n".getBytes(StandardCharsets.UTF_8));
    Terminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, keys, new ByteArrayOutputStream(),
        StandardCharsets.UTF_8);
    LineReader reader = Console.reader(session, t, dir.resolve("history"));
    assertEquals("service name=x state=started ", reader.readLine("> "));
  }
}
