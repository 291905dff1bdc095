package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jplay.engine.output.Json;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shell safety as a property: 200 seeded random strings built from what breaks naive quoting (quotes, {@code $()},
 * backticks, newlines, globs, leading dashes, backslashes, unicode) go through module parameters that reach a
 * command line or a path on a real sshd host, and each must arrive exactly (read back from the files) while a
 * canary file, which any successful injection would create, never appears.
 *
 * <p>All 200 go through the local connection (the same script quoting as ssh, without sshd's cost per command);
 * the first 10 also go through a real sshd, where the remote login shell adds one more layer.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ShellSafetyRealTest {
  private static final long SEED = 20261123L;
  private static final int CASES = 200;
  @TempDir Path work;

  /** Pieces that each break some way of quoting; the canary path is filled in. */
  private static List<String> pieces(Path canary) {
    String c = canary.toString();
    return List.of("'", "\"", "\\", "`touch " + c + "`", "$(touch " + c + ")", "; touch " + c, "&& touch " + c,
        "| touch " + c, "\n", "\t", " ", "*", "?", "[a-z]", "~", "-", "--", "-rf", "$HOME", "${PATH}", "$1", "'\"'",
        "é", "日本", "\u00a0", "😀", "!", "#", ">", "<", "&", "(", ")", "a", "b", "0", "=", ",", ":", "\\'", "\\n");
  }

  private static String random(Random r, List<String> pieces) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      sb.append(pieces.get(r.nextInt(pieces.size())));
    }
    return sb.toString();
  }

  @Test
  void randomStringsArriveExactlyThroughTheLocalConnection() throws IOException {
    run(null, CASES);
  }

  @Test
  void randomStringsArriveExactlyOverSsh() throws IOException {
    try (Sshd sshd = Sshd.start(1)) {
      run(sshd, 10);
    }
  }

  private void run(Sshd sshd, int count) throws IOException {
    {
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
      Path canary = work.resolve("CANARY");
      Random random = new Random(SEED);
      List<String> pieces = pieces(canary);
      List<Map<String, Object>> cases = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String s = random(random, pieces);
        if (s.startsWith("[") || s.startsWith("{")) {
          // Ansible reads a templated "[..." as a list literal: a language rule, not a quoting question.
          s = "x" + s;
        }
        // A file name: no '/', no newline (lineinfile writes one line), not '.' or '..'.
        String name = s.replace('/', '_').replace('\n', '_');
        if (name.equals(".") || name.equals("..")) {
          name = "_" + name;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("s", s);
        c.put("p", name);
        cases.add(c);
      }
      for (String d : List.of("copy", "file", "line", "argv")) {
        Files.createDirectories(work.resolve(d));
        Files.setPosixFilePermissions(work.resolve(d), PosixFilePermissions.fromString("rwxrwxrwx"));
      }
      Path vars = work.resolve("cases.json");
      Files.writeString(vars, Json.write(Map.of("cases", cases, "work", work.toString())));
      Path site = work.resolve("site.yml");
      Files.writeString(site, """
          - hosts: all
            gather_facts: false
            vars_files:
              - cases.json
            tasks:
              - name: copy content and dest
                copy:
                  content: "{{ item.s }}"
                  dest: "{{ work }}/copy/{{ item.p }}"
                loop: "{{ cases }}"
                loop_control:
                  label: "{{ i }}"
                  index_var: i
              - name: file path
                file:
                  path: "{{ work }}/file/{{ item.p }}"
                  state: touch
                loop: "{{ cases }}"
                loop_control:
                  label: "{{ i }}"
                  index_var: i
              - name: lineinfile line and path
                lineinfile:
                  path: "{{ work }}/line/{{ i }}"
                  line: "{{ item.p }}"
                  create: true
                loop: "{{ cases }}"
                loop_control:
                  label: "{{ i }}"
                  index_var: i
              - name: command argv
                command:
                  argv: ["/bin/sh", "-c", 'printf %s "$1" > "$2"', "sh", "{{ item.s }}", "{{ work }}/argv/{{ i }}"]
                loop: "{{ cases }}"
                loop_control:
                  label: "{{ i }}"
                  index_var: i
          """);
      List<String> args = new ArrayList<>(List.of(site.toString(), "--color", "never", "--no-timing"));
      if (sshd == null) {
        args.addAll(List.of("-i", "localhost,", "-c", "local"));
      } else {
        args.addAll(List.of("-i", sshd.inventory(work.resolve("inv")).toString(), "--known-hosts",
            sshd.knownHosts().toString()));
      }
      Jplay r = Jplay.run(args);
      assertEquals(0, r.exitCode(), r::toString);
      assertFalse(Files.exists(canary), "an injection ran");
      for (int i = 0; i < count; i++) {
        String s = (String) cases.get(i).get("s");
        String p = (String) cases.get(i).get("p");
        String what = "case " + i + " " + Json.write(s);
        assertEquals(s, Files.readString(work.resolve("copy").resolve(p), StandardCharsets.UTF_8), what);
        assertTrue(Files.exists(work.resolve("file").resolve(p)), what);
        assertEquals(p + "\n", Files.readString(work.resolve("line").resolve(Integer.toString(i))), what);
        assertEquals(s, Files.readString(work.resolve("argv").resolve(Integer.toString(i))), what);
      }
    }
  }
}
