package jplay.modules.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/** Digests by the names Ansible uses (sha1, sha256, md5 ...), as lower-case hex. */
final class Checksums {
  /** Ansible's algorithm names and the JDK's. */
  static final Map<String, String> ALGORITHMS =
      Map.of("md5", "MD5", "sha1", "SHA-1", "sha224", "SHA-224", "sha256", "SHA-256", "sha384", "SHA-384",
          "sha512", "SHA-512");

  private Checksums() {}

  /** The hex digest of {@code bytes} with a JDK algorithm name ({@code SHA-1}). */
  static String hex(String jdkName, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(jdkName).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jdkName + " is missing from this JDK", e);
    }
  }

  /** The hex digest with an Ansible algorithm name ({@code sha256}). */
  static String of(String ansibleName, byte[] bytes) {
    return hex(ALGORITHMS.get(ansibleName.toLowerCase(Locale.ROOT)), bytes);
  }

  static String sha1(byte[] bytes) {
    return hex("SHA-1", bytes);
  }

  static String md5(byte[] bytes) {
    return hex("MD5", bytes);
  }
}
