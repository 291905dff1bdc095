package jplay.engine.cli;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jplay.engine.vault.Vault;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.YamlLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jplay vault ...} against files read and written by the real ansible-vault. */
class VaultCommandTest {
  @TempDir Path dir;

  @AfterEach
  void forgetPasswords() {
    Vault.use(Vault.NONE);
  }

  /** Runs {@code jplay vault ARGS} in-process with {@code env} as its environment and {@code stdin} as input. */
  private Cli vault(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      Io io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e);
      code = Main.configure(new CommandLine(new VaultCommand(io, env::get)), io).execute(args);
    }
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Cli vault(String... args) {
    return vault(Map.of(), "", args);
  }

  private String ansibleVault(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ansible-vault"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), () -> "ansible-vault " + command + ": " + err);
    return out;
  }

  private Path pw(String name, String password) throws IOException {
    return Files.writeString(dir.resolve(name), password + "\n");
  }

  @Test
  void encryptInPlaceKeepsTheModeAndAnsibleVaultDecryptsIt() throws Exception {
    Path pw = pw("pw", "s3cret");
    Path f = Files.writeString(dir.resolve("vars.yml"), "token: abc\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    Cli r = vault("encrypt", "--vault-password-file", pw.toString(), f.toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("Encryption successful\n", r.err());
    assertTrue(Files.readString(f).startsWith("$ANSIBLE_VAULT;1.1;AES256\n"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    // No temporary file is left beside it.
    try (var s = Files.list(dir)) {
      assertEquals(List.of("pw", "vars.yml"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals("token: abc\n", ansibleVault("view", "--vault-password-file", "pw", "vars.yml"));

    Cli again = vault("encrypt", "--vault-password-file", pw.toString(), f.toString());
    assertEquals(1, again.exitCode(), again::toString);
    assertEquals("ERROR! " + f + " is already vault-encrypted\n", again.err());
  }

  @Test
  void decryptsAndViewsWhatAnsibleVaultEncrypted() throws Exception {
    pw("pw", "s3cret");
    Files.writeString(dir.resolve("a.yml"), "a: 1\n");
    ansibleVault("encrypt", "--vault-password-file", "pw", "a.yml");
    Path a = dir.resolve("a.yml");
    Cli view = vault("view", "--vault-password-file", dir.resolve("pw").toString(), a.toString());
    assertEquals(0, view.exitCode(), view::toString);
    assertEquals("a: 1\n", view.out());
    Cli out = vault("decrypt", "--vault-password-file", dir.resolve("pw").toString(), a.toString(), "--output", "-");
    assertEquals("a: 1\n", out.out());
    assertTrue(Vault.isEncrypted(Files.readAllBytes(a)), "--output leaves the file encrypted");
    Cli dec = vault("decrypt", "--vault-password-file", dir.resolve("pw").toString(), a.toString());
    assertEquals(0, dec.exitCode(), dec::toString);
    assertEquals("Decryption successful\n", dec.err());
    assertEquals("a: 1\n", Files.readString(a));
  }

  @Test
  void wrongAndMissingPasswordsFailWithWhatToDo() throws Exception {
    Path f = Files.writeString(dir.resolve("f.txt"), "x\n");
    assertEquals(0, vault("encrypt", "--vault-password-file", pw("pw", "right").toString(), f.toString())
        .exitCode());
    Path wrong = pw("wrong", "nope");
    Cli bad = vault("view", "--vault-password-file", wrong.toString(), f.toString());
    assertEquals(1, bad.exitCode(), bad::toString);
    assertEquals("ERROR! cannot decrypt " + f + ": the vault password given (default (" + wrong + ")) does not "
        + "match; give the right one with --vault-password-file or --vault-id\n", bad.err());
    assertFalse(bad.err().contains("nope"));

    Cli none = vault("view", f.toString());
    assertEquals(1, none.exitCode(), none::toString);
    assertEquals("Vault password: \nERROR! 'Vault password:' needs a vault password, but standard input is closed: "
        + "give it with --vault-password-file FILE or --vault-id [ID@]FILE\n", none.err());

    Cli missing = vault("view", "--vault-password-file", dir.resolve("absent").toString(), f.toString());
    assertEquals(5, missing.exitCode(), missing::toString);
    assertEquals("ERROR! the vault password file " + dir.resolve("absent") + " does not exist\n", missing.err());
  }

  @Test
  void passwordFromThePromptOnStandardInput() throws Exception {
    Path f = Files.writeString(dir.resolve("f.txt"), "prompted\n");
    Cli enc = vault(Map.of(), "pp\npp\n", "encrypt", f.toString());
    assertEquals(0, enc.exitCode(), enc::toString);
    assertEquals("New Vault password: \nConfirm New Vault password: \nEncryption successful\n", enc.err());
    assertEquals("prompted\n", vault(Map.of(), "pp\n", "view", "--ask-vault-pass", f.toString()).out());
    Cli mismatch = vault(Map.of(), "pp\nqq\n", "encrypt", dir.resolve("pw-none").toString());
    assertEquals(1, mismatch.exitCode(), mismatch::toString);
    assertTrue(mismatch.err().endsWith("ERROR! the two vault passwords do not match\n"), mismatch::toString);
  }

  @Test
  void passwordFileFromTheEnvironment() throws Exception {
    Path pw = pw("pw", "from-env");
    Path f = Files.writeString(dir.resolve("f.txt"), "env\n");
    Map<String, String> env = Map.of("ANSIBLE_VAULT_PASSWORD_FILE", pw.toString());
    assertEquals(0, vault(env, "", "encrypt", f.toString()).exitCode());
    assertEquals("env\n", ansibleVault("view", "--vault-password-file", "pw", "f.txt"));
    assertEquals("env\n", vault(Map.of("JPLAY_VAULT_PASSWORD_FILE", pw.toString()), "", "view", f.toString()).out());
  }

  @Test
  void rekeyToANewPasswordAndVaultId() throws Exception {
    Path old = pw("old", "old-pass");
    pw("new", "new-pass");
    Path a = Files.writeString(dir.resolve("a.txt"), "A\n");
    Path b = Files.writeString(dir.resolve("b.txt"), "B\n");
    assertEquals(0, vault("encrypt", "--vault-password-file", old.toString(), a.toString(), b.toString())
        .exitCode());
    Cli rekey = vault("rekey", "--vault-password-file", old.toString(), "--new-vault-id",
        "prod@" + dir.resolve("new"), a.toString(), b.toString());
    assertEquals(0, rekey.exitCode(), rekey::toString);
    assertEquals("Rekey successful\n", rekey.err());
    assertTrue(Files.readString(a).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"));
    assertEquals("A\n", ansibleVault("view", "--vault-id", "prod@new", "a.txt"));
    assertEquals("B\n", ansibleVault("view", "--vault-password-file", "new", "b.txt"));
    Cli oldFails = vault("view", "--vault-password-file", old.toString(), a.toString());
    assertEquals(1, oldFails.exitCode(), oldFails::toString);
  }

  @Test
  void rekeyChangesNoFileWhenOneCannotBeDecrypted() throws Exception {
    Path one = pw("one", "one");
    Path a = Files.writeString(dir.resolve("a.txt"), "A\n");
    Path b = Files.writeString(dir.resolve("b.txt"), "B\n");
    vault("encrypt", "--vault-password-file", one.toString(), a.toString());
    vault("encrypt", "--vault-password-file", pw("two", "two").toString(), b.toString());
    String before = Files.readString(a);
    Cli rekey = vault("rekey", "--vault-password-file", one.toString(), "--new-vault-password-file",
        pw("three", "three").toString(), a.toString(), b.toString());
    assertEquals(1, rekey.exitCode(), rekey::toString);
    assertEquals(before, Files.readString(a));
  }

  @Test
  void encryptStringPrintsAVaultBlockThatLoadsAndThatAnsibleVaultDecrypts() throws Exception {
    Path pw = pw("pw", "s3cret");
    Cli r = vault("encrypt_string", "--vault-password-file", pw.toString(), "hunter2", "--name", "db_password");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          "),
        r.out());
    Vault.use(new VaultOptions().build(Io.system(), Map.of("ANSIBLE_VAULT_PASSWORD_FILE", pw.toString())::get));
    Node.MapNode doc = (Node.MapNode) YamlLoader.load(r.out(), "vars.yml").orElseThrow();
    assertEquals("hunter2", doc.get("db_password").orElseThrow().toPlain());

    Files.writeString(dir.resolve("value.txt"), r.out().substring(r.out().indexOf('\n') + 1)
        .replaceAll("(?m)^ +", ""));
    // ansible-vault view ends what it shows with a newline when the plaintext has none.
    assertEquals("hunter2\n", ansibleVault("view", "--vault-password-file", "pw", "value.txt"));

    Cli fromStdin = vault(Map.of(), "multi\nline\n", "encrypt_string", "--vault-password-file", pw.toString(),
        "--stdin-name", "motd");
    assertTrue(fromStdin.out().startsWith("motd: !vault |\n"), fromStdin::toString);
    Node.MapNode motd = (Node.MapNode) YamlLoader.load(fromStdin.out(), "motd.yml").orElseThrow();
    assertEquals("multi\nline\n", motd.get("motd").orElseThrow().toPlain());
  }

  @Test
  void createAndEditGoThroughTheEditorAndWriteAPrivateFile() throws Exception {
    Path pw = pw("pw", "s3cret");
    // An "editor" that appends a line to the file it is given.
    Path editor = Files.writeString(dir.resolve("editor.sh"), "#!/bin/sh\necho 'added: yes' >> \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = Map.of("EDITOR", editor.toString());
    Path f = dir.resolve("new.yml");
    Cli create = vault(env, "", "create", "--vault-password-file", pw.toString(), f.toString());
    assertEquals(0, create.exitCode(), create::toString);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals("added: yes\n", ansibleVault("view", "--vault-password-file", "pw", "new.yml"));

    Cli edit = vault(env, "", "edit", "--vault-password-file", pw.toString(), f.toString());
    assertEquals(0, edit.exitCode(), edit::toString);
    assertEquals("added: yes\nadded: yes\n", ansibleVault("view", "--vault-password-file", "pw", "new.yml"));

    Cli exists = vault(env, "", "create", "--vault-password-file", pw.toString(), f.toString());
    assertEquals(1, exists.exitCode());
    assertEquals("ERROR! " + f + " already exists: use 'jplay vault edit' to change it\n", exists.err());

    Path unchanged = Files.writeString(dir.resolve("true.sh"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(unchanged, PosixFilePermissions.fromString("rwx------"));
    String before = Files.readString(f);
    vault(Map.of("EDITOR", unchanged.toString()), "", "edit", "--vault-password-file", pw.toString(),
        f.toString());
    assertEquals(before, Files.readString(f), "an edit that changes nothing leaves the ciphertext alone");
  }

  @Test
  void encryptingWithSeveralIdsNeedsEncryptVaultId() throws Exception {
    Path f = Files.writeString(dir.resolve("f.txt"), "x\n");
    String dev = "dev@" + pw("dev", "d");
    String prod = "prod@" + pw("prod", "p");
    Cli both = vault("encrypt", "--vault-id", dev, "--vault-id", prod, f.toString());
    assertEquals(1, both.exitCode(), both::toString);
    assertEquals("ERROR! the vault ids dev,prod can all encrypt: choose one with --encrypt-vault-id\n", both.err());
    Cli chosen = vault("encrypt", "--vault-id", dev, "--vault-id", prod, "--encrypt-vault-id", "prod",
        f.toString());
    assertEquals(0, chosen.exitCode(), chosen::toString);
    assertTrue(Files.readString(f).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"));
    assertEquals("x\n", ansibleVault("view", "--vault-id", "prod@prod", "f.txt"));
  }

  @Test
  void inventoryCommandReadsEncryptedInventoriesHostVarsAndVaultValues() throws Exception {
    Path pw = pw("pw", "inv-pass");
    Path inv = Files.createDirectories(dir.resolve("inv"));
    Path hosts = Files.writeString(inv.resolve("hosts"), "[web]\nweb1 ansible_host=10.0.0.1\n");
    Files.createDirectories(inv.resolve("host_vars"));
    Files.writeString(inv.resolve("host_vars/web1.yml"), "api_key: !vault |\n"
        + vault("encrypt_string", "--vault-password-file", pw.toString(), "k-123").out()
            .substring("!vault |\n".length()));
    Files.createDirectories(inv.resolve("group_vars"));
    Path group = Files.writeString(inv.resolve("group_vars/web.yml"), "db_password: p-456\n");
    assertEquals(0, vault("encrypt", "--vault-password-file", pw.toString(), hosts.toString(), group.toString())
        .exitCode());

    Cli r = Cli.run("inventory", "-i", hosts.toString(), "--host", "web1", "--vault-password-file", pw.toString());
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("{\n    \"ansible_host\": \"10.0.0.1\",\n    \"api_key\": \"k-123\",\n"
        + "    \"db_password\": \"p-456\"\n}\n", r.out());

    Cli none = Cli.run("inventory", "-i", hosts.toString(), "--list");
    assertEquals(4, none.exitCode(), none::toString);
    assertEquals("ERROR! " + hosts + ":1:1: the file is vault-encrypted but no vault password was given: use "
        + "--vault-password-file FILE, --ask-vault-pass or --vault-id [ID@]SOURCE\n", none.err());
  }

  @Test
  void extraVarsFromAnEncryptedFile() throws Exception {
    Path pw = pw("pw", "e-pass");
    Path vars = Files.writeString(dir.resolve("extra.yml"), "who: encrypted-alice\n");
    vault("encrypt", "--vault-password-file", pw.toString(), vars.toString());
    UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
        () -> ExtraVars.parse(List.of("@" + vars)));
    assertTrue(e.getMessage().contains("the file is vault-encrypted but no vault password was given"),
        e::getMessage);
    Vault.use(new VaultOptions().build(Io.system(), Map.of("JPLAY_VAULT_PASSWORD_FILE", pw.toString())::get));
    assertEquals(Map.of("who", "encrypted-alice"), ExtraVars.parse(List.of("@" + vars)));
  }

  @Test
  void encryptsAndDecryptsAPipe() throws Exception {
    Path pw = pw("pw", "pipe-pass");
    Cli enc = vault(Map.of(), "piped text\n", "encrypt", "--vault-password-file", pw.toString());
    assertEquals(0, enc.exitCode(), enc::toString);
    assertTrue(enc.out().startsWith("$ANSIBLE_VAULT;1.1;AES256\n"), enc::toString);
    Cli dec = vault(Map.of(), enc.out(), "decrypt", "--vault-password-file", pw.toString(), "-");
    assertEquals(0, dec.exitCode(), dec::toString);
    assertEquals("piped text\n", dec.out());
    Cli notVault = vault(Map.of(), "plain\n", "decrypt", "--vault-password-file", pw.toString());
    assertEquals(1, notVault.exitCode());
    assertEquals("ERROR! the input is not vault-encrypted\n", notVault.err());
  }
}
