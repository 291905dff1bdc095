package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jplay.engine.testing.Sshd;
import jplay.engine.testing.SudoUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security through the command line against real sshd: host keys (strict by default, a changed key refused with
 * the offered fingerprint and the known_hosts line, accept-new and off as explicit opt-ins), no_log everywhere
 * output goes, and passwords never on a command line of the target.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityRealTest {
  @TempDir Path work;

  private Path ping() throws IOException {
    Path p = work.resolve("ping.yml");
    Files.writeString(p, "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n");
    return p;
  }

  private static List<String> args(Path playbook, Path inventory, Path knownHosts, String... more) {
    List<String> a = new ArrayList<>(List.of(playbook.toString(), "-i", inventory.toString(), "--known-hosts",
        knownHosts.toString(), "--color", "never", "--no-timing"));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void hostKeysStrictByDefaultChangedKeyRefusedAcceptNewAndOffOnlyWhenAsked() throws IOException {
    try (Sshd sshd = Sshd.start(1)) {
      Path inv = sshd.inventory(work.resolve("inv"));
      Path known = work.resolve("known_hosts");
      Files.writeString(known, "# hosts seen before\n" + Files.readString(sshd.knownHosts()));
      Path site = ping();
      Jplay first = Jplay.run(args(site, inv, known));
      assertEquals(0, first.exitCode(), first::toString);

      Path empty = work.resolve("empty_known_hosts");
      Files.writeString(empty, "");
      Jplay unknown = Jplay.run(args(site, inv, empty));
      assertEquals(4, unknown.exitCode(), unknown::toString);
      assertTrue(unknown.out().contains("is not known: ssh-ed25519 key " + sshd.hostKeyFingerprint() + " is not in "
          + empty), unknown::toString);
      assertEquals("", Files.readString(empty), "strict never writes known_hosts");

      sshd.changeHostKey();
      String where = sshd.addresses().get(0) + ":" + sshd.port();
      String changed = "host key for h1 (" + where + ") has CHANGED: the server offers ssh-ed25519 key "
          + sshd.hostKeyFingerprint() + ", but " + known + ":2 holds another key for it.";
      Jplay strict = Jplay.run(args(site, inv, known));
      assertEquals(4, strict.exitCode(), strict::toString);
      assertTrue(strict.out().contains(changed), strict::toString);
      Jplay acceptNew = Jplay.run(args(site, inv, known, "--host-key-checking", "accept-new"));
      assertEquals(4, acceptNew.exitCode(), "accept-new still refuses a changed key: " + acceptNew);
      assertTrue(acceptNew.out().contains(changed), acceptNew::toString);

      Jplay added = Jplay.run(args(site, inv, empty, "--host-key-checking", "accept-new"));
      assertEquals(0, added.exitCode(), added::toString);
      assertEquals("[" + sshd.addresses().get(0) + "]:" + sshd.port() + " " + sshd.hostPublicKey() + "\n",
          Files.readString(empty));

      String before = Files.readString(known);
      Jplay off = Jplay.run(args(site, inv, known, "--host-key-checking", "off"));
      assertEquals(0, off.exitCode(), off::toString);
      assertEquals(before, Files.readString(known), "off neither checks nor writes");
    }
  }

  @Test
  void noLogHidesValuesInHumanOutputAtVvvvAndInJsonEvents() throws IOException {
    try (Sshd sshd = Sshd.start(1)) {
      Path inv = sshd.inventory(work.resolve("inv"));
      Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      Path site = work.resolve("nolog.yml");
      Files.writeString(site, """
          - hosts: all
            gather_facts: false
            vars:
              secret: s3cr3t-VAR
            tasks:
              - command: echo {{ secret }}-CMD
                no_log: true
              - command: /bin/false {{ secret }}-FAIL
                no_log: true
                ignore_errors: true
              - copy:
                  content: "{{ secret }}-CONTENT"
                  dest: /nonexistent-dir/x
                no_log: true
                ignore_errors: true
              - copy:
                  content: "{{ secret }}-CONTENT"
                  dest: %s/copied
                no_log: true
              - debug: msg="{{ secret }}-DEBUG"
                no_log: true
              - command: echo {{ item }}
                loop: ["{{ secret }}-ITEM"]
                no_log: true
              - assert:
                  that: secret == 'other'
                  fail_msg: "{{ secret }}-ASSERT"
                no_log: true
                ignore_errors: true
          """.formatted(work));
      for (List<String> more : List.of(List.of("-vvvv"), List.of("--output", "json"), List.of("--diff", "-vvvv"))) {
        Files.deleteIfExists(work.resolve("copied"));
        List<String> a = args(site, inv, sshd.knownHosts());
        a.addAll(more);
        Jplay r = Jplay.run(a);
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.out().contains("s3cr3t") || r.err().contains("s3cr3t"), () -> more + " leaks:\n" + r);
        if (!more.contains("--output")) {
          assertTrue(r.out().contains("the output has been hidden due to the fact that 'no_log: true' was specified"
              + " for this result"), r::toString);
        }
      }
      assertFalse(sshd.log().contains("s3cr3t"), "sshd's log");
    }
  }

  @Test
  void becomeAndSshPasswordsNeverAppearOnATargetCommandLine() throws Exception {
    Sshd.require(Sshd.isRoot(), "needs root to create a sudo user with a password");
    try (Sshd sshd = Sshd.start(1); SudoUsers users = SudoUsers.create()) {
      Path inv = work.resolve("pw.ini");
      // No key: the SSH login uses the password too.
      Files.writeString(inv, "p1 ansible_host=" + sshd.addresses().get(0) + " ansible_port=" + sshd.port()
          + " ansible_user=" + users.withPassword() + " ansible_password=" + users.password()
          + " ansible_become_password=" + users.password() + "\n");
      Path site = work.resolve("become.yml");
      Files.writeString(site, """
          - hosts: all
            gather_facts: false
            become: true
            tasks:
              - command: sleep 3
              - command: id -un
                register: who
              - debug: var=who.stdout
          """);
      AtomicBoolean done = new AtomicBoolean();
      CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
        List<String> leaks = new ArrayList<>();
        int samples = 0;
        while (!done.get()) {
          String ps = ps();
          samples++;
          ps.lines().filter(l -> l.contains(users.password())).forEach(leaks::add);
        }
        leaks.add(0, samples + " samples");
        return leaks;
      });
      Jplay r;
      try {
        r = Jplay.run(args(site, inv, sshd.knownHosts()));
      } finally {
        done.set(true);
      }
      assertEquals(0, r.exitCode(), r::toString);
      assertTrue(r.out().contains("\"who.stdout\": \"root\""), r::toString);
      List<String> leaks = seen.get(30, TimeUnit.SECONDS);
      assertTrue(Integer.parseInt(leaks.get(0).split(" ")[0]) > 10, "ps sampled during the run: " + leaks.get(0));
      assertEquals(List.of(), leaks.subList(1, leaks.size()), "the password on a command line");
      assertTrue(sshd.log().contains("Accepted password for " + users.withPassword()), "logged in with the password");
      assertFalse(sshd.log().contains(users.password()), "sshd's log");
      assertFalse(r.out().contains(users.password()) || r.err().contains(users.password()), r::toString);
    }
  }

  private static String ps() {
    try {
      Process p = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
