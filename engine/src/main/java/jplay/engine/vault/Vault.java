package jplay.engine.vault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;

/**
 * The vault passwords of a run, and Ansible Vault's {@code $ANSIBLE_VAULT;1.1;AES256} text format (1.2 when the
 * password has an id other than {@code default}). Decrypting tries the password whose id the header names first,
 * then every other one, as Ansible does.
 *
 * <pre>{@code
 * Vault vault = Vault.of(List.of(new VaultSecret("default", "s3cret".getBytes(UTF_8), "test")));
 * String text = vault.encrypt("hello".getBytes(UTF_8), null);
 * byte[] back = vault.decrypt(text, "example");
 * }</pre>
 */
public final class Vault {
  public static final String HEADER = "$ANSIBLE_VAULT";
  /** What to do when a password is missing, in every message that needs one. */
  public static final String HOW =
      "use --vault-password-file FILE, --ask-vault-pass or --vault-id [ID@]SOURCE";

  /** No passwords: encrypted data fails with a message that says how to give one. */
  public static final Vault NONE = new Vault(List.of());

  // The vault of the command being run, read by the YAML loader and by modules that read controller files.
  // One command runs at a time in a process; each command sets it before reading anything.
  private static volatile Vault current = NONE;

  /** The shortest decrypted value {@link #redact} hides. */
  public static final int MIN_REDACTED = 3;

  private final List<VaultSecret> secrets;
  private final Set<String> revealed = ConcurrentHashMap.newKeySet();

  private Vault(List<VaultSecret> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  public static Vault of(List<VaultSecret> secrets) {
    return secrets.isEmpty() ? NONE : new Vault(secrets);
  }

  /** The vault of the running command ({@link #NONE} until one is set). */
  public static Vault current() {
    return current;
  }

  /** Makes {@code vault} the one files and {@code !vault} values are decrypted with. */
  public static void use(Vault vault) {
    current = Objects.requireNonNull(vault);
  }

  public List<VaultSecret> secrets() {
    return secrets;
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  /** Whether {@code data} starts with the vault header (after leading whitespace, as Ansible's check). */
  public static boolean isEncrypted(byte[] data) {
    int i = 0;
    while (i < data.length && Character.isWhitespace(data[i])) {
      i++;
    }
    byte[] h = HEADER.getBytes(StandardCharsets.US_ASCII);
    if (data.length - i < h.length) {
      return false;
    }
    for (int k = 0; k < h.length; k++) {
      if (data[i + k] != h[k]) {
        return false;
      }
    }
    return true;
  }

  public static boolean isEncrypted(String text) {
    return text.stripLeading().startsWith(HEADER);
  }

  /** The parsed header of vault text: its version, cipher and vault id (null for 1.1). */
  record Envelope(String version, String cipher, String id, String payload) {
    static Envelope parse(String text) throws VaultException {
      String[] lines = text.strip().split("\r?\n");
      String[] header = lines[0].strip().split(";");
      if (!header[0].equals(HEADER) || header.length < 3) {
        throw new VaultException("not vault data: the first line is not '$ANSIBLE_VAULT;1.1;AES256'");
      }
      String version = header[1].strip();
      if (!version.equals("1.1") && !version.equals("1.2")) {
        throw new VaultException("vault format version " + version + " is not supported (1.1 and 1.2 are)");
      }
      String cipher = header[2].strip();
      if (!cipher.equals("AES256")) {
        throw new VaultException("vault cipher " + cipher + " is not supported (AES256 is)");
      }
      String id = header.length >= 4 ? header[3].strip() : null;
      StringBuilder payload = new StringBuilder();
      for (int i = 1; i < lines.length; i++) {
        payload.append(lines[i].strip());
      }
      return new Envelope(version, cipher, id, payload.toString());
    }
  }

  /**
   * The plaintext of {@code vaultText}. {@code what} names the data in messages ("this value", "the file"); the
   * messages never hold the password or any plaintext.
   */
  public byte[] decrypt(String vaultText, String what) throws VaultException {
    Envelope env = Envelope.parse(vaultText);
    if (secrets.isEmpty()) {
      throw new VaultException(what + " is vault-encrypted"
          + (env.id() == null ? "" : " (vault id '" + env.id() + "')") + " but no vault password was given: " + HOW);
    }
    List<VaultSecret> order = new ArrayList<>();
    for (VaultSecret s : secrets) {
      if (s.id().equals(env.id())) {
        order.add(s);
      }
    }
    for (VaultSecret s : secrets) {
      if (!order.contains(s)) {
        order.add(s);
      }
    }
    for (VaultSecret s : order) {
      try {
        byte[] plain = VaultCipher.decrypt(env.payload(), s.password());
        if (plain != null) {
          return plain;
        }
      } catch (VaultCipher.FormatException e) {
        throw new VaultException(what + " is damaged vault data: " + e.getMessage());
      }
    }
    List<String> tried = order.stream().map(s -> s.id() + " (" + s.source() + ")").toList();
    throw new VaultException("cannot decrypt " + what
        + (env.id() == null ? "" : " (vault id '" + env.id() + "')") + ": the vault password"
        + (tried.size() == 1 ? " " : "s ") + "given (" + String.join(", ", tried) + ") "
        + (tried.size() == 1 ? "does" : "do") + " not match; give the right one with --vault-password-file or "
        + "--vault-id");
  }

  /**
   * As {@link #decrypt(String, String)}, the plaintext as UTF-8 text; remembered, so that {@link #redact} can hide
   * it where jplay shows values the user did not ask to see.
   */
  public String decryptText(String vaultText, String what) throws VaultException {
    String plain = new String(decrypt(vaultText, what), StandardCharsets.UTF_8);
    String trimmed = plain.strip();
    if (trimmed.length() >= MIN_REDACTED) {
      revealed.add(trimmed);
    }
    return plain;
  }

  /**
   * {@code value} (strings, lists and maps, deeply) with every decrypted vault value replaced by
   * {@code ********}: for module arguments shown at -vvvv and in JSON events. Values shorter than
   * {@value #MIN_REDACTED} characters are left alone: masking every "1" or "no" would garble the output and hide
   * nothing.
   */
  public <T> T redact(T value) {
    if (revealed.isEmpty()) {
      return value;
    }
    @SuppressWarnings("unchecked")
    T out = (T) redactAny(value);
    return out;
  }

  private Object redactAny(Object value) {
    if (value instanceof String s) {
      String out = s;
      for (String secret : revealed) {
        out = out.replace(secret, "********");
      }
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, redactAny(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(redactAny(v)));
      return out;
    }
    return value;
  }

  /**
   * Vault text for {@code plaintext}, encrypted with the password of id {@code id} (null: the only password, or
   * the first when there are several), 80-column lines ending in a newline, as ansible-vault writes.
   */
  public String encrypt(byte[] plaintext, String id) throws VaultException {
    return encryptWith(plaintext, encryptSecret(id));
  }

  /** The password {@code encrypt} would use: by id, or the first one given. */
  public VaultSecret encryptSecret(String id) throws VaultException {
    if (secrets.isEmpty()) {
      throw new VaultException("encrypting needs a vault password: " + HOW);
    }
    if (id == null) {
      return secrets.get(0);
    }
    for (VaultSecret s : secrets) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    throw new VaultException("no vault password has the id '" + id + "' (the ids given: "
        + String.join(", ", secrets.stream().map(VaultSecret::id).toList()) + ")");
  }

  public static String encryptWith(byte[] plaintext, VaultSecret secret) throws VaultException {
    if (isEncrypted(plaintext)) {
      throw new VaultException("the input is already vault-encrypted");
    }
    String payload = VaultCipher.encrypt(plaintext, secret.password());
    boolean labelled = !secret.id().equals(VaultSecret.DEFAULT_ID);
    StringBuilder out = new StringBuilder(HEADER).append(labelled ? ";1.2;AES256;" + secret.id() : ";1.1;AES256");
    out.append('\n');
    for (int i = 0; i < payload.length(); i += 80) {
      out.append(payload, i, Math.min(payload.length(), i + 80)).append('\n');
    }
    return out.toString();
  }
}
