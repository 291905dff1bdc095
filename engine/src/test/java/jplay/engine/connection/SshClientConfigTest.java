package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ~/.ssh/config read as OpenSSH reads it: first value wins, patterns with * ? !, tokens, jump chains. */
class SshClientConfigTest {
  private static final String HOME = System.getProperty("user.home");

  private static SshClientConfig config(String... lines) {
    return SshClientConfig.of(SshClientConfig.parse(Path.of("config"), List.of(lines)));
  }

  @Test
  void theFirstValueWinsAndIdentityFilesAddUp() {
    SshClientConfig c = config(
        "# a comment",
        "Host web?",
        "  HostName %h.example.com",
        "  User deploy",
        "  IdentityFile ~/.ssh/web_%r",
        "Host web1 db*",
        "  User other",
        "  Port 2222",
        "Host *",
        "  User=fallback",
        "  IdentityFile \"/keys/all keys/%h-%u\"",
        "  StrictHostKeyChecking accept-new");
    SshClientConfig.Resolved web1 = c.resolve("web1", null, "me");
    assertEquals(new SshClientConfig.Resolved("web1.example.com", "deploy", 2222,
        List.of(HOME + "/.ssh/web_deploy", "/keys/all keys/web1.example.com-me"), List.of(), "accept-new", null),
        web1);
    SshClientConfig.Resolved db = c.resolve("db7", "admin", "me");
    assertEquals(new SshClientConfig.Resolved(null, "other", 2222, List.of("/keys/all keys/db7-me"), List.of(),
        "accept-new", null), db, "User from the file is reported; the caller's user fills %r");
  }

  @Test
  void negatedPatternsExcludeAndSeveralPatternsShareABlock() {
    SshClientConfig c = config(
        "Host *.internal !bastion.internal",
        "  ProxyJump bastion.internal",
        "Host a b,c",
        "  Port 2200");
    assertEquals(List.of(new SshClientConfig.Jump(null, "bastion.internal", null)),
        c.resolve("app.internal", null, "me").proxyJump());
    assertEquals(List.of(), c.resolve("bastion.internal", null, "me").proxyJump());
    assertEquals(2200, c.resolve("c", null, "me").port());
    assertEquals(2200, c.resolve("B", null, "me").port(), "host names match without regard to case");
    assertEquals(null, c.resolve("d", null, "me").port());
  }

  @Test
  void proxyJumpTakesAChainOfUserHostPort() {
    SshClientConfig c = config("Host target", "  ProxyJump alice@j1:2201,j2,bob@j3", "Host none-here",
        "  ProxyJump none");
    assertEquals(List.of(new SshClientConfig.Jump("alice", "j1", 2201), new SshClientConfig.Jump(null, "j2", null),
        new SshClientConfig.Jump("bob", "j3", null)), c.resolve("target", null, "me").proxyJump());
    assertEquals(List.of(), c.resolve("none-here", null, "me").proxyJump());
  }

  @Test
  void matchBlocksAreSkippedUpToTheNextHost() {
    SshClientConfig c = config("Match user root", "  Port 1", "Host x", "  Port 2");
    assertEquals(2, c.resolve("x", null, "me").port());
    assertEquals(null, c.resolve("y", null, "me").port());
  }

  @Test
  void routeFillsWhatTheInventoryLeftOpenAndResolvesJumpHostsToo() {
    SshClientConfig c = config(
        "Host app",
        "  HostName 10.1.1.5",
        "  User deploy",
        "  Port 2022",
        "  ProxyJump gw",
        "  UserKnownHostsFile /tmp/kh",
        "Host gw",
        "  HostName 192.0.2.1",
        "  User jumper",
        "  Port 2200");
    Target open = new Target("app", "app", 22, null, null, List.of(), "ssh", HostKeyPolicy.STRICT,
        Path.of(HOME, ".ssh", "known_hosts"), Duration.ofSeconds(5));
    SshClientConfig.Routed r = c.route(open, false);
    assertEquals("Target[app ssh deploy@10.1.1.5:2022]", r.target().toString());
    assertEquals(Path.of("/tmp/kh"), r.target().knownHosts());
    assertEquals(List.of("Target[gw ssh jumper@192.0.2.1:2200]"), r.jumps().stream().map(Target::toString).toList());
    // The inventory's ansible_user and ansible_port win over the file, as with Ansible.
    Target set = new Target("app", "app", 2345, "ops", null, List.of(), "ssh", HostKeyPolicy.STRICT,
        Path.of("/my/known_hosts"), Duration.ofSeconds(5));
    SshClientConfig.Routed r2 = c.route(set, true);
    assertEquals("Target[app ssh ops@10.1.1.5:2345]", r2.target().toString());
    assertEquals(Path.of("/my/known_hosts"), r2.target().knownHosts(), "--known-hosts wins");
  }

  @Test
  void strictHostKeyCheckingNoTurnsCheckingOffOnlyWhenJplayChecks() {
    SshClientConfig c = config("Host lab*", "  StrictHostKeyChecking no");
    Target t = new Target("lab1", "lab1", 22, null, null, List.of(), "ssh", HostKeyPolicy.STRICT, null,
        Duration.ofSeconds(5));
    assertEquals(HostKeyPolicy.OFF, c.route(t, false).target().hostKeyPolicy());
    Target acceptNew = new Target("lab1", "lab1", 22, null, null, List.of(), "ssh", HostKeyPolicy.ACCEPT_NEW, null,
        Duration.ofSeconds(5));
    assertEquals(HostKeyPolicy.ACCEPT_NEW, c.route(acceptNew, false).target().hostKeyPolicy());
  }

  @Test
  void aJumpLoopIsAnErrorNotAHang() {
    SshClientConfig c = config("Host a", "  ProxyJump b", "Host b", "  ProxyJump a");
    Target t = new Target("a", "a", 22, null, null, List.of(), "ssh", HostKeyPolicy.STRICT, null,
        Duration.ofSeconds(5));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> c.route(t, false));
    assertEquals("ProxyJump goes through more than 10 hosts to reach b; is there a loop in ssh_config?", e.getMessage());
  }
}
