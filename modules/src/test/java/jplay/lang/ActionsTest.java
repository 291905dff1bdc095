package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's actions over SSH: set_fact (cacheable), assert, fail, meta, pause; checked against Ansible 2.14. */
class ActionsTest {
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

  @Test
  void setFactMetaAndFailAsAnsible() {
    Path site = hosts.write("acts.yml", """
        - hosts: web
          gather_facts: false
          tasks:
            - set_fact: {plain: 1, cached: 2}
            - set_fact: {cached_fact: 3, cacheable: true}
            - assert:
                that:
                  - plain == 1
                  - ansible_facts.cached_fact == 3
                  - ansible_facts.plain is not defined
            - fail: msg=down
              when: inventory_hostname == 'h1'
            - meta: clear_host_errors
            - debug: msg=back
            - meta: end_host
              when: inventory_hostname == 'h2'
            - debug: msg=only-h1
            - meta: end_play
            - debug: msg=never
        - hosts: web
          gather_facts: false
          tasks:
            - debug: msg=next-play
        """);
    LangHosts.Run run = hosts.run(site);
    // h1 failed, but clear_host_errors forgave it: it is back for the next play, and the run is a success.
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("fatal: [h1]: FAILED! => {\"changed\": false, \"msg\": \"down\"}"), run::toString);
    assertFalse(run.out().contains("only-h1"), run::toString);
    assertFalse(run.out().contains("never"), run::toString);
    assertTrue(run.out().contains("ok: [h1] => {\n    \"msg\": \"next-play\"\n}"), run::toString);
    assertEquals("h1 : ok=4 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", run.recap("h1"));
    assertEquals("h2 : ok=5 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", run.recap("h2"));
  }

  @Test
  void assertMessagesAndPause() {
    Path site = hosts.write("assert.yml", """
        - hosts: web
          gather_facts: false
          tasks:
            - name: pause once for all
              pause: {seconds: 1}
              register: paused
            - name: every host sees the pause's result (Ansible registers it on the first host only)
              assert:
                that: paused.stdout == 'Paused for 1.0 seconds'
            - name: custom messages
              assert:
                that: ["inventory_hostname == 'h1'"]
                success_msg: "fine on {{ inventory_hostname }}"
                fail_msg: "not h1: {{ inventory_hostname }}"
              ignore_errors: true
            - name: quiet
              assert: {that: true, quiet: true}
        """);
    long start = System.nanoTime();
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(System.nanoTime() - start >= 1_000_000_000L, "pause waits");
    assertTrue(run.out().contains("\nPausing for 1 seconds\nok: [h1]\n\nTASK ["), run::toString);
    assertTrue(run.out().contains("ok: [h1] => {\n    \"changed\": false,\n    \"msg\": \"fine on h1\"\n}"),
        run::toString);
    assertTrue(run.out().contains("fatal: [h2]: FAILED! => {\n    \"assertion\": \"inventory_hostname == 'h1'\",\n"
        + "    \"changed\": false,\n    \"evaluated_to\": false,\n    \"msg\": \"not h1: h2\"\n}\n...ignoring"),
        run::toString);
    String quiet = run.out().substring(run.out().indexOf("TASK [quiet]"), run.out().indexOf("PLAY RECAP"));
    assertFalse(quiet.contains("msg"), "a quiet assert shows no message: " + quiet);
  }
}
