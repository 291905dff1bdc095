package jplay.engine.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ansible Vault's AES256 cipher (format 1.1 and 1.2), with the JDK's javax.crypto only: PBKDF2-HMAC-SHA256 with
 * 10000 iterations over a 32-byte salt gives an AES-256 key, an HMAC-SHA256 key and a 16-byte CTR counter; the
 * PKCS#7-padded plaintext is encrypted in CTR mode and the ciphertext signed (encrypt-then-MAC).
 */
final class VaultCipher {
  private static final int ITERATIONS = 10_000;
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private VaultCipher() {}

  /** Thrown when the payload is not hex or not three hex parts: the data is damaged, not the password wrong. */
  static final class FormatException extends Exception {
    FormatException(String message) {
      super(message);
    }
  }

  /** The payload (the hex text under the header, newlines removed) for {@code plaintext}. */
  static String encrypt(byte[] plaintext, byte[] password) {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    return encrypt(plaintext, password, salt);
  }

  static String encrypt(byte[] plaintext, byte[] password, byte[] salt) {
    byte[][] keys = keys(password, salt);
    byte[] ciphertext = ctr(Cipher.ENCRYPT_MODE, keys, pad(plaintext));
    String inner = hex(salt) + "\n" + hex(hmac(keys[1], ciphertext)) + "\n" + hex(ciphertext);
    return hex(inner.getBytes(StandardCharsets.US_ASCII));
  }

  /** The plaintext of {@code payload}, or null when the password does not match (the HMAC differs). */
  static byte[] decrypt(String payload, byte[] password) throws FormatException {
    String inner = new String(unhex(payload, "vault data"), StandardCharsets.US_ASCII);
    String[] parts = inner.split("\n", 3);
    if (parts.length != 3) {
      throw new FormatException("the vault data does not hold a salt, an HMAC and a ciphertext");
    }
    byte[] salt = unhex(parts[0], "salt");
    byte[] mac = parts[1].getBytes(StandardCharsets.US_ASCII);
    byte[] ciphertext = unhex(parts[2], "ciphertext");
    byte[][] keys = keys(password, salt);
    // Compared as hex text, as Ansible does, in constant time.
    if (!MessageDigest.isEqual(mac, hex(hmac(keys[1], ciphertext)).getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    byte[] padded = ctr(Cipher.DECRYPT_MODE, keys, ciphertext);
    return unpad(padded);
  }

  /** [AES key, HMAC key, CTR counter] derived from the password and salt. */
  private static byte[][] keys(byte[] password, byte[] salt) {
    // PBEKeySpec takes chars and encodes them as UTF-8 for PBKDF2WithHmacSHA256 (the JDK's "PBKDF2" keys are
    // UTF-8 since JDK 8); decoding the password bytes as UTF-8 round-trips any valid UTF-8 password exactly.
    char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, ITERATIONS, (2 * KEY_BYTES + IV_BYTES) * 8);
    try {
      byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      return new byte[][] {
        Arrays.copyOfRange(derived, 0, KEY_BYTES),
        Arrays.copyOfRange(derived, KEY_BYTES, 2 * KEY_BYTES),
        Arrays.copyOfRange(derived, 2 * KEY_BYTES, 2 * KEY_BYTES + IV_BYTES)
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }

  private static byte[] ctr(int mode, byte[][] keys, byte[] data) {
    try {
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(mode, new SecretKeySpec(keys[0], "AES"), new IvParameterSpec(keys[2]));
      return aes.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/CTR", e);
    }
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }

  private static byte[] pad(byte[] data) {
    int n = 16 - data.length % 16;
    byte[] out = Arrays.copyOf(data, data.length + n);
    Arrays.fill(out, data.length, out.length, (byte) n);
    return out;
  }

  private static byte[] unpad(byte[] data) throws FormatException {
    int n = data.length == 0 ? 0 : data[data.length - 1] & 0xff;
    if (n < 1 || n > 16 || n > data.length) {
      throw new FormatException("the decrypted data has bad padding");
    }
    return Arrays.copyOf(data, data.length - n);
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  static byte[] unhex(String text, String what) throws FormatException {
    String t = text.strip();
    if (t.length() % 2 != 0) {
      throw new FormatException("the " + what + " is not hexadecimal (odd length)");
    }
    byte[] out = new byte[t.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(t.charAt(2 * i), 16);
      int lo = Character.digit(t.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new FormatException("the " + what + " is not hexadecimal");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}
