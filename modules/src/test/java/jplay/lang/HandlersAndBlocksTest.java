package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handlers (notify, listen, order, flush points, force) and block/rescue/always, over SSH. */
class HandlersAndBlocksTest {
  private static LangHosts hosts;

  @BeforeAll
  static void start(@TempDir Path dir) {
    hosts = new LangHosts(2, dir);
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
  }

  /** The banners of the run, in order: "TASK [x]" and "RUNNING HANDLER [y]". */
  private static String banners(LangHosts.Run run) {
    StringBuilder sb = new StringBuilder();
    for (String line : run.out().split("\n")) {
      if (line.startsWith("TASK [") || line.startsWith("RUNNING HANDLER [")) {
        sb.append(line, 0, line.indexOf(']') + 1).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void handlersRunOncePerSectionInDefinitionOrderOnTheHostsThatNotified() {
    Path site = hosts.write("handlers.yml", """
        - hosts: all
          gather_facts: false
          handlers:
            - name: first
              debug: msg="first on {{ inventory_hostname }}"
            - name: second
              debug: msg=second
              listen: topic
            - name: unused
              debug: msg=unused
          pre_tasks:
            - name: pre
              debug: msg=pre
              changed_when: true
              notify: second
          tasks:
            - name: notify in reverse order
              debug: msg=x
              changed_when: true
              notify: [topic, first]
            - name: only h2 changes
              debug: msg=x
              changed_when: inventory_hostname == 'h2'
              notify: first
            - name: not changed, no notification
              debug: msg=x
              notify: unused
            - name: flush now
              meta: flush_handlers
            - name: after flush
              debug: msg=after
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("""
        TASK [pre]
        RUNNING HANDLER [second]
        TASK [notify in reverse order]
        TASK [only h2 changes]
        TASK [not changed, no notification]
        TASK [flush now]
        RUNNING HANDLER [first]
        RUNNING HANDLER [second]
        TASK [after flush]
        """, banners(run));
    assertFalse(run.out().contains("unused"), run::toString);
    assertEquals("h1 : ok=8 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", run.recap("h1"));
  }

  @Test
  void aFailedHostRunsNoHandlerUnlessForced() {
    Path site = hosts.write("force.yml", """
        - hosts: all
          gather_facts: false
          handlers:
            - name: restart
              debug: msg="restart {{ inventory_hostname }}"
          tasks:
            - debug: msg=change
              changed_when: true
              notify: restart
            - fail: msg=down
              when: inventory_hostname == 'h1'
        """);
    LangHosts.Run plain = hosts.run(site);
    assertEquals(2, plain.exitCode(), plain::toString);
    assertTrue(plain.out().contains("\"msg\": \"restart h2\""), plain::toString);
    assertFalse(plain.out().contains("restart h1"), plain::toString);
    LangHosts.Run forced = hosts.runWith(site, o -> o.withForceHandlers(true));
    assertEquals(2, forced.exitCode(), forced::toString);
    assertTrue(forced.out().contains("\"msg\": \"restart h1\""), forced::toString);
  }

  @Test
  void rescueTakesOverFailuresAndAlwaysRunsForEveryHost() {
    Path site = hosts.write("blocks.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: outer
              vars: {level: outer}
              block:
                - name: inner
                  when: inventory_hostname == 'h1'
                  block:
                    - name: inherited
                      debug: msg="{{ level }}"
                    - name: boom
                      fail: msg="boom {{ level }}"
                    - name: not reached
                      debug: msg=never
                  always:
                    - name: inner always
                      debug: msg=inner-always
                - name: h2 goes on
                  debug: msg=on
              rescue:
                - name: rescued
                  assert:
                    that:
                      - ansible_failed_task.name == 'boom'
                      - ansible_failed_result.msg == 'boom outer'
              always:
                - name: outer always
                  debug: msg=always
            - name: after the block
              debug: msg=after
            - name: unrescued
              block:
                - fail: msg=again
                  when: inventory_hostname == 'h1'
              always:
                - name: always even for the failed host
                  debug: msg=still
            - name: h1 is gone
              debug: msg=gone
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertFalse(run.out().contains("never"), run::toString);
    assertTrue(run.out().contains("skipping: [h2]"), "the inner block's when is inherited: " + run);
    assertTrue(run.out().contains("ok: [h1] => {\n    \"msg\": \"still\"\n}"), run::toString);
    assertFalse(run.out().contains("ok: [h1] => {\n    \"msg\": \"gone\"\n}"), run::toString);
    // As ansible-playbook 2.14 counts them (checked): boom is rescued, again failed.
    assertEquals("h1 : ok=6 changed=0 unreachable=0 failed=1 skipped=0 rescued=1 ignored=0", run.recap("h1"));
    assertEquals("h2 : ok=5 changed=0 unreachable=0 failed=0 skipped=5 rescued=0 ignored=0", run.recap("h2"));
  }

  @Test
  void aFailingRescueLeavesTheHostFailed() {
    Path site = hosts.write("rescuefail.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - block:
                - fail: msg=one
              rescue:
                - fail: msg=two
              always:
                - debug: msg=always
            - debug: msg=never
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertFalse(run.out().contains("never"), run::toString);
    assertEquals("h1 : ok=1 changed=0 unreachable=0 failed=1 skipped=0 rescued=1 ignored=0", run.recap("h1"));
  }
}
