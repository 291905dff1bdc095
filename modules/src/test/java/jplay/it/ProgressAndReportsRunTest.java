package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import jplay.engine.connection.ConnectionPool;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.inventory.Inventory;
import jplay.engine.output.HumanOutput;
import jplay.engine.output.Progress;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.repl.PooledConnections;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** Progress and the JUnit report on real runs: real sleeps on local hosts, real commands. */
class ProgressAndReportsRunTest {
  @TempDir Path dir;

  @Test
  void aLongTaskPrintsWhichHostsStillRunWhenNotOnATerminal() throws Exception {
    Path inventory = Files.writeString(dir.resolve("hosts.ini"), """
        h1 nap=5 ansible_connection=local
        h2 nap=3 ansible_connection=local
        """);
    Path site = Files.writeString(dir.resolve("site.yml"), """
        - hosts: all
          gather_facts: false
          tasks:
            - name: quick
              command: "true"
            - name: nap
              command: "sleep {{ nap }}"
        """);
    ModuleRegistry modules = ModuleRegistry.discover();
    Playbook pb = new PlaybookParser(modules).parse(site);
    Inventory inv = Inventory.load(List.of(inventory.toString()), dir);
    RunOptions options = new RunOptions(RunOptions.DEFAULT_FORKS, null, Map.of(), null, null, null, null, false,
        null, null, Duration.ofSeconds(10), null, HostKeyPolicy.STRICT, dir.resolve("known_hosts"), false, false, 0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      HumanOutput human = new HumanOutput(out, out, 0, false, false, HumanOutput.DEFAULT_WIDTH, false);
      // The timing of a terminal-less run, shortened from 30 s to 1 s so that the test takes seconds.
      Progress progress = new Progress(human, out, Progress.Mode.LINES, Clock.systemUTC(), Duration.ofSeconds(1),
          Duration.ofSeconds(1), HumanOutput.DEFAULT_WIDTH).ticking(Duration.ofMillis(100));
      PlaybookRunner runner = new PlaybookRunner(modules, inv, options, progress,
          new PooledConnections(new ConnectionPool(), true));
      assertEquals(0, runner.run(List.of(pb)).exitCode());
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    int nap = lines.indexOf("TASK [nap] *********************************************************************");
    int recap = lines.indexOf("PLAY RECAP *********************************************************************");
    assertTrue(nap > 0 && recap > nap, text);
    // Nothing while the quick task ran; then lines while both hosts, then h1 alone, were sleeping.
    List<String> progress = lines.stream().filter(l -> l.startsWith("still running")).toList();
    assertEquals(progress, lines.subList(nap, recap).stream().filter(l -> l.startsWith("still running")).toList());
    Pattern both = Pattern.compile("still running 'nap' on 2 hosts: h[12]( \\(\\d+s\\))?, h[12] \\(\\d+s\\)");
    Pattern h1 = Pattern.compile("still running 'nap' on 1 host: h1 \\(\\d+s\\)");
    assertTrue(both.matcher(progress.get(0)).matches(), text);
    assertTrue(h1.matcher(progress.get(progress.size() - 1)).matches(), text);
    assertTrue(progress.size() >= 2, text);
  }

  @Test
  void junitReportOfARealRunWithAFailure() throws Exception {
    Path site = Files.writeString(dir.resolve("site.yml"), """
        - name: checks
          hosts: localhost
          gather_facts: false
          tasks:
            - name: passes
              command: echo fine
            - name: skipped
              command: echo never
              when: false
            - name: fails
              command: sh -c 'echo broken >&2; exit 3'
        """);
    Path report = dir.resolve("reports/junit.xml");
    Jplay r = Jplay.run(site.toString(), "--junit", report.toString(), "--color", "never");
    assertEquals(2, r.exitCode(), r::toString);
    Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(Files.readAllBytes(report))).getDocumentElement();
    assertEquals("3", root.getAttribute("tests"));
    assertEquals("1", root.getAttribute("failures"));
    assertEquals("1", root.getAttribute("skipped"));
    Element suite = (Element) root.getElementsByTagName("testsuite").item(0);
    assertEquals("checks", suite.getAttribute("name"));
    Element fails = (Element) root.getElementsByTagName("testcase").item(2);
    assertEquals("[localhost] checks: fails", fails.getAttribute("name"));
    assertEquals(site + ":10", fails.getAttribute("classname"));
    Element failure = (Element) fails.getElementsByTagName("failure").item(0);
    assertEquals("non-zero return code", failure.getAttribute("message"));
    assertTrue(failure.getTextContent().contains("\"stderr\": \"broken\""), failure.getTextContent());
    // The timing summary names the slowest tasks after the recap.
    assertTrue(r.out().contains("Slowest tasks (slowest host):"), r::toString);
  }
}
