package jplay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** command, shell, raw and script for real, over SSH, on the five loopback hosts. */
class CommandRealTest {
  @TempDir static Path dir;
  private static Lab lab;

  @BeforeAll
  static void start() {
    lab = new Lab(dir);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void chdirThatIsMissingFailsWithAnsiblesMessageOnEveryHost() {
    Lab.Run run = lab.play("chdir.yml", """
        - hosts: all_hosts
          gather_facts: no
          tasks:
            - name: missing
              command: ls
              args: {chdir: "{{ work }}/no such dir"}
              ignore_errors: true
            - name: a file
              shell: echo hi
              args: {chdir: /etc/passwd}
              ignore_errors: true
            - name: check mode too
              command: ls
              args: {chdir: /nonexistent}
              check_mode: true
              ignore_errors: true
            - name: works
              command: pwd
              args: {chdir: "{{ work }}"}
            - name: home
              shell: pwd
              args: {chdir: "~"}
        """);
    assertEquals(0, run.exitCode(), run::toString);
    for (int i = 1; i <= 5; i++) {
      String h = "h" + i;
      Lab.Result missing = run.of(h, "missing");
      assertEquals("failed", missing.status(), run::toString);
      assertEquals("Unable to change directory before execution: [Errno 2] No such file or directory: b'"
          + lab.work + "/no such dir'", missing.msg());
      assertEquals(null, missing.get("rc"));
      assertEquals("Unable to change directory before execution: [Errno 20] Not a directory: b'/etc/passwd'",
          run.of(h, "a file").msg());
      assertEquals("Unable to change directory before execution: [Errno 2] No such file or directory:"
          + " b'/nonexistent'", run.of(h, "check mode too").msg());
      assertEquals(lab.work.toString(), run.of(h, "works").get("stdout"));
      assertEquals(System.getProperty("user.home"), run.of(h, "home").get("stdout"));
    }
  }

  @Test
  void commandShellAndRawReturnAnsiblesValues() {
    Lab.Run run = lab.play("values.yml", """
        - hosts: all_hosts
          gather_facts: no
          tasks:
            - name: argv keeps every word
              command:
                argv: [printf, "%s|", "a b", "$HOME", "it's"]
            - name: stdin without newline
              command: cat
              args: {stdin: "x{{ inventory_hostname }}", stdin_add_newline: false}
            - name: no strip
              shell: printf 'out\\n\\n'; printf 'err\\n' >&2
              args: {strip_empty_ends: false}
            - name: bash
              shell: echo "${BASH_VERSION:+bash}"
              args: {executable: /bin/bash}
            - name: raw
              raw: echo raw; exit 3
              ignore_errors: true
            - name: creates
              command: touch {{ work }}/created-{{ inventory_hostname }}
              args: {creates: "{{ work }}/created-{{ inventory_hostname }}"}
        """);
    assertEquals(0, run.exitCode(), run::toString);
    Lab.Result argv = run.of("h1", "argv keeps every word");
    assertEquals("changed", argv.status());
    assertEquals("a b|$HOME|it's|", argv.get("stdout"));
    assertEquals(List.of("printf", "%s|", "a b", "$HOME", "it's"), argv.get("cmd"));
    assertEquals(0, argv.get("rc"));
    assertTrue(String.valueOf(argv.get("delta")).matches("0:00:00\\.\\d{6}"), argv.data()::toString);
    assertTrue(String.valueOf(argv.get("start")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}"));
    assertEquals("xh3", run.of("h3", "stdin without newline").get("stdout"));
    Lab.Result noStrip = run.of("h2", "no strip");
    assertEquals("out\n\n", noStrip.get("stdout"));
    assertEquals("err\n", noStrip.get("stderr"));
    assertEquals(List.of("out", ""), noStrip.get("stdout_lines"));
    assertEquals("bash", run.of("h4", "bash").get("stdout"));
    Lab.Result raw = run.of("h5", "raw");
    assertEquals("failed", raw.status());
    assertEquals("non-zero return code", raw.msg());
    assertEquals(3, raw.get("rc"));
    assertEquals("raw\n", raw.get("stdout"));

    Lab.Run again = lab.play("values.yml", read("values.yml"));
    for (int i = 1; i <= 5; i++) {
      assertTrue(Files.exists(lab.work.resolve("created-h" + i)));
      Lab.Result creates = again.of("h" + i, "creates");
      assertEquals("ok", creates.status(), again::toString);
      assertEquals("Did not run command since '" + lab.work + "/created-h" + i + "' exists", creates.msg());
    }
  }

  @Test
  void scriptRunsFromAPrivateTempFileThatIsRemoved() throws IOException {
    Path files = Files.createDirectories(lab.work.resolve("files"));
    Files.writeString(files.resolve("report.sh"), """
        #!/bin/sh
        printf '%s\\n' "$@"
        stat -c '%a %U' "$0"
        pwd
        echo "$0" > "$(dirname "$PWD/x")/last-script-path-$(hostname)-$$"
        read line || echo "stdin is empty"
        """);
    Lab.Run run = lab.play("script.yml", """
        - hosts: all_hosts
          gather_facts: no
          tasks:
            - name: run it
              script: report.sh "a b" '$HOME' {{ inventory_hostname }}
              args: {chdir: "{{ work }}"}
            - name: skipped by creates
              script: report.sh
              args: {creates: "{{ work }}"}
            - name: with an interpreter
              script: report.sh one
              args: {executable: /bin/bash, chdir: /}
        """);
    assertEquals(0, run.exitCode(), run::toString);
    for (int i = 1; i <= 5; i++) {
      Lab.Result r = run.of("h" + i, "run it");
      assertEquals("changed", r.status(), run::toString);
      List<?> lines = (List<?>) r.get("stdout_lines");
      assertEquals(List.of("a b", "$HOME", "h" + i), lines.subList(0, 3));
      assertEquals("700 " + System.getProperty("user.name"), lines.get(3), "private temp file");
      assertEquals(lab.work.toString(), lines.get(4));
      assertEquals("stdin is empty", lines.get(5));
      assertEquals("skipped", run.of("h" + i, "skipped by creates").status());
      assertEquals(lab.work + " exists, matching creates option", run.of("h" + i, "skipped by creates").msg());
      assertEquals("/", ((List<?>) run.of("h" + i, "with an interpreter").get("stdout_lines")).get(2));
    }
    // Every temp file the script saw as $0 is gone.
    try (Stream<Path> s = Files.list(lab.work)) {
      List<Path> records = s.filter(p -> p.getFileName().toString().startsWith("last-script-path-")).toList();
      assertEquals(5, records.size());
      for (Path p : records) {
        String used = Files.readString(p).strip();
        assertTrue(used.contains("jplay-script."), used);
        assertFalse(Files.exists(Path.of(used)), used + " was left behind");
      }
    }
  }

  private static String read(String name) {
    try {
      return Files.readString(lab.work.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
