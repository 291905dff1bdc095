package jplay.engine.connection;

/** How SSH host keys are checked, as Ansible's host_key_checking, plus OpenSSH's accept-new. */
public enum HostKeyPolicy {
  /** The key must be in known_hosts (the default, as Ansible's host_key_checking=True). */
  STRICT,
  /** An unknown host's key is added to known_hosts; a changed key is still refused. */
  ACCEPT_NEW,
  /** No checking at all: an explicit opt-out. */
  OFF
}
