package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reuse over SSH: roles (files, dependencies, params, roles path, include_role, import_role), import_tasks,
 * include_tasks, import_playbook, vars_files, include_vars, pre_tasks/post_tasks, and cycles reported with their
 * chain.
 */
class ReuseTest {
  private static LangHosts hosts;

  @BeforeAll
  static void start(@TempDir Path dir) {
    hosts = new LangHosts(2, dir);
    hosts.write("reuse/roles/app/tasks/main.yml", """
        - name: app
          debug: msg="app {{ app_port }} {{ app_name }} {{ common_flag }}"
          changed_when: true
          notify: app handler
        """);
    hosts.write("reuse/roles/app/tasks/extra.yml", """
        - name: extra
          debug: msg="extra from {{ role_name }}"
        """);
    hosts.write("reuse/roles/app/handlers/main.yml", """
        - name: app handler
          debug: msg="handled {{ app_name }}"
        """);
    hosts.write("reuse/roles/app/defaults/main.yml", "app_port: 80\napp_name: default\n");
    hosts.write("reuse/roles/app/vars/main.yml", "app_name: from-vars\n");
    hosts.write("reuse/roles/app/meta/main.yml", "dependencies:\n  - role: common\n    common_flag: set-by-app\n");
    hosts.write("reuse/roles/common/tasks/main.yml", "- name: common\n  debug: msg=\"common {{ common_flag }}\"\n");
    hosts.write("reuse/roles/common/defaults/main.yml", "common_flag: unset\n");
    hosts.write("shared-roles/elsewhere/tasks/main.yml", "- name: elsewhere\n  debug: msg=elsewhere\n");
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
  }

  private static List<String> taskLines(LangHosts.Run run) {
    return run.out().lines().filter(l -> l.startsWith("TASK [") || l.startsWith("RUNNING HANDLER ["))
        .map(l -> l.substring(0, l.indexOf(']') + 1)).toList();
  }

  @Test
  void rolesWithDependenciesParamsAndSectionsInAnsiblesOrder() {
    Path site = hosts.write("reuse/roles.yml", """
        - hosts: h1
          gather_facts: false
          pre_tasks:
            - name: pre
              debug: msg=pre
          roles:
            - role: app
              app_port: 8080
            - role: app
              app_port: 8080
          tasks:
            - name: task
              debug: msg=task
            - name: import a role
              import_role: {name: app, tasks_from: extra}
            - name: include a role by a name known at run time
              include_role: {name: "{{ which }}"}
              vars: {which: app}
          post_tasks:
            - name: post
              debug: msg=post
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(List.of("TASK [pre]", "TASK [common : common]", "TASK [app : app]", "TASK [task]",
        "TASK [app : extra]", "TASK [include a role by a name known at run time]",
        "TASK [app : app]", "RUNNING HANDLER [app : app handler]", "TASK [post]"), taskLines(run));
    assertTrue(run.out().contains("\"msg\": \"app 8080 from-vars unset\""),
        "a dependency's params are its own: " + run);
    assertTrue(run.out().contains("\"msg\": \"app 80 from-vars unset\""), "include_role has no params: " + run);
    assertEquals(1, run.out().split("common set-by-app", -1).length - 1, "a dependency runs once: " + run);
    assertTrue(run.out().contains("\"msg\": \"extra from app\""), run::toString);
    assertTrue(run.out().contains("\"msg\": \"handled from-vars\""), run::toString);
  }

  @Test
  void rolesAreFoundOnTheRolesPathToo() {
    Path site = hosts.write("reuse/path.yml", """
        - hosts: h1
          gather_facts: false
          roles: [elsewhere]
        """);
    LangHosts.Run missing = hosts.runWith(site, o -> o);
    assertEquals(4, missing.exitCode(), missing::toString);
    assertTrue(missing.err().contains("path.yml:3:11: role 'elsewhere' not found in ["), missing::toString);
    LangHosts.Run run = hosts.runWith(site, o -> o.withRolesPath(List.of(hosts.dir.resolve("shared-roles"))));
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("TASK [elsewhere : elsewhere]"), run::toString);
  }

  @Test
  void importsAndIncludes() {
    hosts.write("reuse/tasks/imported.yml", """
        - name: imported one
          set_fact: {switch: false}
        - name: imported two
          debug: msg="{{ greeting }}"
        """);
    hosts.write("reuse/tasks/included.yml", """
        - name: included
          debug: msg="{{ label }} {{ item | default('-') }}"
        - name: nested import, relative to this file
          import_tasks: nested.yml
        """);
    hosts.write("reuse/tasks/nested.yml", "- name: nested\n  debug: msg=nested\n");
    Path site = hosts.write("reuse/imports.yml", """
        - hosts: all
          gather_facts: false
          vars: {switch: true}
          tasks:
            - name: static import, its when on each task
              import_tasks: tasks/imported.yml
              when: switch
              vars: {greeting: hi}
            - name: dynamic include with vars, a loop and a when
              include_tasks: tasks/included.yml
              vars: {label: inc}
              loop: [1, 2]
              when: inventory_hostname == 'h1'
            - name: include by a name known at run time
              include_tasks: "tasks/{{ 'nested' }}.yml"
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    // switch is set false by the first imported task: the second one, which inherits 'when: switch', is skipped.
    // Results arrive in any host order; the banner is followed by both skips.
    String imported = run.out().substring(run.out().indexOf("TASK [imported two]"));
    List<String> lines = List.of(imported.split("\n")).subList(1, 3);
    assertEquals(java.util.Set.of("skipping: [h1]", "skipping: [h2]"), java.util.Set.copyOf(lines), run::toString);
    Path inc = hosts.dir.resolve("reuse/tasks/included.yml");
    assertTrue(run.out().contains("skipping: [h2]"), run::toString);
    assertTrue(run.out().contains("included: " + inc + " for h1 => (item=1)"), run::toString);
    assertTrue(run.out().contains("included: " + inc + " for h1 => (item=2)"), run::toString);
    assertTrue(run.out().contains("\"msg\": \"inc 2\""), run::toString);
    assertTrue(run.out().contains("included: " + hosts.dir.resolve("reuse/tasks/nested.yml") + " for h1, h2")
        || run.out().contains("included: " + hosts.dir.resolve("reuse/tasks/nested.yml") + " for h2, h1"),
        run::toString);
    // h1: imported one, 2 includes, 2 x (included, nested), nested include + nested = 9 ok; imported two skipped.
    assertEquals("h1 : ok=9 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", run.recap("h1"));
  }

  @Test
  void importPlaybookVarsFilesAndIncludeVars() {
    hosts.write("reuse/vars/common.yml", "from_file: common\nderived: \"{{ from_file }}-derived\"\n");
    hosts.write("reuse/vars/h1.yml", "per_host: one\n");
    hosts.write("reuse/vars/extra.yml", "extra_value: 42\nextra_ref: \"{{ from_file }}\"\n");
    hosts.write("reuse/child.yml", """
        - hosts: h1
          gather_facts: false
          vars_files:
            - vars/common.yml
            - ["vars/{{ inventory_hostname }}.yml", vars/common.yml]
          tasks:
            - include_vars: vars/extra.yml
            - include_vars: {file: vars/extra.yml, name: bundle}
            - assert:
                that:
                  - from_file == 'common'
                  - derived == 'common-derived'
                  - per_host == 'one'
                  - extra_value == 42
                  - extra_ref == 'common'
                  - bundle.extra_value == 42
                  - imported_var == 'given'
        """);
    Path site = hosts.write("reuse/parent.yml", """
        - import_playbook: child.yml
          vars: {imported_var: given}
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
  }

  @Test
  void cyclesAreReportedWithTheirChain() {
    hosts.write("reuse/cycle/a.yml", "- import_tasks: b.yml\n");
    hosts.write("reuse/cycle/b.yml", "- import_tasks: a.yml\n");
    hosts.write("reuse/cycle/roles/x/meta/main.yml", "dependencies: [y]\n");
    hosts.write("reuse/cycle/roles/x/tasks/main.yml", "- debug: msg=x\n");
    hosts.write("reuse/cycle/roles/y/meta/main.yml", "dependencies: [x]\n");
    hosts.write("reuse/cycle/roles/y/tasks/main.yml", "- debug: msg=y\n");
    Path site = hosts.write("reuse/cycle/site.yml", """
        - hosts: h1
          gather_facts: false
          roles: [x]
          tasks:
            - import_tasks: a.yml
        """);
    int before = hosts.sshd.connectionCount();
    LangHosts.Run run = hosts.run(site);
    assertEquals(4, run.exitCode(), run::toString);
    Path dir = hosts.dir.resolve("reuse/cycle");
    assertTrue(run.err().contains(dir.resolve("roles/y/meta/main.yml") + ":1:16: role dependency cycle: role x"
        + " -> role y -> role x"), run::toString);
    assertTrue(run.err().contains(dir.resolve("b.yml") + ":1:17: include cycle: a.yml -> b.yml -> a.yml"),
        run::toString);
    assertEquals(before, hosts.sshd.connectionCount(), "no host contacted");

    hosts.write("reuse/cycle/loop.yml", "- include_tasks: \"{{ 'loop' }}.yml\"\n");
    Path dynamic = hosts.write("reuse/cycle/dynamic.yml", """
        - hosts: h1
          gather_facts: false
          tasks:
            - include_tasks: "{{ 'loop' }}.yml"
        """);
    LangHosts.Run loop = hosts.run(dynamic);
    assertEquals(2, loop.exitCode(), loop::toString);
    assertTrue(loop.out().contains("include cycle: " + dir.resolve("loop.yml") + " -> " + dir.resolve("loop.yml")),
        loop::toString);
    assertFalse(loop.out().contains("StackOverflow"), loop::toString);
  }
}
