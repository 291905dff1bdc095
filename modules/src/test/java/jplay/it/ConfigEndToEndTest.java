package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jplay.engine.cli.Main;
import jplay.engine.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Ansible user's setup moved over unchanged: an ansible.cfg names the inventory, user, key, log file and an
 * ssh_config (ssh_args -F) whose Host aliases give addresses and ports and a ProxyJump; the inventory names
 * aliases only, and the command line names no inventory.
 */
class ConfigEndToEndTest {
  @Test
  void ansibleCfgAndSshConfigTogether(@TempDir Path dir) throws IOException {
    try (Sshd sshd = Sshd.start(2)) {
      Path project = Files.createDirectories(dir.resolve("project"));
      Path home = Files.createDirectories(dir.resolve("home"));
      Files.writeString(project.resolve("ansible.cfg"), String.join("\n",
          "[defaults]",
          "inventory = inventory/hosts",
          "remote_user = " + sshd.user(),
          "private_key_file = " + sshd.clientKey(),
          "log_path = jplay.log",
          "retry_files_enabled = False",
          "[ssh_connection]",
          "ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=" + sshd.knownHosts()
              + " -F ssh_config",
          "pipelining = True",
          ""));
      Files.createDirectories(project.resolve("inventory"));
      Files.writeString(project.resolve("inventory/hosts"), "[app]\nfront\nback\n");
      Files.writeString(project.resolve("ssh_config"), String.join("\n",
          "Host front",
          "  HostName " + sshd.addresses().get(0),
          "Host back",
          "  HostName " + sshd.addresses().get(1),
          "  ProxyJump front",
          "Host *",
          "  Port " + sshd.port(),
          "  IdentityFile " + sshd.clientKey(),
          ""));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code;
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        code = Main.run(new ByteArrayInputStream(new byte[0]), o, e, Map.of(), project, home,
            "adhoc", "app", "-m", "command", "-a", "printenv SSH_CONNECTION", "-o", "--color", "never");
      }
      String stdout = out.toString(StandardCharsets.UTF_8);
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, stdout + stderr);
      assertEquals("", stderr);
      // back's sshd saw the connection come from front's sshd (127.0.0.x, an sshd port), not from jplay.
      assertTrue(stdout.contains("front | CHANGED | rc=0 | (stdout) ")
          && stdout.contains(" " + sshd.addresses().get(0) + " " + sshd.port()), stdout);
      assertTrue(stdout.contains(" " + sshd.addresses().get(1) + " " + sshd.port()), stdout);
      assertEquals(3, sshd.loginCount(), "front twice (jplay's own session and the jump), back once:\n"
          + sshd.log());
      // The jump host's user is its own (ssh_config, else the local user), not remote_user, as with OpenSSH.
      String log = Files.readString(project.resolve("jplay.log"));
      assertTrue(log.contains("| DEBUG back [command]: running: printenv SSH_CONNECTION\n"), log);
      assertTrue(log.contains("| DEBUG back: connected (Target[back ssh " + sshd.user() + "@" + sshd.addresses().get(1)
          + ":" + sshd.port() + "] via Target[front ssh " + sshd.addresses().get(0) + ":"
          + sshd.port() + "]) in "), log);
    }
  }
}
