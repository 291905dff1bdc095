package jplay.engine.vault;

import java.util.Arrays;

/**
 * One vault password and the id it goes by ({@code default} when none was given), with where it came from for
 * messages. The password itself is never printed: {@link #toString()} leaves it out.
 */
public record VaultSecret(String id, byte[] password, String source) {
  public static final String DEFAULT_ID = "default";

  public VaultSecret {
    if (password.length == 0) {
      throw new IllegalArgumentException("an empty vault password");
    }
    password = password.clone();
  }

  @Override
  public byte[] password() {
    return password.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VaultSecret s && s.id.equals(id) && Arrays.equals(s.password, password)
        && s.source.equals(source);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Arrays.hashCode(password);
  }

  @Override
  public String toString() {
    return "VaultSecret[id=" + id + ", source=" + source + "]";
  }
}
