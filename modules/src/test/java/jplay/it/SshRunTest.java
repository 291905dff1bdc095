package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spine end to end: jplay's command line runs playbooks over real SSH against a real OpenSSH sshd on
 * loopback, reached as five hosts (127.0.0.2-6), with a sixth host that nothing answers for.
 */
class SshRunTest {
  private static Sshd sshd;
  private static Path inventory;
  private static Path work;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    sshd = Sshd.start(5);
    work = dir;
    // The sshd user (root in CI) must be able to write here.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    StringBuilder ini = new StringBuilder();
    ini.append("[web]\n");
    for (int i = 1; i <= 3; i++) {
      ini.append(host(i)).append('\n');
    }
    ini.append("[db]\n");
    for (int i = 4; i <= 5; i++) {
      ini.append(host(i)).append('\n');
    }
    // 127.0.0.77: sshd listens on .2-.6 only, so this connection is refused at once.
    ini.append("[broken]\nghost ansible_host=127.0.0.77 ansible_port=").append(sshd.port()).append('\n');
    ini.append("[all:vars]\nansible_user=").append(sshd.user()).append('\n');
    ini.append("ansible_ssh_private_key_file=").append(sshd.clientKey()).append('\n');
    ini.append("work=").append(work).append('\n');
    inventory = dir.resolve("hosts.ini");
    Files.writeString(inventory, ini.toString());
  }

  private static String host(int i) {
    return "h" + i + " ansible_host=" + sshd.addresses().get(i - 1) + " ansible_port=" + sshd.port();
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private static List<String> args(Path playbook, String... more) {
    List<String> a = new ArrayList<>(List.of(
        playbook.toString(), "-i", inventory.toString(), "--known-hosts", sshd.knownHosts().toString(),
        "--color", "never", "--no-timing"));
    a.addAll(List.of(more));
    return a;
  }

  private static Path playbook(String name, String yaml) throws IOException {
    Path p = work.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void runsOnFiveHostsAndReportsTheUnreachableOne() throws IOException {
    Path site = playbook("site.yml", """
        - name: spine
          hosts: all
          gather_facts: no
          tasks:
            - name: reach
              ping:
            - name: a directory per host
              file:
                path: "{{ work }}/{{ inventory_hostname }}"
                state: directory
                mode: 0750
            - name: a file in it
              file: path={{ work }}/{{ inventory_hostname }}/touched state=touch
            - name: write through the shell
              shell: cat > out.txt
              args:
                chdir: "{{ work }}/{{ inventory_hostname }}"
                stdin: "hello from {{ inventory_hostname }}"
                creates: "{{ work }}/{{ inventory_hostname }}/out.txt"
            - name: who am i
              command: id -un
              register: who
              changed_when: false
            - name: report
              debug:
                msg: "{{ inventory_hostname }} is {{ who.stdout }}"
            - name: fail on the db hosts
              command: /bin/false
              when: "'db' in group_names"
            - name: only web hosts get here
              file: path={{ work }}/{{ inventory_hostname }}/web-only state=touch
        """);
    Jplay first = Jplay.run(args(site));
    assertEquals(4, first.exitCode(), first::toString);
    for (int i = 1; i <= 5; i++) {
      Path d = work.resolve("h" + i);
      assertTrue(Files.isDirectory(d), "directory for h" + i);
      assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
      assertEquals("hello from h" + i + "\n", Files.readString(d.resolve("out.txt")), "stdin_add_newline");
      assertEquals(i <= 3, Files.exists(d.resolve("web-only")), "web-only for h" + i);
    }
    assertFalse(Files.exists(work.resolve("ghost")));
    assertTrue(first.out().contains("fatal: [ghost]: UNREACHABLE!"), first::toString);
    assertTrue(first.out().contains("\"msg\": \"h1 is " + sshd.user() + "\""), first::toString);
    assertEquals("h1 : ok=7 changed=4 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", first.recap("h1"));
    assertEquals("h4 : ok=6 changed=3 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", first.recap("h4"));
    assertEquals("ghost : ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0",
        first.recap("ghost"));

    // Second run, only the web hosts: everything but touch is already as asked.
    Jplay second = Jplay.run(args(site, "-l", "web"));
    assertEquals(0, second.exitCode(), second::toString);
    assertEquals("h2 : ok=7 changed=2 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", second.recap("h2"));
    assertFalse(second.out().contains("ghost"), second::toString);
    // One connection per host for the whole run.
  }

  @Test
  void checkModeChangesNothing() throws IOException {
    Path site = playbook("check.yml", """
        - hosts: web
          gather_facts: false
          tasks:
            - file: path={{ work }}/check-{{ inventory_hostname }} state=directory
            - command: touch {{ work }}/check-cmd-{{ inventory_hostname }}
        """);
    Jplay run = Jplay.run(args(site, "--check"));
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("changed: [h1]"), run::toString);
    assertTrue(run.out().contains("skipping: [h1]"), run::toString);
    for (int i = 1; i <= 3; i++) {
      assertFalse(Files.exists(work.resolve("check-h" + i)));
      assertFalse(Files.exists(work.resolve("check-cmd-h" + i)));
    }
  }

  @Test
  void serialRunsInBatchesAndAFailedHostLeavesThePlay() throws IOException {
    Path site = playbook("serial.yml", """
        - hosts: web:db
          gather_facts: false
          serial: 2
          tasks:
            - command: "test {{ inventory_hostname }} != h2"
            - file: path={{ work }}/serial-{{ inventory_hostname }} state=touch
        """);
    Jplay run = Jplay.run(args(site));
    assertEquals(2, run.exitCode(), run::toString);
    assertEquals(3, run.out().split("PLAY \\[web:db\\]", -1).length - 1, run::toString);
    assertFalse(Files.exists(work.resolve("serial-h2")));
    for (String h : List.of("h1", "h3", "h4", "h5")) {
      assertTrue(Files.exists(work.resolve("serial-" + h)), h);
    }
  }

  @Test
  void aBadPlaybookTouchesNoHost() throws IOException {
    int before = sshd.connectionCount();
    Path site = playbook("bad.yml", """
        - hosts: all
          tasks:
            - name: typo
              file:
                path: /tmp/x
                stat: touch
        """);
    Jplay run = Jplay.run(args(site));
    assertEquals(4, run.exitCode(), run::toString);
    assertTrue(run.err().contains(site + ":6:9: unknown parameter 'stat' for file (did you mean 'state'?)"),
        run::toString);
    assertEquals(before, sshd.connectionCount(), "no host contacted");
  }

  @Test
  void becomeRunsTasksAsAnotherUserThroughSudo() throws IOException {
    Sshd.require(Sshd.isRoot() && Files.isExecutable(Path.of("/usr/bin/sudo")),
        "become over ssh needs root (to sudo to another user without a password) and sudo");
    Path site = playbook("become.yml", """
        - hosts: h1:h2
          gather_facts: false
          tasks:
            - command: id -un
              register: who
            - debug: msg="{{ who.stdout }}"
        """);
    Jplay run = Jplay.run(args(site, "-b", "--become-user", "nobody"));
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(2, run.out().split("\"msg\": \"nobody\"", -1).length - 1, run::toString);
  }

  @Test
  void gathersFactsByDefault() throws IOException {
    Path site = playbook("facts.yml", """
        - hosts: h3
          tasks:
            - debug: msg="{{ ansible_facts['kernel'] }} {{ ansible_hostname }}"
        """);
    Jplay run = Jplay.run(args(site));
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("TASK [Gathering Facts]"), run::toString);
    String kernel = System.getProperty("os.version");
    assertTrue(run.out().contains("\"msg\": \"" + kernel + " "), run::toString);
  }
}
