package jplay.engine.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Outcome;
import jplay.engine.output.Events;
import jplay.engine.output.Status;
import jplay.engine.yaml.Mark;
import org.junit.jupiter.api.Test;

/** The parts of the ad-hoc layout that a real run cannot show on demand: interruption, progress, warnings. */
class AdhocOutputTest {
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static Events.HostResult result(String host, Status status, Outcome o) {
    return new Events.HostResult(host, "ping", status, o, Duration.ZERO, false, false, Map.of());
  }

  private static Events.RunFinished finished(boolean interrupted) {
    return new Events.RunFinished(Map.of(), Duration.ZERO, List.of(), interrupted);
  }

  @Test
  void hostsCutShortOrSilentAreInterrupted() {
    AdhocOutput o = new AdhocOutput(out, out, false, false, false, false);
    o.taskStarted(new Events.TaskStarted("command", "command", Mark.of("x"), false, List.of("a", "b", "c")));
    o.hostResult(result("a", Status.CHANGED, Outcome.changed(Map.of("rc", 0, "stdout", "done"))));
    o.interrupting();
    o.hostResult(result("b", Status.FAILED, Outcome.failed("interrupted", Map.of())));
    o.runFinished(finished(true));
    // A late answer after the prompt came back is not shown.
    o.hostResult(result("c", Status.OK, Outcome.ok(Map.of())));
    assertEquals("a | CHANGED | rc=0 >>\ndone\nb | INTERRUPTED\nc | INTERRUPTED\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void progressIsErasedBeforeEachResult() {
    AdhocOutput o = new AdhocOutput(out, out, true, false, false, true);
    o.taskStarted(new Events.TaskStarted("ping", "ping", Mark.of("x"), false, List.of("a", "b")));
    o.hostResult(result("a", Status.FAILED, Outcome.failed("boom", Map.of())));
    o.hostResult(result("b", Status.SKIPPED, Outcome.skipped("no")));
    o.runFinished(finished(false));
    assertEquals("\r\033[K[0/2 done, 0 failed, 2 pending]\r\033[K"
        + "a | FAILED! => {\"changed\": false,\"msg\": \"boom\"}\n"
        + "\r\033[K[1/2 done, 1 failed, 1 pending]\r\033[Kb | SKIPPED\n", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void warningsOnceAndColours() {
    AdhocOutput o = new AdhocOutput(out, out, false, true, false, false);
    o.taskStarted(new Events.TaskStarted("ping", "ping", Mark.of("x"), false, List.of("a")));
    o.warning("careful");
    o.warning("careful");
    o.hostResult(result("a", Status.OK, Outcome.ok(Map.of("ping", "pong"))));
    assertEquals("\033[1;35m[WARNING]: careful\033[0m\n\033[0;32ma | SUCCESS => {\033[0m\n"
        + "\033[0;32m    \"changed\": false,\033[0m\n\033[0;32m    \"ping\": \"pong\"\033[0m\n\033[0;32m}\033[0m\n",
        bytes.toString(StandardCharsets.UTF_8));
  }
}
