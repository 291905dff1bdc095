package jplay.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template that fails names the expression, what is missing, and where the expression is written: the
 * file:line:column of the {@code {{ }}} (or of the bare condition) inside the YAML file, whatever the scalar's
 * style, and the file:line inside a {@code template} module's .j2 file.
 */
class TemplateErrorsTest {
  private static LangHosts hosts;

  @BeforeAll
  static void start(@TempDir Path dir) {
    hosts = new LangHosts(1, dir);
  }

  @AfterAll
  static void stop() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void undefinedValuesAreReportedWhereTheExpressionIsWritten() {
    hosts.write("templates/app.j2", "first\nsecond {{ cfg.a }}\nthird {{ cfg.nothere }}\n");
    Path site = hosts.write("errors.yml", """
        - hosts: h1
          gather_facts: false
          vars:
            cfg: {a: 1}
          tasks:
            - debug:
                msg: port is {{ cfg.port }} ok
              ignore_errors: true
            - debug:
                msg: "quoted {{ cfg['port'] }}"
              ignore_errors: true
            - debug: msg="x {{ nope }}"
              ignore_errors: true
            - debug:
                msg: |
                  line one
                  and {{ cfg.a }} then {{ missing_var | upper }}
              ignore_errors: true
            - debug: msg=hi
              when: cfg.zzz == 1
              ignore_errors: true
            - template: src=app.j2 dest={{ work }}/app.conf
              ignore_errors: true
        """);
    LangHosts.Run run = hosts.run(site);
    assertEquals(0, run.exitCode(), run::toString);
    String f = site.toString();
    for (String expected : new String[] {
        f + ":7:22: 'cfg' has no attribute 'port' in 'port is {{ cfg.port }} ok'",
        f + ":10:22: 'cfg' has no attribute 'port' in 'quoted {{ cfg['port'] }}'",
        f + ":12:21: 'nope' is undefined in 'x {{ nope }}'",
        f + ":17:32: 'missing_var' is undefined in 'line one\\\\nand {{ cfg.a }} then {{ missing_var | upper }}'",
        f + ":20:13: 'cfg' has no attribute 'zzz' in '{{ cfg.zzz == 1 }}'",
        site.getParent().resolve("templates/app.j2") + ":3: 'cfg' has no attribute 'nothere' in '...'"}) {
      assertTrue(run.out().contains(expected), () -> "no " + expected + " in\n" + run);
    }
  }
}
