package jplay.engine.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Turns {@code --vault-id}, {@code --vault-password-file}, {@code --ask-vault-pass} and the
 * {@code ANSIBLE_VAULT_PASSWORD_FILE} / {@code JPLAY_VAULT_PASSWORD_FILE} variables into vault passwords, in
 * Ansible's order: the ids first, then the files, then the prompt.
 */
public final class VaultSources {
  /** Environment variables naming a password file, read when no option gives one. */
  public static final List<String> ENV = List.of("JPLAY_VAULT_PASSWORD_FILE", "ANSIBLE_VAULT_PASSWORD_FILE");

  private static final long SCRIPT_SECONDS = 60;

  /** Asks for a password without echo; fails (with a message) when there is nobody to ask. */
  @FunctionalInterface
  public interface Prompt {
    String ask(String prompt) throws VaultException;
  }

  private VaultSources() {}

  /**
   * The passwords the options name. {@code env} looks up environment variables ({@code System::getenv}); its
   * password file is used only when no option names a password, so an explicit option always wins.
   */
  public static Vault load(List<String> vaultIds, List<Path> passwordFiles, boolean ask, UnaryOperator<String> env,
      Prompt prompt) throws VaultException {
    List<VaultSecret> out = new ArrayList<>();
    for (String spec : vaultIds) {
      int at = spec.indexOf('@');
      String id = at < 0 ? VaultSecret.DEFAULT_ID : spec.substring(0, at);
      String source = at < 0 ? spec : spec.substring(at + 1);
      if (id.isEmpty() || source.isEmpty()) {
        throw new VaultException("--vault-id takes [ID@]SOURCE (a password file, a script, or 'prompt'), not '"
            + spec + "'");
      }
      if (source.equals("prompt")) {
        out.add(prompted(id, prompt, "Vault password (" + id + "): "));
      } else {
        out.add(fromFile(id, Path.of(source)));
      }
    }
    for (Path file : passwordFiles) {
      out.add(fromFile(VaultSecret.DEFAULT_ID, file));
    }
    if (ask) {
      out.add(prompted(VaultSecret.DEFAULT_ID, prompt, "Vault password: "));
    }
    if (out.isEmpty()) {
      for (String name : ENV) {
        String file = env.apply(name);
        if (file != null && !file.isBlank()) {
          out.add(fromFile(VaultSecret.DEFAULT_ID, Path.of(file.strip())));
          break;
        }
      }
    }
    return Vault.of(out);
  }

  private static VaultSecret prompted(String id, Prompt prompt, String text) throws VaultException {
    String answer = prompt.ask(text).strip();
    if (answer.isEmpty()) {
      throw new VaultException("an empty vault password was given for vault id '" + id + "'");
    }
    return new VaultSecret(id, answer.getBytes(StandardCharsets.UTF_8), "prompt");
  }

  /**
   * A password from a file, or from the standard output of an executable file as Ansible runs it: a script named
   * {@code *-client} or {@code *-client.EXT} is given {@code --vault-id ID}.
   */
  public static VaultSecret fromFile(String id, Path file) throws VaultException {
    if (!Files.exists(file)) {
      throw new VaultException("the vault password file " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new VaultException("the vault password file " + file + " is a directory, not a file");
    }
    byte[] password;
    if (Files.isExecutable(file)) {
      password = stripNewlines(run(id, file));
    } else {
      try {
        password = stripNewlines(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip()
            .getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new VaultException("cannot read the vault password file " + file + ": " + e.getMessage());
      }
    }
    if (password.length == 0) {
      throw new VaultException("the vault password file " + file + " gave an empty password");
    }
    return new VaultSecret(id, password, file.toString());
  }

  private static byte[] run(String id, Path script) throws VaultException {
    List<String> command = new ArrayList<>(List.of(script.toAbsolutePath().toString()));
    String name = script.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (name.endsWith("-client") || dot > 0 && name.substring(0, dot).endsWith("-client")) {
      command.addAll(List.of("--vault-id", id));
    }
    Process p;
    try {
      p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new VaultException("cannot run the vault password script " + script + ": " + e.getMessage());
    }
    // Both streams are read on their own threads, so a chatty stderr cannot block the script and a script that
    // never ends is stopped after the time limit instead of hanging the run.
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new VaultException("the vault password script " + script + " did not finish in " + SCRIPT_SECONDS
            + " seconds");
      }
      String message = new String(err.get(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new VaultException("the vault password script " + script + " failed (exit " + p.exitValue() + ")"
            + (message.isEmpty() ? "" : ": " + message));
      }
      return out.get();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new VaultException("interrupted while running the vault password script " + script);
    } catch (ExecutionException e) {
      throw new VaultException("cannot read the output of the vault password script " + script + ": "
          + e.getCause().getMessage());
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (in) {
        f.complete(in.readAllBytes());
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
    }, "vault-password-script");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static byte[] stripNewlines(byte[] b) {
    int start = 0;
    int end = b.length;
    while (start < end && (b[start] == '\n' || b[start] == '\r')) {
      start++;
    }
    while (end > start && (b[end - 1] == '\n' || b[end - 1] == '\r')) {
      end--;
    }
    return java.util.Arrays.copyOfRange(b, start, end);
  }
}
