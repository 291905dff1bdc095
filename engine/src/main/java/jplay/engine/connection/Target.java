package jplay.engine.connection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to reach one host, resolved from inventory variables ({@code ansible_host}, {@code ansible_port}, ...) and
 * command-line options.
 *
 * @param name the inventory name (used in messages)
 * @param address host name or IP to connect to
 * @param port SSH port
 * @param user remote user; null means the local user's name
 * @param password SSH password (from {@code -k} or {@code ansible_password}), or null
 * @param privateKeys keys to offer; empty means the user's default keys (~/.ssh/id_*)
 * @param connection "ssh" or "local"
 * @param hostKeyPolicy how to check the host key
 * @param knownHosts the known_hosts file to check against (and to add to under ACCEPT_NEW)
 * @param connectTimeout how long connecting and authenticating may take
 */
public record Target(
    String name,
    String address,
    int port,
    String user,
    String password,
    List<Path> privateKeys,
    String connection,
    HostKeyPolicy hostKeyPolicy,
    Path knownHosts,
    Duration connectTimeout) {
  public Target {
    privateKeys = List.copyOf(privateKeys);
  }

  // equals and hashCode written out, as the record's own would be: a record's are linked on first use through
  // invokedynamic (ObjectMethods), several milliseconds of every run's start for a map key.
  @Override
  public boolean equals(Object o) {
    return o instanceof Target t && name.equals(t.name) && address.equals(t.address) && port == t.port
        && java.util.Objects.equals(user, t.user) && java.util.Objects.equals(password, t.password)
        && privateKeys.equals(t.privateKeys) && java.util.Objects.equals(connection, t.connection)
        && hostKeyPolicy == t.hostKeyPolicy && java.util.Objects.equals(knownHosts, t.knownHosts)
        && java.util.Objects.equals(connectTimeout, t.connectTimeout);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, address, port, user, password, privateKeys, connection, hostKeyPolicy,
        knownHosts, connectTimeout);
  }

  @Override
  public String toString() {
    // Never print the password.
    return "Target[" + name + " " + connection + " " + (user == null ? "" : user + "@") + address + ":" + port + "]";
  }
}
