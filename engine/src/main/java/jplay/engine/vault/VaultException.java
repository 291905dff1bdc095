package jplay.engine.vault;

/** Vault data that cannot be decrypted or written: no password, a wrong one, or damaged data. */
public final class VaultException extends Exception {
  public VaultException(String message) {
    super(message);
  }
}
