package jplay.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * user and group for real, as root, on h1 only (the five hosts are one machine, and useradd locks /etc/passwd),
 * with throw-away names that are removed afterwards whatever happens.
 */
class AccountsRealTest {
  private static final String HASH =
      "$6$jplaysalt$p24oImt5XkTzfLeZILSpu4XwDzrCxFr5B.p4oYQ1bEkY2e8iZmLVFvve3pqK.m8W9p0HpxIVRANHbDn/0Yxip.";
  @TempDir static Path dir;
  private static Lab lab;
  private static final String SUFFIX = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
  private static final String USER = "jpu" + SUFFIX;
  private static final String G1 = "jpg1" + SUFFIX;
  private static final String G2 = "jpg2" + SUFFIX;

  @BeforeAll
  static void start() {
    Sshd.require(Sshd.isRoot(), "user and group tests change /etc/passwd: they run as root only");
    lab = new Lab(dir);
  }

  @AfterAll
  static void cleanUp() throws IOException, InterruptedException {
    if (lab == null) {
      return;
    }
    try {
      sh("userdel -r " + USER + " 2>/dev/null; groupdel " + G1 + " 2>/dev/null; groupdel " + G2
          + " 2>/dev/null; true");
    } finally {
      lab.close();
    }
  }

  private static String sh(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.strip();
  }

  @Test
  void createChangeAndRemoveAnAccount() throws IOException, InterruptedException {
    String play = """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: g1
              group: {name: %s, gid: 23456}
            - name: g2
              group: {name: %s, system: yes}
            - name: user
              user:
                name: %s
                groups: [%s]
                comment: Jay Play
                shell: /bin/sh
                password: "%s"
                create_home: no
        """.formatted(G1, G2, USER, G1, HASH);
    Lab.Run check = lab.play("accounts.yml", play, "--check");
    // As in Ansible, check mode creates no group, so the user task cannot find it.
    assertEquals(2, check.exitCode(), check::toString);
    assertEquals("changed", check.of("h1", "g1").status());
    assertEquals("Group " + G1 + " does not exist", check.of("h1", "user").msg());
    assertEquals("", sh("getent group " + G1), "check mode created nothing");

    Lab.Run first = lab.play("accounts.yml", play, "--diff");
    assertEquals(0, first.exitCode(), first::toString);
    assertEquals(23456, first.of("h1", "g1").get("gid"));
    int systemGid = (Integer) first.of("h1", "g2").get("gid");
    assertTrue(systemGid < 1000, "system gid " + systemGid);
    Lab.Result user = first.of("h1", "user");
    assertEquals("changed", user.status(), first::toString);
    assertEquals("NOT_LOGGING_PASSWORD", user.get("password"));
    assertFalse(first.out().contains(HASH), "the hash never reaches the output");
    String[] passwd = sh("getent passwd " + USER).split(":");
    assertEquals(List.of("Jay Play", "/bin/sh"), List.of(passwd[4], passwd[6]));
    assertEquals(Integer.parseInt(passwd[2]), user.get("uid"));
    assertEquals(HASH, sh("getent shadow " + USER).split(":")[1]);
    assertEquals(G1 + ":x:23456:" + USER, sh("getent group " + G1));
    assertFalse(Files.exists(Path.of(passwd[5])), "create_home: no");

    Lab.Run second = lab.play("accounts.yml", play);
    assertEquals(0, second.exitCode(), second::toString);
    for (String task : List.of("g1", "g2", "user")) {
      assertEquals("ok", second.of("h1", task).status(), task + " is idempotent\n" + second);
    }

    Lab.Run change = lab.play("change.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: append
              user: {name: %s, groups: [%s], append: yes, shell: /bin/bash, uid: 23457}
            - name: gid
              group: {name: %s, gid: 23458}
        """.formatted(USER, G2, G1), "--diff");
    assertEquals(0, change.exitCode(), change::toString);
    assertEquals(23457, change.of("h1", "append").get("uid"));
    assertTrue(sh("id -Gn " + USER).contains(G1), "append kept " + G1);
    assertTrue(sh("id -Gn " + USER).contains(G2), "append added " + G2);
    assertEquals("23458", sh("getent group " + G1).split(":")[2]);

    Lab.Run remove = lab.play("remove.yml", """
        - hosts: h1
          gather_facts: no
          tasks:
            - name: user gone
              user: {name: %s, state: absent, remove: yes}
            - name: g1 gone
              group: {name: %s, state: absent}
            - name: g2 gone
              group: {name: %s, state: absent}
        """.formatted(USER, G1, G2));
    assertEquals(0, remove.exitCode(), remove::toString);
    assertEquals("changed", remove.of("h1", "user gone").status());
    assertEquals("", sh("getent passwd " + USER));
    assertEquals("", sh("getent group " + G1 + " " + G2));
    Lab.Run again = lab.play("remove.yml", Files.readString(lab.work.resolve("remove.yml")));
    assertEquals("ok", again.of("h1", "user gone").status(), again::toString);
  }
}
