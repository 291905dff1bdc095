package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loops over SSH: loop, the with_* lookups, loop_control, register with results, until/retries/delay. */
class LoopsTest {
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
  void loopRunsTheModuleOncePerItemAndRegistersTheResults() {
    Path site = hosts.write("loop.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: touch
              file: path={{ work }}/loop-{{ inventory_hostname }}-{{ item }} state=touch
              loop: [a, b]
              register: touched
            - assert:
                that:
                  - touched.results | length == 2
                  - touched.results[0].item == 'a'
                  - touched.results[1].ansible_loop_var == 'item'
                  - touched.changed
                  - touched.msg == 'All items completed'
                  - touched.failed is not defined
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    for (String h : new String[] {"h1", "h2"}) {
      for (String item : new String[] {"a", "b"}) {
        assertTrue(Files.exists(hosts.dir.resolve("loop-" + h + "-" + item)), h + " " + item);
      }
    }
    assertTrue(run.out().contains("changed: [h1] => (item=a)\n"), run::toString);
    assertEquals("h1 : ok=2 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", run.recap("h1"));
  }

  @Test
  void lookupsGiveAnsiblesItems() {
    hosts.write("globs/files/one.conf", "1");
    hosts.write("globs/files/two.conf", "2");
    hosts.write("globs/files/skip.txt", "x");
    Path site = hosts.write("globs/lookups.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - set_fact: {flat: "{{ flat | default([]) + [item] }}"}
              with_items: [[1, 2], 3]
            - set_fact: {listed: "{{ listed | default([]) + [item] }}"}
              with_list: [[1, 2], 3]
            - set_fact: {indexed: "{{ indexed | default([]) + [item] }}"}
              with_indexed_items: [x, y]
            - set_fact: {seq: "{{ seq | default([]) + [item] }}"}
              with_sequence: start=2 count=3 format=n%02d
            - set_fact: {confs: "{{ confs | default([]) + [item] }}"}
              with_fileglob: "*.conf"
            - set_fact: {pairs: "{{ pairs | default([]) + [item.key ~ '=' ~ item.value] }}"}
              with_dict: {a: 1, b: 2}
            - assert:
                that:
                  - flat | join(',') == '1,2,3'
                  - listed | length == 2 and listed[0] | join(',') == '1,2' and listed[1] == 3
                  - indexed[1][0] == 1 and indexed[1][1] == 'y' and indexed | length == 2
                  - seq | join(',') == 'n02,n03,n04'
                  - confs | length == 2
                  - pairs | join(',') == 'a=1,b=2'
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    Path files = hosts.dir.resolve("globs/files");
    assertTrue(run.out().contains("ok: [h1] => (item=" + files.resolve("one.conf") + ")\nok: [h1] => (item="
        + files.resolve("two.conf") + ")\n"), run::toString);
  }

  @Test
  void loopControlAndItemConditions() {
    Path site = hosts.write("control.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - name: numbered
              debug: msg="{{ idx }}:{{ fruit }} {{ ansible_loop.index }}/{{ ansible_loop.length }}"
              loop: [apple, pear]
              loop_control: {loop_var: fruit, index_var: idx, label: "{{ fruit | upper }}", extended: true}
              register: out
            - name: some skipped
              command: echo {{ item }}
              loop: [1, 2]
              when: item > 1
              register: picked
            - name: none left
              command: echo {{ item }}
              loop: "{{ [] }}"
            - assert:
                that:
                  - out.results[1].msg == '1:pear 2/2'
                  - picked.results[0].skipped
                  - picked.results[1].stdout == '2'
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("ok: [h1] => (item=APPLE) => {\n    \"msg\": \"0:apple 1/2\"\n}"), run::toString);
    assertTrue(run.out().contains("skipping: [h1] => (item=1) \nchanged: [h1] => (item=2)\n"), run::toString);
    assertTrue(run.out().contains("TASK [none left] ***"), run::toString);
    assertEquals("h1 : ok=3 changed=1 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", run.recap("h1"));
  }

  @Test
  void aFailedItemFailsTheTaskButTheOtherItemsRun() {
    Path site = hosts.write("itemfail.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - command: "test {{ item }} = b"
              loop: [a, b]
            - debug: msg=never
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.out().contains("failed: [h1] (item=a) => {\"ansible_loop_var\": \"item\""), run::toString);
    assertTrue(run.out().contains("changed: [h1] => (item=b)"), run::toString);
    assertTrue(!run.out().contains("never"), run::toString);
    assertEquals("h1 : ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", run.recap("h1"));
  }

  @Test
  void loopOverAStringIsAnsiblesError() {
    Path site = hosts.write("badloop.yml", """
        - hosts: h1
          gather_facts: false
          vars: {word: abc}
          tasks:
            - debug: msg={{ item }}
              loop: "{{ word }}"
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.out().contains("Invalid data passed to 'loop', it requires a list, got this instead: abc."),
        run::toString);
  }

  @Test
  void untilRetriesUntilTheConditionHolds() {
    Path site = hosts.write("until.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - name: third time lucky
              shell: "n=$(cat {{ work }}/count 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{ work }}/count; echo $n"
              register: r
              until: r.stdout == '3'
              retries: 5
              delay: 0
            - assert:
                that: r.attempts == 3
            - name: never
              command: "false"
              register: f
              until: f.rc == 0
              retries: 1
              delay: 0
              ignore_errors: true
            - assert:
                that: [f.attempts == 2, f.failed]
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("FAILED - RETRYING: [h1]: third time lucky (5 retries left).\n"
        + "FAILED - RETRYING: [h1]: third time lucky (4 retries left).\nchanged: [h1]"), run::toString);
    assertTrue(run.out().contains("FAILED - RETRYING: [h1]: never (1 retries left).\nfatal: [h1]: FAILED!"),
        run::toString);
  }
}
