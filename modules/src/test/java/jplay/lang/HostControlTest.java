package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where and how often tasks run, over SSH: run_once, delegate_to (with delegate_facts), local_action,
 * any_errors_fatal, max_fail_percentage, throttle, strategy: free, ignore_unreachable. The hosts are all this
 * machine, reached at different addresses: {@code $SSH_CONNECTION} says which address a command came in on.
 */
class HostControlTest {
  private static LangHosts hosts;

  @BeforeAll
  static void start(@TempDir Path dir) {
    hosts = new LangHosts(3, dir, true);
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
  }

  private static String address(int host) {
    return hosts.sshd.addresses().get(host - 1);
  }

  @Test
  void delegateToRunsOnTheOtherHostWithTheTasksVariables() {
    Path site = hosts.write("delegate.yml", """
        - hosts: h2
          gather_facts: false
          tasks:
            - name: where
              shell: "echo {{ inventory_hostname }} $(echo $SSH_CONNECTION | cut -d' ' -f3)"
              delegate_to: h1
              register: where
            - name: local
              local_action: command echo local
              register: local
            - name: facts for h1
              set_fact: {told: "by {{ inventory_hostname }}"}
              delegate_to: h1
              delegate_facts: true
            - assert:
                that:
                  - where.stdout == 'h2 ADDR1'
                  - local.stdout == 'local'
                  - hostvars['h1'].told == 'by h2'
                  - told is not defined
        """.replace("ADDR1", address(1)));
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("changed: [h2 -> h1]"), run::toString);
    assertTrue(run.out().contains("changed: [h2 -> localhost]"), run::toString);
  }

  @Test
  void runOnceRunsOnTheFirstHostAndEveryHostSeesTheResult() {
    Path site = hosts.write("once.yml", """
        - hosts: web
          gather_facts: false
          tasks:
            - name: once
              shell: "echo x >> {{ work }}/once.txt; echo $SSH_CONNECTION | cut -d' ' -f3"
              run_once: true
              register: once
            - assert:
                that: once.stdout == 'ADDR1'
        """.replace("ADDR1", address(1)));
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("changed: [h1]\n\nTASK [assert]"), run::toString);
    assertFalse(run.out().contains("changed: [h2]"), run::toString);
    try {
      assertEquals("x\n", Files.readString(hosts.dir.resolve("once.txt")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anyErrorsFatalEndsTheRun() {
    Path site = hosts.write("fatal.yml", """
        - hosts: web
          gather_facts: false
          any_errors_fatal: true
          tasks:
            - fail: msg=x
              when: inventory_hostname == 'h1'
            - debug: msg=after
        - hosts: web
          gather_facts: false
          tasks:
            - debug: msg=second
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.out().contains("NO MORE HOSTS LEFT ***"), run::toString);
    assertFalse(run.out().contains("after"), run::toString);
    assertFalse(run.out().contains("second"), run::toString);
    assertEquals("h2 : ok=0 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", run.recap("h2"));
  }

  @Test
  void maxFailPercentageEndsTheRunWhenExceeded() {
    Path site = hosts.write("maxfail.yml", """
        - hosts: web
          gather_facts: false
          max_fail_percentage: 40
          tasks:
            - fail: msg=x
              when: inventory_hostname == 'h1'
            - debug: msg="one of three is below 40%"
            - fail: msg=y
              when: inventory_hostname == 'h2'
            - debug: msg=never
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.out().contains("one of three"), run::toString);
    assertFalse(run.out().contains("never"), run::toString);
    assertTrue(run.out().contains("NO MORE HOSTS LEFT"), run::toString);
  }

  @Test
  void throttleLimitsHowManyHostsRunTheTaskAtOnce() throws IOException {
    Path site = hosts.write("throttle.yml", """
        - hosts: web
          gather_facts: false
          tasks:
            - shell: "date +%s%N > {{ work }}/t-{{ inventory_hostname }}.start; sleep 0.3; date +%s%N > {{ work }}/t-{{ inventory_hostname }}.end"
              throttle: 1
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    List<long[]> spans = new java.util.ArrayList<>();
    for (String h : List.of("h1", "h2", "h3")) {
      spans.add(new long[] {
          Long.parseLong(Files.readString(hosts.dir.resolve("t-" + h + ".start")).strip()),
          Long.parseLong(Files.readString(hosts.dir.resolve("t-" + h + ".end")).strip())});
    }
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < spans.size(); i++) {
      assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1], "the commands overlapped: " + run);
    }
  }

  @Test
  void freeStrategyLetsAFastHostRunAhead() {
    Path site = hosts.write("free.yml", """
        - hosts: h1:h2
          gather_facts: false
          strategy: free
          tasks:
            - name: slow on h1
              shell: "sleep {{ 2 if inventory_hostname == 'h1' else 0 }}"
            - name: second
              debug: msg="{{ inventory_hostname }} second"
            - name: third
              debug: msg="{{ inventory_hostname }} third"
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    int h2Third = run.out().indexOf("\"msg\": \"h2 third\"");
    int h1Slow = run.out().indexOf("changed: [h1]");
    assertTrue(h2Third > 0 && h1Slow > h2Third, "h2 should finish before h1's slow task: " + run);
  }

  @Test
  void ignoreUnreachableLetsTheHostGoOn() {
    Path site = hosts.write("unreach.yml", """
        - hosts: broken
          gather_facts: false
          tasks:
            - name: cannot connect
              command: "true"
              ignore_unreachable: true
            - name: local work still happens
              debug: msg="still here"
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("fatal: [ghost]: UNREACHABLE!"), run::toString);
    assertTrue(run.out().contains("still here"), run::toString);
    assertEquals("ghost : ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", run.recap("ghost"));
  }

  @Test
  void becomeKeywordsAreTemplatesRenderedWithTheTasksVariables() {
    jplay.engine.testing.Sshd.require(jplay.engine.testing.Sshd.isRoot() && Files.isExecutable(Path.of("/usr/bin/sudo")),
        "become over ssh needs root (to sudo to another user without a password) and sudo");
    Path site = hosts.write("become-templated.yml", """
        - hosts: h1
          gather_facts: false
          become: "{{ escalate }}"
          vars:
            escalate: true
            who: nobody
          tasks:
            - command: id -un
              become_user: "{{ who }}"
              register: as_nobody
            - command: id -un
              become: "{{ not escalate }}"
              register: as_login
            - assert:
                that:
                  - as_nobody.stdout == 'nobody'
                  - as_login.stdout != 'nobody'
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("h1 : ok=3 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", run.recap("h1"));
  }
}
