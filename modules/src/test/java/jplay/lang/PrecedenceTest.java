package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variable precedence, source by source (docs/variables.md), magic variables, and lazy recursive templating, over
 * SSH. Source number i defines v{i}..v{N} with its own name as the value, so that v{k} must come from source k.
 */
class PrecedenceTest {
  /** The sources jplay has, lowest first. */
  private static final List<String> SOURCES = List.of(
      "role defaults", "inventory", "play vars", "vars_files", "role vars", "block vars", "task vars", "set_fact",
      "role params", "extra vars");

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

  /** {@code v{from}: "name", ..., v{N}: "name"} as YAML flow-mapping entries. */
  private static String defines(int from) {
    List<String> entries = new ArrayList<>();
    for (int k = from; k <= SOURCES.size(); k++) {
      entries.add("v" + k + ": \"" + SOURCES.get(from - 1) + "\"");
    }
    return "{" + String.join(", ", entries) + "}";
  }

  @Test
  void eachSourceBeatsTheOnesBelowIt() {
    hosts.write("host_vars/h1.yml", defines(2).replace("}", ", ansible_system: inventory}") + "\n");
    hosts.write("prec/roles/prec/defaults/main.yml", defines(1) + "\n");
    hosts.write("prec/roles/prec/vars/main.yml", defines(5) + "\n");
    hosts.write("prec/vars.yml", defines(4) + "\n");
    List<String> checks = new ArrayList<>();
    for (int k = 1; k <= SOURCES.size(); k++) {
      checks.add("          - v" + k + " == '" + SOURCES.get(k - 1) + "'");
    }
    hosts.write("prec/roles/prec/tasks/main.yml", """
        - set_fact: SETFACT
        - vars: BLOCK
          block:
            - name: check
              vars: TASK
              assert:
                that:
        CHECKS
                  - ansible_system == 'Linux'
                  - ansible_distribution == 'play vars'
        """.replace("SETFACT", defines(8)).replace("BLOCK", defines(6)).replace("TASK", defines(7))
        .replace("CHECKS", String.join("\n", checks)));
    Path site = hosts.write("prec/site.yml", """
        - hosts: h1
          gather_facts: true
          vars: PLAY
          vars_files: [vars.yml]
          roles:
            - role: prec
              PARAMS
        """.replace("PLAY", defines(3).replace("}", ", ansible_distribution: 'play vars'}"))
        .replace("PARAMS", defines(9).replace("{", "").replace("}", "").replace(", ", "\n      ")));
    LangHosts.Run run = hosts.run(site, "-e", defines(10));
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("TASK [prec : check]"), run::toString);
  }

  @Test
  void runtimeValuesIncludeParamsAndLaterSettingsWin() {
    hosts.write("rt/inc.yml", """
        - assert:
            that:
              - shared == 'include param'
              - reg.stdout == 'registered'
              - loaded == 'include_vars'
        """);
    hosts.write("rt/loaded.yml", "loaded: include_vars\nshared: include_vars\n");
    Path site = hosts.write("rt/site.yml", """
        - hosts: h1
          gather_facts: false
          vars: {shared: play}
          tasks:
            - set_fact: {shared: set_fact, loaded: set_fact}
            - include_vars: loaded.yml
            - command: echo registered
              register: reg
            - assert:
                that: [shared == 'include_vars', loaded == 'include_vars']
            - include_tasks: inc.yml
              vars: {shared: include param}
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
  }

  @Test
  void magicVariables() {
    Path site = hosts.write("magic/site.yml", """
        - hosts: web
          gather_facts: false
          serial: 1
          vars: {x: "{{ inventory_hostname }}-x"}
          tasks:
            - file:
                path: "{{ work }}/magic-{{ inventory_hostname }}"
                state: touch
                mode: "{{ omit }}"
            - assert:
                that:
                  - inventory_hostname_short == inventory_hostname
                  - group_names == ['web']
                  - groups['web'] | length == 2
                  - hostvars['h2'].x == 'h2-x'
                  - ansible_play_hosts_all | length == 2
                  - ansible_play_batch == [inventory_hostname]
                  - play_hosts == [inventory_hostname]
                  - playbook_dir == 'DIR'
                  - not ansible_check_mode
                  - role_path is not defined
        """.replace("DIR", hosts.dir.resolve("magic").toString()));
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
  }

  @Test
  void variablesReferringToVariablesAreRenderedLazily() {
    Path site = hosts.write("lazy/site.yml", """
        - hosts: h1
          gather_facts: false
          vars:
            a: "{{ b }}"
            b: "{{ c }} and {{ d.e }}"
            c: deep
            d: {e: "{{ c | upper }}"}
            unused: "{{ not_defined_anywhere }}"
            loop1: "{{ loop2 }}"
            loop2: "{{ loop1 }}"
          tasks:
            - assert:
                that: a == 'deep and DEEP'
            - name: a cycle is an error that names it
              debug: msg="{{ loop1 }}"
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.out().contains("ok: [h1] => {\n    \"changed\": false,\n    \"msg\": \"All assertions passed\""),
        "an undefined variable in a value nobody reads is no error: " + run);
    assertTrue(run.out().contains("recursive loop detected in template"), run::toString);
    assertTrue(run.out().contains("loop1 -> loop2 -> loop1"), run::toString);
  }
}
