package jplay.engine.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jplay.engine.api.LocalFiles;
import jplay.engine.api.Outcome;

/**
 * A JUnit XML report of a run ({@code --junit FILE}) for CI systems (Jenkins, GitLab, GitHub actions that read
 * JUnit): one {@code <testsuite>} per play, one {@code <testcase>} per task and host.
 *
 * <p>The mapping follows Ansible's {@code junit} callback: a test case is named {@code [host] play: task}, its
 * {@code classname} is where the task is written ({@code file:line}), and its {@code time} is the host's time on
 * the task, in seconds. A failed task is a {@code <failure>} with the module's message, a skipped one is {@code
 * <skipped>} with the reason, one that passed carries its result as JSON in {@code <system-out>} ({@code no_log}
 * results are censored there as on the terminal). Beyond Ansible's callback: an unreachable host is an {@code
 * <error type="unreachable">} (Ansible leaves it out of the report), and a failure that a {@code rescue} section took
 * over passes, as one with {@code ignore_errors} does in Ansible's report: the run goes on and exits 0, so CI should
 * not show it failed. The result of a whole looping task is one test case.
 *
 * <p>The file is written once, at the end of the run, through a temporary file beside it that is moved into place,
 * so that CI never reads half a report; {@link #finish()} writes it when the run ended without its last event
 * (an error that stopped it).
 *
 * <pre>{@code
 * JUnitReport junit = new JUnitReport(Path.of("report.xml"));
 * RunListener listener = Listeners.of(human, junit);
 * try { runner.run(playbooks); } finally { junit.finish(); }
 * }</pre>
 */
public final class JUnitReport implements RunListener {
  /** One test case: a task on a host. */
  private record Case(String name, String classname, Duration time, String kind, String message, String output) {}

  /** One play's cases. */
  private record Suite(String name, List<Case> cases) {}

  private final Path file;
  private final List<Suite> suites = new ArrayList<>();
  private final Map<String, Events.TaskStarted> tasks = new HashMap<>();
  private boolean written;

  public JUnitReport(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void playStarted(Events.PlayStarted e) {
    String name = e.name() == null || e.name().isBlank() ? e.pattern() : e.name().strip();
    suites.add(new Suite(name == null ? "" : name, new ArrayList<>()));
    tasks.clear();
  }

  @Override
  public synchronized void taskStarted(Events.TaskStarted e) {
    tasks.put(e.name(), e);
  }

  @Override
  public synchronized void hostResult(Events.HostResult r) {
    if (suites.isEmpty()) {
      suites.add(new Suite("", new ArrayList<>()));
    }
    Suite suite = suites.get(suites.size() - 1);
    Events.TaskStarted task = tasks.get(r.task());
    String module = task == null ? null : task.module();
    String taskName = r.task() == null || r.task().isBlank() ? (module == null ? "" : module) : r.task().strip();
    String name = "[" + r.host() + "] " + suite.name() + ": " + taskName;
    String classname = task == null || task.mark() == null ? "" : HumanOutput.where(task.mark());
    Duration time = r.elapsed() == null ? Duration.ZERO : r.elapsed();
    Outcome o = Results.outcome(r);
    String output = Json.write(Results.display(r, module, 0));
    String message = r.noLog() ? Results.CENSORED : o.msg() == null || o.msg().isEmpty() ? null : o.msg();
    Case c = switch (r.status()) {
      case FAILED -> r.ignored() || r.rescued()
          ? new Case(name, classname, time, null, null, output)
          : new Case(name, classname, time, "failure", message != null ? message : failedWithout(o), output);
      case UNREACHABLE -> new Case(name, classname, time, "error", message != null ? message : "unreachable", output);
      case SKIPPED -> new Case(name, classname, time, "skipped", message != null ? message : "skipped", null);
      case OK, CHANGED -> new Case(name, classname, time, null, null, output);
    };
    suite.cases().add(c);
  }

  /** Ansible's message for a failure without {@code msg}: the return code. */
  private static String failedWithout(Outcome o) {
    Object rc = o.data().get("rc");
    return rc == null ? "failed" : "rc=" + rc;
  }

  @Override
  public synchronized void runFinished(Events.RunFinished e) {
    finish();
  }

  /** Writes the report unless it was written already; safe to call more than once. */
  public synchronized void finish() {
    if (written) {
      return;
    }
    written = true;
    write(xml());
  }

  /** The report as XML text. */
  public synchronized String xml() {
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    Duration time = Duration.ZERO;
    StringBuilder body = new StringBuilder();
    for (Suite s : suites) {
      int f = count(s, "failure");
      int er = count(s, "error");
      int sk = count(s, "skipped");
      Duration t = s.cases().stream().map(Case::time).reduce(Duration.ZERO, Duration::plus);
      tests += s.cases().size();
      failures += f;
      errors += er;
      skipped += sk;
      time = time.plus(t);
      body.append("  <testsuite name=\"").append(attr(s.name())).append("\" tests=\"").append(s.cases().size())
          .append("\" failures=\"").append(f).append("\" errors=\"").append(er).append("\" skipped=\"").append(sk)
          .append("\" time=\"").append(seconds(t)).append('"');
      if (s.cases().isEmpty()) {
        body.append("/>\n");
        continue;
      }
      body.append(">\n");
      for (Case c : s.cases()) {
        testcase(body, c);
      }
      body.append("  </testsuite>\n");
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<testsuites name=\"jplay\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors
        + "\" skipped=\"" + skipped + "\" time=\"" + seconds(time) + "\">\n"
        + body
        + "</testsuites>\n";
  }

  private static void testcase(StringBuilder sb, Case c) {
    sb.append("    <testcase name=\"").append(attr(c.name())).append("\" classname=\"").append(attr(c.classname()))
        .append("\" time=\"").append(seconds(c.time())).append('"');
    if (c.kind() == null && c.output() == null) {
      sb.append("/>\n");
      return;
    }
    sb.append(">\n");
    if ("skipped".equals(c.kind())) {
      sb.append("      <skipped message=\"").append(attr(c.message())).append("\"/>\n");
    } else if (c.kind() != null) {
      String type = c.kind().equals("error") ? "unreachable" : "failed";
      sb.append("      <").append(c.kind()).append(" message=\"").append(attr(c.message())).append("\" type=\"")
          .append(type).append("\">").append(text(c.output())).append("</").append(c.kind()).append(">\n");
    } else {
      sb.append("      <system-out>").append(text(c.output())).append("</system-out>\n");
    }
    sb.append("    </testcase>\n");
  }

  private static int count(Suite s, String kind) {
    return (int) s.cases().stream().filter(c -> kind.equals(c.kind())).count();
  }

  private void write(String xml) {
    try {
      Path abs = file.toAbsolutePath();
      Path dir = abs.getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      // Private as the report always was (a temp file's mode); an existing report keeps its own.
      LocalFiles.replace(abs, xml.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the JUnit report " + file + ": " + e.getMessage(), e);
    }
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
  }

  /** Text content: XML's special characters escaped, characters XML 1.0 cannot hold dropped. */
  static String text(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> {
          if (allowed(cp)) {
            sb.appendCodePoint(cp);
          }
        }
      }
    });
    return sb.toString();
  }

  /** An attribute value: also quotes escaped, and line breaks kept as references (parsers fold them otherwise). */
  static String attr(String s) {
    return text(s == null ? "" : s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
        .replace("\t", "&#9;");
  }

  private static boolean allowed(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
        || cp >= 0x10000 && cp <= 0x10FFFF;
  }
}
