package jplay.engine.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import jplay.engine.api.LocalFiles;
import jplay.engine.vault.Vault;
import jplay.engine.vault.VaultException;
import jplay.engine.vault.VaultSecret;
import jplay.engine.vault.VaultSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jplay vault}: encrypts and decrypts files and values in Ansible Vault's format, as ansible-vault, so that
 * either tool reads what the other wrote. Files are rewritten atomically (a temporary file beside them, renamed
 * over them) and keep their permissions; new files are private (0600).
 */
@Command(
    name = "vault",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Encrypts and decrypts Ansible Vault files and values (as ansible-vault).",
      "",
      "Examples:",
      "  jplay vault encrypt secrets.yml --vault-password-file ~/.vault-pass",
      "  jplay vault view secrets.yml",
      "  jplay vault encrypt_string 's3cret' --name db_password",
      ""
    },
    subcommands = {
      VaultCommand.Encrypt.class, VaultCommand.Decrypt.class, VaultCommand.View.class, VaultCommand.Create.class,
      VaultCommand.Edit.class, VaultCommand.Rekey.class, VaultCommand.EncryptString.class
    })
final class VaultCommand implements Callable<Integer> {
  /** Ansible's exit code for a vault operation that failed (a wrong password, damaged data). */
  static final int FAILED = 1;

  private final Io io;
  private final UnaryOperator<String> env;

  VaultCommand(Io io) {
    this(io, System::getenv);
  }

  /** With {@code env} as the environment ($EDITOR, the password file variables): for tests. */
  VaultCommand(Io io, UnaryOperator<String> env) {
    this.io = io;
    this.env = env;
  }

  @Override
  public Integer call() throws UsageException {
    throw new UsageException(
        "name a vault command: encrypt, decrypt, view, create, edit, rekey or encrypt_string (see 'jplay vault "
            + "--help')");
  }

  /** The shared part of every subcommand: the password options, and the failure handling. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand VaultCommand parent;

    @Mixin VaultOptions passwords = new VaultOptions();

    @Override
    public final Integer call() throws UsageException {
      try {
        return execute();
      } catch (VaultException e) {
        parent.io.err().println("ERROR! " + e.getMessage());
        parent.io.err().flush();
        return FAILED;
      } catch (IOException e) {
        parent.io.err().println("ERROR! " + e.getMessage());
        parent.io.err().flush();
        return FAILED;
      }
    }

    abstract int execute() throws VaultException, IOException, UsageException;

    Io io() {
      return parent.io;
    }

    byte[] edit(byte[] plain) throws IOException, VaultException {
      return parent.editWith(plain);
    }

    /** The passwords given; with none, asks for one as ansible-vault does (twice when it is a new one). */
    Vault vault(boolean confirm) throws UsageException, VaultException {
      Vault vault = passwords.build(io(), parent.env);
      if (!vault.isEmpty()) {
        return vault;
      }
      String first = VaultOptions.prompt(io(), confirm ? "New Vault password: " : "Vault password: ");
      if (confirm) {
        String second = VaultOptions.prompt(io(), "Confirm New Vault password: ");
        if (!first.equals(second)) {
          throw new VaultException("the two vault passwords do not match");
        }
      }
      if (first.strip().isEmpty()) {
        throw new VaultException("an empty vault password was given");
      }
      return Vault.of(List.of(new VaultSecret(VaultSecret.DEFAULT_ID,
          first.strip().getBytes(StandardCharsets.UTF_8), "prompt")));
    }

    /** The secret to encrypt with: the one of {@code --encrypt-vault-id}, or the only one given. */
    static VaultSecret encryptSecret(Vault vault, String id) throws VaultException {
      if (id == null && vault.secrets().size() > 1) {
        throw new VaultException("the vault ids " + String.join(",", vault.secrets().stream().map(VaultSecret::id)
            .toList()) + " can all encrypt: choose one with --encrypt-vault-id");
      }
      return vault.encryptSecret(id);
    }

    PrintStream out() {
      return io().out();
    }

    byte[] readInput(Path file) throws IOException {
      return file.toString().equals("-") ? io().in().readAllBytes() : Files.readAllBytes(file);
    }

    void writeOutput(Path file, byte[] data) throws IOException {
      if (file.toString().equals("-")) {
        out().write(data);
        out().flush();
      } else {
        atomicWrite(file, data);
      }
    }
  }

  @Command(name = "encrypt", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
      description = "Encrypts files in place (or standard input to standard output).")
  static final class Encrypt extends Base {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to encrypt ('-' or none: standard input).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--output", paramLabel = "FILE", description = "Write here instead ('-': standard output).")
    Path output;

    @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = "The vault id to encrypt with.")
    String encryptId;

    @Override
    int execute() throws VaultException, IOException, UsageException {
      List<Path> inputs = files.isEmpty() ? List.of(Path.of("-")) : files;
      checkOutput(output, inputs);
      VaultSecret secret = encryptSecret(vault(true), encryptId);
      for (Path f : inputs) {
        byte[] plain = readInput(f);
        if (Vault.isEncrypted(plain)) {
          throw new VaultException((f.toString().equals("-") ? "the input" : f) + " is already vault-encrypted");
        }
        Path to = output != null ? output : f;
        writeOutput(to, Vault.encryptWith(plain, secret).getBytes(StandardCharsets.US_ASCII));
      }
      io().err().println("Encryption successful");
      return 0;
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
      description = "Decrypts files in place (or standard input to standard output).")
  static final class Decrypt extends Base {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to decrypt ('-' or none: standard input).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--output", paramLabel = "FILE", description = "Write here instead ('-': standard output).")
    Path output;

    @Override
    int execute() throws VaultException, IOException, UsageException {
      List<Path> inputs = files.isEmpty() ? List.of(Path.of("-")) : files;
      checkOutput(output, inputs);
      Vault vault = vault(false);
      for (Path f : inputs) {
        byte[] plain = decrypt(vault, f, readInput(f));
        writeOutput(output != null ? output : f, plain);
      }
      io().err().println("Decryption successful");
      return 0;
    }
  }

  @Command(name = "view", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
      description = "Shows the plaintext of encrypted files.")
  static final class View extends Base {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to show.")
    List<Path> files = new ArrayList<>();

    @Override
    int execute() throws VaultException, IOException, UsageException {
      Vault vault = vault(false);
      for (Path f : files) {
        out().write(decrypt(vault, f, readInput(f)));
      }
      out().flush();
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
      description = "Creates an encrypted file with $EDITOR.")
  static final class Create extends Base {
    @Parameters(paramLabel = "FILE", description = "The file to create.")
    Path file;

    @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = "The vault id to encrypt with.")
    String encryptId;

    @Override
    int execute() throws VaultException, IOException, UsageException {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new VaultException(file + " already exists: use 'jplay vault edit' to change it");
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new VaultException("the folder of " + file + " does not exist");
      }
      VaultSecret secret = encryptSecret(vault(true), encryptId);
      byte[] plain = edit(new byte[0]);
      atomicWrite(file, Vault.encryptWith(plain, secret).getBytes(StandardCharsets.US_ASCII));
      return 0;
    }
  }

  @Command(name = "edit", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
      description = "Edits an encrypted file with $EDITOR, and encrypts it again.")
  static final class Edit extends Base {
    @Parameters(paramLabel = "FILE", description = "The file to edit.")
    Path file;

    @Override
    int execute() throws VaultException, IOException, UsageException {
      Vault vault = vault(false);
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      VaultSecret secret = matching(vault, text, file);
      byte[] before = vault.decrypt(text, file.toString());
      byte[] after = edit(before);
      if (Arrays.equals(before, after)) {
        return 0; // unchanged: leave the file (and its ciphertext) alone, as ansible-vault does
      }
      atomicWrite(file, Vault.encryptWith(after, secret).getBytes(StandardCharsets.US_ASCII));
      return 0;
    }
  }

  @Command(name = "rekey", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
      description = "Encrypts files again with a new vault password.")
  static final class Rekey extends Base {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to rekey.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--new-vault-password-file", paramLabel = "FILE", description = "The new vault password.")
    Path newPasswordFile;

    @Option(names = "--new-vault-id", paramLabel = "[ID@]SOURCE", description = "The new vault password and id.")
    String newVaultId;

    @Override
    int execute() throws VaultException, IOException, UsageException {
      Vault vault = vault(false);
      VaultSecret fresh;
      if (newVaultId != null) {
        Vault v = VaultSources.load(List.of(newVaultId), newPasswordFile == null ? List.of()
            : List.of(newPasswordFile), false, name -> null, text -> VaultOptions.prompt(io(), "New " + text));
        fresh = v.secrets().get(0);
      } else if (newPasswordFile != null) {
        fresh = VaultSources.fromFile(VaultSecret.DEFAULT_ID, newPasswordFile);
      } else {
        String first = VaultOptions.prompt(io(), "New Vault password: ");
        String second = VaultOptions.prompt(io(), "Confirm New Vault password: ");
        if (!first.equals(second) || first.strip().isEmpty()) {
          throw new VaultException(first.strip().isEmpty() ? "an empty vault password was given"
              : "the two vault passwords do not match");
        }
        fresh = new VaultSecret(VaultSecret.DEFAULT_ID, first.strip().getBytes(StandardCharsets.UTF_8), "prompt");
      }
      // Decrypt them all first: a wrong password for the third file must not leave two rekeyed.
      List<byte[]> plains = new ArrayList<>();
      for (Path f : files) {
        plains.add(decrypt(vault, f, Files.readAllBytes(f)));
      }
      for (int i = 0; i < files.size(); i++) {
        atomicWrite(files.get(i), Vault.encryptWith(plains.get(i), fresh).getBytes(StandardCharsets.US_ASCII));
      }
      io().err().println("Rekey successful");
      return 0;
    }
  }

  @Command(name = "encrypt_string", mixinStandardHelpOptions = true, versionProvider = Version.class,
      sortOptions = false, description = "Encrypts values into '!vault |' blocks to paste into YAML.")
  static final class EncryptString extends Base {
    @Parameters(paramLabel = "STRING", arity = "0..*",
        description = "The values to encrypt (none: standard input, or --prompt).")
    List<String> values = new ArrayList<>();

    @Option(names = {"-n", "--name"}, paramLabel = "NAME",
        description = "The variable name of each value, in order (repeatable).")
    List<String> names = new ArrayList<>();

    @Option(names = "--stdin-name", paramLabel = "NAME", description = "The variable name of the value on stdin.")
    String stdinName;

    @Option(names = {"-p", "--prompt"}, description = "Ask for the value to encrypt.")
    boolean prompt;

    @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = "The vault id to encrypt with.")
    String encryptId;

    @Override
    int execute() throws VaultException, IOException, UsageException {
      if (names.size() > values.size() && !values.isEmpty()) {
        throw new UsageException("--name was given " + names.size() + " times for " + values.size() + " values");
      }
      VaultSecret secret = encryptSecret(vault(true), encryptId);
      List<String[]> items = new ArrayList<>();
      if (prompt) {
        String v = VaultOptions.prompt(io(), "String to encrypt (hidden): ");
        items.add(new String[] {names.isEmpty() ? null : names.get(0), v});
      } else if (values.isEmpty() || values.equals(List.of("-"))) {
        String v = new String(io().in().readAllBytes(), StandardCharsets.UTF_8);
        if (v.isEmpty()) {
          throw new UsageException("nothing to encrypt: standard input is empty");
        }
        items.add(new String[] {stdinName != null ? stdinName : names.isEmpty() ? null : names.get(0), v});
      } else {
        for (int i = 0; i < values.size(); i++) {
          items.add(new String[] {i < names.size() ? names.get(i) : null, values.get(i)});
        }
      }
      for (String[] item : items) {
        String text = Vault.encryptWith(item[1].getBytes(StandardCharsets.UTF_8), secret);
        StringBuilder block = new StringBuilder(item[0] == null ? "" : item[0] + ": ").append("!vault |\n");
        for (String line : text.split("\n")) {
          block.append("          ").append(line).append('\n');
        }
        out().print(block);
      }
      out().flush();
      io().err().println("Encryption successful");
      return 0;
    }
  }

  private static void checkOutput(Path output, List<Path> inputs) throws UsageException {
    if (output != null && inputs.size() > 1) {
      throw new UsageException("--output takes one input file, not " + inputs.size());
    }
  }

  private static byte[] decrypt(Vault vault, Path file, byte[] data) throws VaultException {
    String name = file.toString().equals("-") ? "the input" : file.toString();
    if (!Vault.isEncrypted(data)) {
      throw new VaultException(name + " is not vault-encrypted");
    }
    return vault.decrypt(new String(data, StandardCharsets.UTF_8), name);
  }

  /** The secret that decrypts {@code text}: edit writes back with the password (and id) it was opened with. */
  private static VaultSecret matching(Vault vault, String text, Path file) throws VaultException {
    if (!Vault.isEncrypted(text)) {
      throw new VaultException(file + " is not vault-encrypted");
    }
    for (VaultSecret s : vault.secrets()) {
      try {
        Vault.of(List.of(s)).decrypt(text, file.toString());
        return s;
      } catch (VaultException e) {
        // try the next one; the caller reports the failure with every id tried
      }
    }
    vault.decrypt(text, file.toString());
    throw new VaultException("cannot decrypt " + file);
  }

  /** Lets the user edit {@code plain} in $EDITOR (else $VISUAL, else vi) in a private temporary file. */
  byte[] editWith(byte[] plain) throws IOException, VaultException {
    String editor = env.apply("EDITOR");
    if (editor == null || editor.isBlank()) {
      editor = env.apply("VISUAL");
    }
    if (editor == null || editor.isBlank()) {
      editor = "vi";
    }
    Path dir = Files.createTempDirectory("jplay-vault-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tmp = dir.resolve("plaintext");
    try {
      Files.write(tmp, plain);
      List<String> command = new ArrayList<>(List.of(editor.strip().split("\\s+")));
      command.add(tmp.toString());
      Process p = new ProcessBuilder(command).inheritIO().start();
      int code = p.waitFor();
      if (code != 0) {
        throw new VaultException("the editor " + editor + " failed (exit " + code + "); the file is unchanged");
      }
      return Files.readAllBytes(tmp);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VaultException("interrupted while editing; the file is unchanged");
    } finally {
      // Overwrite the plaintext before deleting it, as ansible-vault's shred fallback does.
      if (Files.exists(tmp)) {
        Files.write(tmp, new byte[(int) Files.size(tmp)]);
        Files.delete(tmp);
      }
      Files.delete(dir);
    }
  }

  /**
   * Writes {@code data} to {@code file} through a temporary file in the same folder renamed over it, so a crash
   * leaves the old file or the new one, never half of one; an existing file's permissions are kept, a new one is
   * 0600. A symlink is followed: its target is replaced, the link kept.
   */
  static void atomicWrite(Path file, byte[] data) throws IOException {
    Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
    LocalFiles.replace(target, data, PosixFilePermissions.fromString("rw-------"));
  }
}
