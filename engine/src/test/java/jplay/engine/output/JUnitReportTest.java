package jplay.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import jplay.engine.api.Outcome;
import jplay.engine.cli.Golden;
import jplay.engine.yaml.Mark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The JUnit report: golden files of the recorded runs, read back by an XML parser as CI would. */
class JUnitReportTest {
  @TempDir Path dir;

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void demoRunAsGoldenFile() throws Exception {
    Path file = dir.resolve("report.xml");
    JUnitReport junit = new JUnitReport(file);
    Runs.demo(junit);
    String xml = Files.readString(file);
    Golden.check("output/junit-demo.xml", xml);

    Element root = parse(xml).getDocumentElement();
    assertEquals("testsuites", root.getTagName());
    assertEquals("10", root.getAttribute("tests"));
    // fail hard; fail ignored and secret fail had ignore_errors.
    assertEquals("1", root.getAttribute("failures"));
    assertEquals("1", root.getAttribute("skipped"));
    NodeList cases = root.getElementsByTagName("testcase");
    assertEquals(10, cases.getLength());
    Element first = (Element) cases.item(0);
    assertEquals("[localhost] Demo play: say hello", first.getAttribute("name"));
    assertEquals("demo.yml:7", first.getAttribute("classname"));
    assertEquals("0.005", first.getAttribute("time"));
    Element failure = (Element) root.getElementsByTagName("failure").item(0);
    assertEquals("non-zero return code", failure.getAttribute("message"));
    assertTrue(failure.getTextContent().contains("\"rc\": 3"), failure.getTextContent());
    Element secret = (Element) cases.item(7);
    assertEquals("[localhost] Demo play: secret", secret.getAttribute("name"));
    assertFalse(secret.getTextContent().contains("secret\""), secret.getTextContent());
    assertTrue(secret.getTextContent().contains(Results.CENSORED), secret.getTextContent());
  }

  @Test
  void unreachableHostsAreErrors() throws Exception {
    Path file = dir.resolve("unreachable.xml");
    Runs.unreachable(new JUnitReport(file));
    String xml = Files.readString(file);
    Golden.check("output/junit-unreachable.xml", xml);
    Element root = parse(xml).getDocumentElement();
    assertEquals("1", root.getAttribute("errors"));
    Element error = (Element) root.getElementsByTagName("error").item(0);
    assertEquals("unreachable", error.getAttribute("type"));
  }

  @Test
  void writtenOnceAtTheEndThroughATemporaryFileAndWhenTheRunStopsEarly() throws Exception {
    Path file = dir.resolve("out/report.xml");
    JUnitReport junit = new JUnitReport(file);
    junit.playStarted(new Events.PlayStarted("p", "all", List.of("h1"), new Mark("site.yml", 1, 3)));
    junit.taskStarted(new Events.TaskStarted("t", "command", new Mark("site.yml", 3, 7), false, List.of("h1")));
    junit.hostResult(new Events.HostResult("h1", "t", Status.FAILED,
        Outcome.failed("interrupted", Map.of()), Duration.ofMillis(1234), false, false, Map.of()));
    assertFalse(Files.exists(file));
    // No run_end: the run stopped on an error; the command writes what there is.
    junit.finish();
    String xml = Files.readString(file);
    assertTrue(xml.contains("<failure message=\"interrupted\" type=\"failed\">"), xml);
    assertTrue(xml.contains("time=\"1.234\""), xml);
    junit.runFinished(new Events.RunFinished(Map.of(), Duration.ZERO, List.of(), true));
    assertEquals(xml, Files.readString(file));
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void rescuedFailuresPassAndTextIsEscaped() throws Exception {
    JUnitReport junit = new JUnitReport(dir.resolve("r.xml"));
    junit.playStarted(new Events.PlayStarted("a <b> & \"c\"", "all", List.of("h1"), null));
    junit.taskStarted(new Events.TaskStarted("t", "command", null, false, List.of("h1")));
    junit.hostResult(new Events.HostResult("h1", "t", Status.FAILED, Outcome.failed("x\u0001y <z>\nline 2",
        Map.of()), Duration.ZERO, false, false, Map.of(), true, false, null));
    junit.hostResult(new Events.HostResult("h2", "t", Status.FAILED, Outcome.failed("x\u0001y <z>\nline 2",
        Map.of("rc", 2)), Duration.ZERO, false, false, Map.of()));
    String xml = junit.xml();
    Element root = parse(xml).getDocumentElement();
    assertEquals("1", root.getAttribute("failures"), xml);
    Element suite = (Element) root.getElementsByTagName("testsuite").item(0);
    assertEquals("a <b> & \"c\"", suite.getAttribute("name"));
    Element failure = (Element) root.getElementsByTagName("failure").item(0);
    assertEquals("xy <z>\nline 2", failure.getAttribute("message"));
  }
}
