package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConnectionTest {
  private static Connection local() throws Exception {
    return Connections.open(new Target("localhost", "localhost", 0, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null));
  }

  @Test
  void runsWithStdinEnvAndExitCode() throws Exception {
    try (Connection c = local()) {
      Command cmd = Command.of("printf '%s:' \"$V\"; cat; echo oops >&2; exit 7").withStdin("in").withEnv(Map.of("V", "a b'c"));
      CommandResult r = c.run(cmd, null, Duration.ofSeconds(10));
      assertEquals(7, r.rc());
      assertEquals("a b'c:in", r.stdout());
      assertEquals("oops\n", r.stderr());
    }
  }

  @Test
  void largeOutputOnBothStreamsDoesNotDeadlock() throws Exception {
    byte[] in = new byte[5 * 1024 * 1024];
    java.util.Arrays.fill(in, (byte) 'x');
    try (Connection c = local()) {
      CommandResult r = c.run(new Command("head -c 4000000 /dev/zero | tr '\\0' e >&2; cat", in, Map.of(), false), null, Duration.ofSeconds(30));
      assertEquals(0, r.rc());
      assertEquals(in.length, r.stdout().length());
      assertEquals(4_000_000, r.stderr().length());
    }
  }

  @Test
  void timeoutKillsTheWholeTree(@TempDir Path tmp) throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    try (Connection c = local()) {
      long t0 = System.nanoTime();
      CommandResult r = c.run(Command.of("sleep 30 & echo $! > " + pidFile + "; wait"), null, Duration.ofMillis(800));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(124, r.rc());
      assertEquals("command timed out after 0.8 s", r.stderr());
      assertTrue(ms < 4000, "took " + ms + " ms");
      long child = Long.parseLong(Files.readString(pidFile).trim());
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true), "background child " + child + " survived");
    }
  }

  @Test
  void aBackgroundChildHoldingTheOutputDoesNotHangTheTask() throws Exception {
    try (Connection c = local()) {
      long t0 = System.nanoTime();
      CommandResult r = c.run(Command.of("(sleep 20; echo late) & echo now"), null, Duration.ofSeconds(10));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(0, r.rc());
      assertEquals("now\n", r.stdout());
      assertTrue(ms < 4000, "took " + ms + " ms");
    }
  }
}
