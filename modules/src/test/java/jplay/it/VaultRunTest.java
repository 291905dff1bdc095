package jplay.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jplay.engine.cli.Main;
import jplay.engine.vault.Vault;
import jplay.engine.vault.VaultException;
import jplay.engine.vault.VaultSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playbook run with vault-encrypted values everywhere Ansible reads them — a {@code !vault} play var, an
 * encrypted vars_files file, group_vars file, include_vars file and copy source — on the local connection, checked
 * against ansible-playbook itself; and the errors of a wrong or missing password.
 */
class VaultRunTest {
  private static final String PASSWORD = "pw-for-tests";

  @TempDir Path dir;
  private Path pw;
  private Path site;
  private Path out;

  @AfterEach
  void forgetPasswords() {
    Vault.use(Vault.NONE);
  }

  private static String encrypt(String plain) throws VaultException {
    return Vault.encryptWith(plain.getBytes(StandardCharsets.UTF_8),
        new VaultSecret("default", PASSWORD.getBytes(StandardCharsets.UTF_8), "test"));
  }

  private static String run(Path cwd, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", cwd.toString());
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + command);
    assertEquals(0, p.exitValue(), () -> command + ":\n" + text);
    return text;
  }

  private static String inlineBlock;
  private static String copyOnlyBlock;

  /** The inline values are made by the real ansible-vault, as a user would paste them (once: it is slow). */
  @BeforeAll
  static void ansibleVaultBlocks(@TempDir Path shared) throws Exception {
    Files.writeString(shared.resolve("pw"), PASSWORD + "\n");
    inlineBlock = run(shared, List.of("ansible-vault", "encrypt_string", "--vault-password-file", "pw",
        "from-inline", "--name", "inline_secret"));
    copyOnlyBlock = run(shared, List.of("ansible-vault", "encrypt_string", "--vault-password-file", "pw",
        "copy-only-secret", "--name", "copy_secret"));
  }

  @BeforeEach
  void writeProject() throws Exception {
    pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
    out = Files.createDirectories(dir.resolve("out"));
    Path inv = Files.createDirectories(dir.resolve("inv"));
    Files.writeString(inv.resolve("hosts"), "[local]\nlocalhost ansible_connection=local\n");
    Files.createDirectories(inv.resolve("group_vars/all"));
    Files.writeString(inv.resolve("group_vars/all/vault.yml"), encrypt("group_secret: from-group-vars\n"));
    Files.createDirectories(dir.resolve("vars"));
    Files.writeString(dir.resolve("vars/secrets.yml"), encrypt("file_secret: from-vars-file\n"));
    Files.writeString(dir.resolve("included.yml"), encrypt("included_secret: from-include-vars\n"));
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/blob.txt"), encrypt("copied file content\n"));
    site = Files.writeString(dir.resolve("site.yml"), """
        - hosts: local
          gather_facts: false
          vars:
        %s
        %s
          vars_files:
            - vars/secrets.yml
          tasks:
            - include_vars: included.yml
            - debug:
                msg: "{{ inline_secret }} {{ file_secret }} {{ group_secret }} {{ included_secret }}"
            - copy:
                src: blob.txt
                dest: "%s/blob.txt"
            - copy:
                content: "{{ copy_secret }}"
                dest: "%s/copy.txt"
        """.formatted(indent(inlineBlock), indent(copyOnlyBlock), out, out));
  }

  private static String indent(String block) {
    return block.strip().replaceAll("(?m)^", "    ");
  }

  @Test
  void decryptsEveryKindOfVaultDataAsAnsiblePlaybookDoes() throws Exception {
    Jplay r = Jplay.run(site.toString(), "-i", dir.resolve("inv/hosts").toString(), "--vault-password-file",
        pw.toString(), "--color", "never", "--no-timing");
    assertEquals(0, r.exitCode(), r::toString);
    String msg = "\"msg\": \"from-inline from-vars-file from-group-vars from-include-vars\"";
    assertTrue(r.out().contains(msg), r::toString);
    assertEquals("copied file content\n", Files.readString(out.resolve("blob.txt")));
    assertEquals("copy-only-secret", Files.readString(out.resolve("copy.txt")));

    // The reference: ansible-playbook prints the same message from the same files.
    Files.delete(out.resolve("blob.txt"));
    Files.delete(out.resolve("copy.txt"));
    String ansible = run(dir, List.of("ansible-playbook", "-i", "inv/hosts", "--vault-password-file", "pw",
        "site.yml"));
    assertTrue(ansible.contains(msg), ansible);
    assertEquals("copied file content\n", Files.readString(out.resolve("blob.txt")));
  }

  @Test
  void decryptedValuesStayOutOfVerboseAndJsonOutput() {
    Jplay verbose = Jplay.run(site.toString(), "-i", dir.resolve("inv/hosts").toString(), "--vault-password-file",
        pw.toString(), "--color", "never", "--no-timing", "-vvvv");
    assertEquals(0, verbose.exitCode(), verbose::toString);
    assertFalse(verbose.out().contains("copy-only-secret"), verbose::toString);
    assertFalse(verbose.err().contains("copy-only-secret"), verbose::toString);
    assertFalse(verbose.out().contains(PASSWORD), verbose::toString);
    assertTrue(verbose.out().contains("\"content\": \"********\""), verbose::toString);

    Jplay json = Jplay.run(site.toString(), "-i", dir.resolve("inv/hosts").toString(), "--vault-password-file",
        pw.toString(), "--output", "json", "-vvvv");
    assertEquals(0, json.exitCode(), json::toString);
    assertFalse(json.out().contains("copy-only-secret"), json::toString);
    assertFalse(json.out().contains(PASSWORD), json::toString);
  }

  @Test
  void aWrongPasswordNamesTheValueBeforeAnyTaskRuns() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong"), "not-it\n");
    Jplay r = Jplay.run(site.toString(), "-i", dir.resolve("inv/hosts").toString(), "--vault-password-file",
        wrong.toString(), "--color", "never");
    assertEquals(4, r.exitCode(), r::toString);
    String because = ": the vault password given (default (" + wrong + ")) does not match; give the right one with "
        + "--vault-password-file or --vault-id";
    assertEquals("ERROR! " + site + ":4:20: cannot decrypt this !vault value" + because + "\n"
        + "ERROR! " + site + ":11:18: cannot decrypt this !vault value" + because + "\n", r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(out.resolve("copy.txt")));
  }

  @Test
  void noPasswordSaysHowToGiveOne() {
    Jplay r = Jplay.run(site.toString(), "-i", dir.resolve("inv/hosts").toString(), "--color", "never");
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR! " + site + ":4:20: this !vault value is vault-encrypted but no vault "
        + "password was given: use --vault-password-file FILE, --ask-vault-pass or --vault-id [ID@]SOURCE\n"),
        r::toString);
  }

  @Test
  void aVarsFileOfAnotherPasswordStopsTheRunBeforeItsFirstTask() throws Exception {
    Files.writeString(dir.resolve("vars/secrets.yml"), Vault.encryptWith("file_secret: x\n".getBytes(
        StandardCharsets.UTF_8), new VaultSecret("default", "another".getBytes(StandardCharsets.UTF_8), "test")));
    Files.writeString(site, "- hosts: local\n  gather_facts: false\n  vars_files: [vars/secrets.yml]\n"
        + "  tasks:\n    - copy: content=x dest=" + out + "/touched\n");
    Jplay r = Jplay.run(site.toString(), "-i", dir.resolve("inv/hosts").toString(), "--vault-password-file",
        pw.toString(), "--color", "never");
    // A vars file whose name holds no template is read before the play's first task, as ansible-playbook does.
    assertEquals(4, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ERROR! " + dir.resolve("vars/secrets.yml") + ":1:1: cannot decrypt the file: the"
        + " vault password given (default (" + pw + ")) does not match"), r::toString);
    assertFalse(Files.exists(out.resolve("touched")), "no task ran");
  }

  @Test
  void askVaultPassWithoutStandardInputIsABadOption() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      code = Main.run(new ByteArrayInputStream(new byte[0]), po, pe, site.toString(), "--ask-vault-pass");
    }
    assertEquals(5, code);
    assertEquals("Vault password: \nERROR! 'Vault password:' needs a vault password, but standard input is closed: "
        + "give it with --vault-password-file FILE or --vault-id [ID@]FILE\n", e.toString(StandardCharsets.UTF_8));
  }
}
