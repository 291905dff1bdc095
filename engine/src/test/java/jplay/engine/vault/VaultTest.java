package jplay.engine.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vault format against the real {@code ansible-vault} (Debian's ansible 2.14): what it writes jplay reads, and
 * what jplay writes it reads, for files, labelled (1.2) vault ids and non-ASCII text.
 */
class VaultTest {
  private static final VaultSecret PW = secret("default", "correct horse");

  private static VaultSecret secret(String id, String password) {
    return new VaultSecret(id, password.getBytes(StandardCharsets.UTF_8), "test");
  }

  /** Runs ansible-vault in {@code dir}; returns its stdout, failing the test on a non-zero exit. */
  private static String ansibleVault(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ansible-vault"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
    pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-tmp").toString());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ansible-vault did not finish");
    assertEquals(0, p.exitValue(), () -> "ansible-vault " + String.join(" ", args) + " failed: " + err);
    return new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void readsWhatAnsibleVaultWrites(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pw"), "correct horse\n");
    String plain = "db_password: s3cr€t\nport: 5432\n";
    Files.writeString(dir.resolve("vars.yml"), plain);
    ansibleVault(dir, "encrypt", "--vault-password-file", "pw", "vars.yml");
    String text = Files.readString(dir.resolve("vars.yml"));
    assertTrue(text.startsWith("$ANSIBLE_VAULT;1.1;AES256\n"), text);
    assertEquals(plain, Vault.of(List.of(PW)).decryptText(text, "vars.yml"));
  }

  @Test
  void ansibleVaultReadsWhatJplayWrites(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pw"), "correct horse\n");
    String plain = "line one\nüñí\n" + "x".repeat(300) + "\n";
    String text = Vault.of(List.of(PW)).encrypt(plain.getBytes(StandardCharsets.UTF_8), null);
    Files.writeString(dir.resolve("secret.txt"), text);
    assertEquals(plain, ansibleVault(dir, "view", "--vault-password-file", "pw", "secret.txt"));
  }

  @Test
  void labelledVaultIdsBothWays(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("dev"), "dev-pass\n");
    Files.writeString(dir.resolve("prod"), "prod-pass\n");
    Files.writeString(dir.resolve("a.txt"), "from ansible\n");
    ansibleVault(dir, "encrypt", "--vault-id", "prod@prod", "a.txt");
    String fromAnsible = Files.readString(dir.resolve("a.txt"));
    assertTrue(fromAnsible.startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"), fromAnsible);
    Vault both = Vault.of(List.of(secret("dev", "dev-pass"), secret("prod", "prod-pass")));
    assertEquals("from ansible\n", both.decryptText(fromAnsible, "a.txt"));

    String fromJplay = both.encrypt("from jplay\n".getBytes(StandardCharsets.UTF_8), "dev");
    assertTrue(fromJplay.startsWith("$ANSIBLE_VAULT;1.2;AES256;dev\n"), fromJplay);
    Files.writeString(dir.resolve("b.txt"), fromJplay);
    assertEquals("from jplay\n", ansibleVault(dir, "view", "--vault-id", "dev@dev", "b.txt"));
  }

  @Test
  void encryptStringOfAnsibleVaultDecrypts(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pw"), "correct horse");
    String block = ansibleVault(dir, "encrypt_string", "--vault-password-file", "pw", "hunter2", "--name", "pw");
    // "pw: !vault |" then the vault text indented by ten spaces
    String text = block.substring(block.indexOf('\n') + 1).replaceAll("(?m)^ +", "");
    assertEquals("hunter2", Vault.of(List.of(PW)).decryptText(text, "the value"));
  }

  @Test
  void writesEightyColumnLinesEndingInANewline() throws VaultException {
    String text = Vault.encryptWith(new byte[100], PW);
    String[] lines = text.split("\n");
    assertEquals("$ANSIBLE_VAULT;1.1;AES256", lines[0]);
    for (int i = 1; i < lines.length - 1; i++) {
      assertEquals(80, lines[i].length(), lines[i]);
    }
    assertTrue(text.endsWith("\n"));
  }

  @Test
  void knownVectorWithAFixedSalt() throws VaultCipher.FormatException {
    // Same salt and password always give the same payload: the key derivation and MAC are deterministic.
    byte[] salt = HexFormat.of().parseHex("00".repeat(32));
    String a = VaultCipher.encrypt("hi".getBytes(StandardCharsets.UTF_8), "pw".getBytes(StandardCharsets.UTF_8), salt);
    String b = VaultCipher.encrypt("hi".getBytes(StandardCharsets.UTF_8), "pw".getBytes(StandardCharsets.UTF_8), salt);
    assertEquals(a, b);
    assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), VaultCipher.decrypt(a, "pw".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void wrongPasswordNamesTheIdsTriedAndNeverThePassword() throws VaultException {
    String text = Vault.encryptWith("x".getBytes(StandardCharsets.UTF_8), PW);
    VaultException e = assertThrows(VaultException.class,
        () -> Vault.of(List.of(secret("default", "wrong-one"))).decrypt(text, "vars.yml"));
    assertEquals("cannot decrypt vars.yml: the vault password given (default (test)) does not match; give the "
        + "right one with --vault-password-file or --vault-id", e.getMessage());
    assertTrue(!e.getMessage().contains("wrong-one"));
  }

  @Test
  void noPasswordSaysHowToGiveOne() throws VaultException {
    String text = Vault.encryptWith("x".getBytes(StandardCharsets.UTF_8), secret("prod", "p"));
    VaultException e = assertThrows(VaultException.class, () -> Vault.NONE.decrypt(text, "this !vault value"));
    assertEquals("this !vault value is vault-encrypted (vault id 'prod') but no vault password was given: "
        + "use --vault-password-file FILE, --ask-vault-pass or --vault-id [ID@]SOURCE", e.getMessage());
  }

  @Test
  void damagedDataIsAFormatErrorNotAWrongPassword() {
    VaultException e = assertThrows(VaultException.class,
        () -> Vault.of(List.of(PW)).decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz12\n", "f"));
    assertEquals("f is damaged vault data: the vault data is not hexadecimal", e.getMessage());
  }

  @Test
  void passwordFromAFileAScriptAndAClientScript(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pw.txt"), "  from-file \n");
    assertArrayEquals("from-file".getBytes(StandardCharsets.UTF_8),
        VaultSources.fromFile("default", file).password());
    Path script = Files.writeString(dir.resolve("pw.sh"), "#!/bin/sh\necho ' from script'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    // Only newlines are stripped from a script's output, as Ansible.
    assertArrayEquals(" from script".getBytes(StandardCharsets.UTF_8),
        VaultSources.fromFile("default", script).password());
    Path client = Files.writeString(dir.resolve("pass-client.sh"), "#!/bin/sh\necho \"id=$2\"\n");
    Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
    assertArrayEquals("id=dev".getBytes(StandardCharsets.UTF_8), VaultSources.fromFile("dev", client).password());
    Path failing = Files.writeString(dir.resolve("bad.sh"), "#!/bin/sh\necho nope >&2\nexit 3\n");
    Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
    VaultException e = assertThrows(VaultException.class, () -> VaultSources.fromFile("default", failing));
    assertEquals("the vault password script " + failing + " failed (exit 3): nope", e.getMessage());
  }

  @Test
  void vaultIdsFilesPromptAndEnvironmentInAnsiblesOrder(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "pa");
    Path b = Files.writeString(dir.resolve("b"), "pb");
    Path env = Files.writeString(dir.resolve("env"), "pe");
    Vault v = VaultSources.load(List.of("dev@" + a, "prod@prompt"), List.of(b), true, name -> null,
        prompt -> prompt.equals("Vault password (prod): ") ? "pp" : "pask");
    assertEquals(List.of("dev", "prod", "default", "default"), v.secrets().stream().map(VaultSecret::id).toList());
    assertEquals(List.of(a.toString(), "prompt", b.toString(), "prompt"),
        v.secrets().stream().map(VaultSecret::source).toList());
    // The environment's file counts only when no option names a password.
    Vault fromEnv = VaultSources.load(List.of(), List.of(), false,
        name -> name.equals("ANSIBLE_VAULT_PASSWORD_FILE") ? env.toString() : null, p -> "unused");
    assertEquals(List.of(env.toString()), fromEnv.secrets().stream().map(VaultSecret::source).toList());
    assertTrue(VaultSources.load(List.of(), List.of(b), false, name -> env.toString(), p -> "x").secrets().stream()
        .noneMatch(s -> s.source().equals(env.toString())));
    VaultException bad = assertThrows(VaultException.class,
        () -> VaultSources.load(List.of("dev@"), List.of(), false, name -> null, p -> "x"));
    assertEquals("--vault-id takes [ID@]SOURCE (a password file, a script, or 'prompt'), not 'dev@'",
        bad.getMessage());
  }
}
