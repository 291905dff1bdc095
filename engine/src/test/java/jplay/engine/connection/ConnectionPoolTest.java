package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {
  private static Sshd sshd;

  @BeforeAll
  static void start() {
    sshd = Sshd.start(5);
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  @Test
  void manyCommandsOnManyHostsUseOneConnectionPerHost() throws Exception {
    int[] before = new int[5];
    for (int i = 0; i < 5; i++) {
      before[i] = sshd.connectionCount(sshd.addresses().get(i));
    }
    ExecutorService threads = Executors.newFixedThreadPool(5);
    try (ConnectionPool pool = new ConnectionPool(2)) {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Target t = sshd.target(i);
        futures.add(threads.submit(() -> {
          List<String> seen = new ArrayList<>();
          for (int n = 0; n < 15; n++) {
            // $SSH_CONNECTION names the server address: proof the command ran on the host it was meant for.
            CommandResult r = pool.get(t).run(Command.of("echo $SSH_CONNECTION | cut -d' ' -f3; echo " + n), null, Duration.ofSeconds(10));
            seen.add(r.stdout());
          }
          return seen;
        }));
      }
      for (int i = 0; i < 5; i++) {
        List<String> seen = futures.get(i).get();
        for (int n = 0; n < 15; n++) {
          assertEquals(sshd.addresses().get(i) + "\n" + n + "\n", seen.get(n));
        }
      }
    } finally {
      threads.shutdown();
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(before[i] + 1, sshd.connectionCount(sshd.addresses().get(i)), "connections to " + sshd.addresses().get(i));
    }
  }

  @Test
  void setupIsBoundedAndSharedPerTarget() throws Exception {
    AtomicInteger inSetup = new AtomicInteger();
    AtomicInteger maxInSetup = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    ConnectionPool.Opener slow = (target, setup) -> {
      setup.acquire();
      try {
        maxInSetup.accumulateAndGet(inSetup.incrementAndGet(), Math::max);
        Thread.sleep(30);
        inSetup.decrementAndGet();
        opened.incrementAndGet();
        return new LocalConnection(target);
      } finally {
        setup.release();
      }
    };
    ExecutorService threads = Executors.newFixedThreadPool(12);
    try (ConnectionPool pool = new ConnectionPool(3, slow)) {
      List<Future<Connection>> futures = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 6; i++) {
          Target t = new Target("h" + i, "127.0.0." + (i + 2), 22, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null);
          futures.add(threads.submit(() -> pool.get(t)));
        }
      }
      for (int i = 0; i < 6; i++) {
        assertSame(futures.get(i).get(), futures.get(i + 6).get());
      }
    } finally {
      threads.shutdown();
    }
    assertEquals(6, opened.get());
    assertTrue(maxInSetup.get() <= 3, "max in setup " + maxInSetup.get());
  }

  @Test
  void aFailedOpenIsRetriedOnTheNextAskAndAClosedPoolRefuses() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    ConnectionPool.Opener flaky = (target, setup) -> {
      if (attempts.incrementAndGet() == 1) {
        throw new UnreachableException("cannot connect to h1: connection refused");
      }
      return new LocalConnection(target);
    };
    Target t = new Target("h1", "127.0.0.2", 22, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null);
    ConnectionPool pool = new ConnectionPool(1, flaky);
    assertThrows(UnreachableException.class, () -> pool.get(t));
    assertEquals("ok\n", pool.get(t).run(Command.of("echo ok"), null, null).stdout());
    pool.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.get(t));
    assertEquals("connection pool is closed", e.getMessage());
  }

  @Test
  void closingThePoolClosesItsSshConnections() throws Exception {
    Connection c;
    try (ConnectionPool pool = new ConnectionPool()) {
      c = pool.get(sshd.target(0));
      assertEquals("1\n", c.run(Command.of("echo 1"), null, null).stdout());
    }
    Connection closed = c;
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.run(Command.of("echo 2"), null, null));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
  }
}
