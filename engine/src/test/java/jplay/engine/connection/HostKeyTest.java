package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jplay.engine.api.Command;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyTest {
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

  private static Target target(int i, HostKeyPolicy policy, Path knownHosts) {
    Target t = sshd.target(i);
    return new Target(t.name(), t.address(), t.port(), t.user(), null, t.privateKeys(), "ssh", policy, knownHosts, t.connectTimeout());
  }

  private static String entry(int i) {
    return "[" + sshd.addresses().get(i) + "]:" + sshd.port() + " " + sshd.hostPublicKey();
  }

  private static void runs(Target t) throws Exception {
    try (Connection c = Connections.open(t)) {
      assertEquals("ok\n", c.run(Command.of("echo ok"), null, null).stdout());
    }
  }

  @Test
  void strictAcceptsAKnownKey() throws Exception {
    runs(target(0, HostKeyPolicy.STRICT, sshd.knownHosts()));
  }

  @Test
  void strictRefusesAnUnknownHostNamingItsFingerprint() {
    Path empty = sshd.emptyKnownHosts();
    Target t = target(1, HostKeyPolicy.STRICT, empty);
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertEquals("host key for h2 (" + t.address() + ":" + t.port() + ") is not known: ssh-ed25519 key "
        + sshd.hostKeyFingerprint() + " is not in " + empty + " (add it with ssh-keyscan after checking the"
        + " fingerprint, or use host key checking accept-new)", e.getMessage());
  }

  @Test
  void strictRefusesWhenTheFileIsMissing(@TempDir Path tmp) {
    Target t = target(1, HostKeyPolicy.STRICT, tmp.resolve("no/such/known_hosts"));
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertTrue(e.getMessage().contains("is not known"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("no")));
  }

  @Test
  void acceptNewAddsAnUnknownHostOnceThenStrictTrustsIt() throws Exception {
    Path file = sshd.emptyKnownHosts();
    runs(target(2, HostKeyPolicy.ACCEPT_NEW, file));
    runs(target(2, HostKeyPolicy.ACCEPT_NEW, file));
    assertEquals(entry(2) + "\n", Files.readString(file));
    runs(target(2, HostKeyPolicy.STRICT, file));
  }

  @Test
  void acceptNewFromManyThreadsWritesEachHostExactlyOnce(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("sub/known_hosts");
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 5; i++) {
          Target t = target(i, HostKeyPolicy.ACCEPT_NEW, file);
          results.add(pool.submit(() -> {
            runs(t);
            return null;
          }));
        }
      }
      for (Future<Object> f : results) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(5, lines.size(), lines.toString());
    for (int i = 0; i < 5; i++) {
      assertTrue(lines.contains(entry(i)), lines.toString());
    }
  }

  @Test
  void acceptNewAppendsAfterALastLineWithoutNewline() throws Exception {
    Path file = sshd.emptyKnownHosts();
    Files.writeString(file, "# hand-edited, no final newline");
    runs(target(3, HostKeyPolicy.ACCEPT_NEW, file));
    assertEquals("# hand-edited, no final newline\n" + entry(3) + "\n", Files.readString(file));
  }

  @Test
  void aRevokedKeyIsRefusedEvenWhenAlsoListed() throws Exception {
    Path file = sshd.emptyKnownHosts();
    Files.writeString(file, entry(0) + "\n@revoked * " + sshd.hostPublicKey() + "\n");
    Target t = target(0, HostKeyPolicy.ACCEPT_NEW, file);
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertEquals("host key for h1 (" + t.address() + ":" + t.port() + ") (ssh-ed25519 " + sshd.hostKeyFingerprint()
        + ") is marked @revoked in " + file + ":2", e.getMessage());
  }

  @Test
  void offConnectsWithoutLookingOrWriting() throws Exception {
    Path file = sshd.emptyKnownHosts();
    runs(target(4, HostKeyPolicy.OFF, file));
    assertEquals("", Files.readString(file));
  }

  @Test
  void aChangedKeyIsRefusedWithFileLineAndNewFingerprint(@TempDir Path tmp) throws Exception {
    try (Sshd one = Sshd.start(1)) {
      Path known = tmp.resolve("known_hosts");
      Files.writeString(known, "# first line is a comment\n" + Files.readString(one.knownHosts()));
      Target strict = new Target("web1", one.addresses().get(0), one.port(), one.user(), null, List.of(one.clientKey()), "ssh", HostKeyPolicy.STRICT, known, one.target(0).connectTimeout());
      runs(strict);
      String oldFingerprint = one.hostKeyFingerprint();

      one.changeHostKey();

      String fingerprint = one.hostKeyFingerprint();
      assertTrue(!fingerprint.equals(oldFingerprint));
      String where = "[" + strict.address() + "]:" + strict.port();
      String expected = "host key for web1 (" + strict.address() + ":" + strict.port() + ") has CHANGED: the server"
          + " offers ssh-ed25519 key " + fingerprint + ", but " + known + ":2 holds another key for it. If the host"
          + " was reinstalled, remove that line (ssh-keygen -R '" + where + "' -f " + known + ")";
      UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(strict).close());
      assertEquals(expected, e.getMessage());

      // accept-new only ever adds keys: a changed one is refused the same way, and the file is left alone.
      String before = Files.readString(known);
      Target acceptNew = new Target("web1", strict.address(), strict.port(), strict.user(), null, strict.privateKeys(), "ssh", HostKeyPolicy.ACCEPT_NEW, known, strict.connectTimeout());
      UnreachableException e2 = assertThrows(UnreachableException.class, () -> Connections.open(acceptNew).close());
      assertEquals(expected, e2.getMessage());
      assertEquals(before, Files.readString(known));

      Target off = new Target("web1", strict.address(), strict.port(), strict.user(), null, strict.privateKeys(), "ssh", HostKeyPolicy.OFF, known, strict.connectTimeout());
      runs(off);
    }
  }
}
