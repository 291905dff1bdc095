package jplay.engine.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import jplay.engine.vault.Vault;
import jplay.engine.vault.VaultException;
import jplay.engine.vault.VaultSources;
import picocli.CommandLine.Option;

/**
 * The vault password options of every command that reads playbooks, inventories or vars files, as Ansible's; mixed
 * into {@link RunMixin} and {@code jplay inventory}, and (with {@code --encrypt-vault-id}) {@code jplay vault}.
 */
final class VaultOptions {
  @Option(names = "--vault-id", paramLabel = "[ID@]SOURCE",
      description = "A vault password and its id: SOURCE is a file, a script, or 'prompt' (repeatable).")
  List<String> vaultIds = new ArrayList<>();

  @Option(names = {"--vault-password-file", "--vault-pass-file"}, paramLabel = "FILE",
      description = "A file holding the vault password, or a script printing it (repeatable).")
  List<Path> passwordFiles = new ArrayList<>();

  @Option(names = {"--ask-vault-pass", "--ask-vault-password"}, description = "Ask for the vault password.")
  boolean askVaultPass;

  /**
   * The vault these options give (the password file of $JPLAY_VAULT_PASSWORD_FILE or $ANSIBLE_VAULT_PASSWORD_FILE
   * when none is named), made the one files are decrypted with from now on.
   */
  Vault install(Io io) throws UsageException {
    Vault vault = build(io, System::getenv);
    Vault.use(vault);
    return vault;
  }

  Vault build(Io io, UnaryOperator<String> env) throws UsageException {
    try {
      return VaultSources.load(vaultIds, passwordFiles, askVaultPass, env, text -> prompt(io, text));
    } catch (VaultException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * A password from the terminal without echo, or one line of standard input when it is not a terminal; a clear
   * error when there is none, rather than waiting forever or taking an empty password.
   */
  static String prompt(Io io, String text) throws VaultException {
    Console console = System.console();
    if (console != null && io.in() == System.in) {
      char[] value = console.readPassword("%s", text);
      if (value == null) {
        throw new VaultException("no answer to '" + text.strip() + "'");
      }
      return new String(value);
    }
    io.err().print(text);
    io.err().flush();
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      // Byte by byte: a buffered reader would swallow the next prompt's answer (or the data to encrypt).
      while ((b = io.in().read()) != -1 && b != '\n') {
        if (b != '\r') {
          line.write(b);
        }
      }
      io.err().println();
      if (b == -1 && line.size() == 0) {
        throw new VaultException("'" + text.strip() + "' needs a vault password, but standard input is closed: "
            + "give it with --vault-password-file FILE or --vault-id [ID@]FILE");
      }
      return line.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new VaultException("cannot read the vault password: " + e.getMessage());
    }
  }
}
