package jplay.engine.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.SourceException;

/** Ctrl-C and SIGTERM during a run: stop starting tasks, let the recap print, then leave with 99 (as Ansible). */
final class Interrupts {
  private Interrupts() {}

  interface Run {
    RunSummary run() throws SourceException;
  }

  static int exitCode(Io io, PlaybookRunner runner, Run run) throws SourceException {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      runner.interrupt();
      try {
        done.await(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      io.out().flush();
      io.err().flush();
      Runtime.getRuntime().halt(RunSummary.INTERRUPTED);
    }, "jplay-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    RunSummary summary;
    try {
      summary = run.run();
    } finally {
      done.countDown();
      // Also when the run ends with an error (a play's hosts that cannot be rendered): a hook left registered
      // would turn the error's exit code into 99 when the JVM exits.
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it ends the JVM with 99 once the recap is out.
      }
    }
    return summary.exitCode();
  }
}
