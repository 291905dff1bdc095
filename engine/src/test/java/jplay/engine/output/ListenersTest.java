package jplay.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenersTest {
  private static final class Recorder implements RunListener {
    final String name;
    final List<String> log;

    Recorder(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Override
    public void playbookStarted(Events.PlaybookStarted e) {
      log.add(name + ":playbook");
    }

    @Override
    public void playStarted(Events.PlayStarted e) {
      log.add(name + ":play");
    }

    @Override
    public void taskStarted(Events.TaskStarted e) {
      log.add(name + ":task");
    }

    @Override
    public void hostResult(Events.HostResult e) {
      log.add(name + ":result");
    }

    @Override
    public void warning(String message) {
      log.add(name + ":warning " + message);
    }

    @Override
    public void runFinished(Events.RunFinished e) {
      log.add(name + ":end");
    }
  }

  @Test
  void everyEventReachesEveryListenerInOrder() {
    List<String> log = new ArrayList<>();
    RunListener all = Listeners.of(new Recorder("a", log), new Recorder("b", log));
    all.playbookStarted(new Events.PlaybookStarted("p", false, false));
    all.playStarted(new Events.PlayStarted("p", "all", List.of(), null));
    all.taskStarted(new Events.TaskStarted("t", "ping", null, false, List.of()));
    all.hostResult(new Events.HostResult("h", "t", Status.OK, null, Duration.ZERO, false, false, Map.of()));
    all.warning("w");
    all.runFinished(new Events.RunFinished(Map.of(), Duration.ZERO, List.of(), false));
    assertEquals(List.of("a:playbook", "b:playbook", "a:play", "b:play", "a:task", "b:task", "a:result",
        "b:result", "a:warning w", "b:warning w", "a:end", "b:end"), log);
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() {
    List<String> log = new ArrayList<>();
    IllegalStateException first = new IllegalStateException("terminal gone");
    IllegalStateException second = new IllegalStateException("disk full");
    RunListener failing1 = new RunListener() {
      @Override
      public void warning(String message) {
        throw first;
      }
    };
    RunListener failing2 = new RunListener() {
      @Override
      public void warning(String message) {
        throw second;
      }
    };
    RunListener all = Listeners.of(failing1, new Recorder("r", log), failing2);
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> all.warning("x"));
    assertSame(first, thrown);
    assertSame(second, thrown.getSuppressed()[0]);
    assertEquals(List.of("r:warning x"), log);
  }

  @Test
  void listenersAreKeptAsGiven() {
    StatsCollector s = new StatsCollector();
    assertEquals(List.of(s), Listeners.of(List.of(s)).listeners());
  }
}
