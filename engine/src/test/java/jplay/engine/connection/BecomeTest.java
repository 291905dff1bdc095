package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.testing.Sshd;
import jplay.engine.testing.SudoUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** sudo for real: throw-away users with and without NOPASSWD, over ssh and locally. Needs root. */
class BecomeTest {
  private static Sshd sshd;
  private static SudoUsers users;

  @BeforeAll
  static void start() {
    users = SudoUsers.create();
    sshd = Sshd.start(1);
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
    if (users != null) {
      users.close();
    }
  }

  private static Target as(String user, String password) {
    Target t = sshd.target(0);
    return new Target("h1", t.address(), t.port(), user, password, password == null ? t.privateKeys() : List.of(), "ssh", HostKeyPolicy.STRICT, t.knownHosts(), t.connectTimeout());
  }

  private static Become root(String password) {
    return new Become("root", "sudo", password, null);
  }

  @Test
  void logsInWithAPassword() throws Exception {
    try (Connection c = Connections.open(as(users.withPassword(), users.password()))) {
      assertEquals(users.withPassword() + "\n", c.run(Command.of("id -un"), null, null).stdout());
    }
    assertTrue(sshd.log().contains("Accepted password for " + users.withPassword() + " "), sshd.log());
  }

  @Test
  void aWrongLoginPasswordIsUnreachable() {
    Target t = as(users.withPassword(), "not-" + users.password());
    UnreachableException e = assertThrows(UnreachableException.class, () -> Connections.open(t).close());
    assertTrue(e.getMessage().startsWith("authentication failed for " + users.withPassword() + "@" + t.address() + ": tried "), e.getMessage());
    assertTrue(e.getMessage().contains("password"), e.getMessage());
    assertFalse(e.getMessage().contains(users.password()), "the password leaked into: " + e.getMessage());
  }

  @Test
  void becomesRootWithoutPasswordAndStillFeedsStdin() throws Exception {
    try (Connection c = Connections.open(as(users.nopasswd(), null))) {
      CommandResult r = c.run(Command.of("id -u; echo \"$WHO\"; cat").withStdin("from stdin\n").withEnv(Map.of("WHO", "me too")), root(null), Duration.ofSeconds(10));
      assertEquals(0, r.rc(), r.stderr());
      assertEquals("0\nme too\nfrom stdin\n", r.stdout());
      assertEquals("", r.stderr());
      assertEquals(users.nopasswd() + "\n", c.run(Command.of("id -un"), null, null).stdout());
    }
  }

  @Test
  void becomesRootWithAPasswordFedOnStdinAndNeverShown() throws Exception {
    try (Connection c = Connections.open(as(users.withPassword(), null))) {
      CommandResult r = c.run(Command.of("id -u; cat; echo err >&2; exit 4").withStdin("data\n"), root(users.password()), Duration.ofSeconds(10));
      assertEquals(4, r.rc());
      assertEquals("0\ndata\n", r.stdout());
      assertEquals("err\n", r.stderr());
      assertFalse(r.stdout().contains(users.password()));
    }
  }

  @Test
  void becomesAnotherUser() throws Exception {
    try (Connection c = Connections.open(as(users.withPassword(), null))) {
      Become b = new Become(users.nopasswd(), "sudo", users.password(), null);
      CommandResult r = c.run(Command.of("id -un; echo ~"), b, Duration.ofSeconds(10));
      assertEquals(0, r.rc(), r.stderr());
      assertEquals(users.nopasswd() + "\n/home/" + users.nopasswd() + "\n", r.stdout());
    }
  }

  @Test
  void aMissingPasswordIsABecomeError() throws Exception {
    try (Connection c = Connections.open(as(users.withPassword(), null))) {
      long t0 = System.nanoTime();
      BecomeException e = assertThrows(BecomeException.class, () -> c.run(Command.of("id -u"), root(null), Duration.ofSeconds(10)));
      assertEquals("sudo on h1 needs a password to become root, but no become password was given (use"
          + " --ask-become-pass or set ansible_become_password)", e.getMessage());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
      // The connection is still good for the next task.
      assertEquals("ok\n", c.run(Command.of("echo ok"), null, null).stdout());
    }
  }

  @Test
  void aWrongPasswordIsABecomeErrorThatDoesNotLeakIt() throws Exception {
    try (Connection c = Connections.open(as(users.withPassword(), null))) {
      String wrong = "wrong-" + users.password();
      BecomeException e = assertThrows(BecomeException.class, () -> c.run(Command.of("id -u"), root(wrong), Duration.ofSeconds(20)));
      assertEquals("sudo on h1 refused the become password for becoming root (incorrect password)", e.getMessage());
    }
  }

  @Test
  void aUserWithoutSudoRightsGetsSudosReason() throws Exception {
    try (Connection c = Connections.open(as(users.nopasswd(), null))) {
      Become b = new Become("nosuchuser-xyz", "sudo", null, null);
      BecomeException e = assertThrows(BecomeException.class, () -> c.run(Command.of("id -u"), b, Duration.ofSeconds(10)));
      assertTrue(e.getMessage().startsWith("sudo on h1 failed to become nosuchuser-xyz: sudo: unknown user"), e.getMessage());
    }
  }

  @Test
  void anUnsupportedMethodIsNamed() throws Exception {
    try (Connection c = Connections.open(as(users.nopasswd(), null))) {
      BecomeException e = assertThrows(BecomeException.class, () -> c.run(Command.of("id -u"), new Become("root", "su", null, null), null));
      assertEquals("become method 'su' is not supported (jplay supports: sudo)", e.getMessage());
    }
  }

  @Test
  void aTimeoutUnderBecomeStopsTheRootCommand() throws Exception {
    try (Connection c = Connections.open(as(users.withPassword(), null))) {
      CommandResult r = c.run(Command.of("sleep 41.75"), root(users.password()), Duration.ofSeconds(1));
      assertEquals(124, r.rc());
      assertTrue(r.stderr().endsWith("command timed out after 1 s"), r.stderr());
      assertEquals("gone", SshConnectionTest.poll(c, "pgrep -f 'sleep 41[.]75' >/dev/null && echo running || echo gone", "gone"));
    }
  }

  @Test
  void localBecomeWorksToo() throws Exception {
    Target local = new Target("localhost", "localhost", 0, null, null, List.of(), "local", HostKeyPolicy.STRICT, null, null);
    try (Connection c = Connections.open(local)) {
      // Running as root, sudo needs no password, to root or to anyone.
      CommandResult r = c.run(Command.of("id -un; cat").withStdin("x"), new Become(users.withPassword(), "sudo", null, null), Duration.ofSeconds(10));
      assertEquals(0, r.rc(), r.stderr());
      assertEquals(users.withPassword() + "\nx", r.stdout());
      assertEquals("0\n", c.run(Command.of("id -u"), root(null), null).stdout());
    }
  }
}
