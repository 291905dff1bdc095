package jplay.engine.connection;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks a server's host key against a known_hosts file per {@link HostKeyPolicy}. sshj's own parser does the
 * matching (hashed names, patterns, markers); this class adds the policy, the accept-new append and messages that
 * say which key, which file and which line. After a refusal, {@link #rejection()} holds the message.
 */
final class HostKeys implements HostKeyVerifier {
  /** One lock per known_hosts file in this JVM; a file lock covers other processes (ssh, another jplay). */
  private static final ConcurrentHashMap<Path, Object> APPEND_LOCKS = new ConcurrentHashMap<>();
  /**
   * The last parse of each known_hosts file, reused while the file's text is the same. sshj decodes every key of
   * the file when it parses it (an ed25519 point decompression each); parsing per connection made a 200-line file
   * a third of the controller's CPU at 50 hosts (bench/README.md).
   */
  private static final ConcurrentHashMap<Path, Parsed> PARSED = new ConcurrentHashMap<>();

  private record Parsed(String text, OpenSSHKnownHosts hosts) { }

  private final Target target;
  private final Path file;
  private volatile String rejection;

  HostKeys(Target target) {
    this.target = target;
    this.file = target.knownHosts() != null
        ? target.knownHosts()
        : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /** Why the last key was refused, or null. */
  String rejection() {
    return rejection;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    if (target.hostKeyPolicy() == HostKeyPolicy.OFF) {
      return true;
    }
    String name = hostPattern(hostname, port);
    KeyType type = KeyType.fromKey(key);
    try {
      String text = Files.exists(file) ? Files.readString(file, UTF_8) : "";
      OpenSSHKnownHosts known = parsed(text);
      OpenSSHKnownHosts.KnownHostEntry changed = null;
      String keyText = " " + Base64.getEncoder().encodeToString(blob(key));
      for (OpenSSHKnownHosts.KnownHostEntry e : known.entries()) {
        if (e.getLine().startsWith("@revoked") && (e.getLine() + " ").contains(keyText + " ")) {
          rejection = "host key for " + describe(hostname, port) + " (" + type + " " + fingerprint(key)
              + ") is marked @revoked in " + file + lineOf(text, e);
          return false;
        }
      }
      for (OpenSSHKnownHosts.KnownHostEntry e : known.entries()) {
        if (e.getLine().startsWith("@")) {
          // @revoked is handled above; @cert-authority lines vouch for certificates, which jplay does not use.
          continue;
        }
        if (e.appliesTo(type, name)) {
          if (e.verify(key)) {
            return true;
          }
          changed = e;
        }
      }
      if (changed != null) {
        rejection = "host key for " + describe(hostname, port) + " has CHANGED: the server offers " + type + " key "
            + fingerprint(key) + ", but " + file + lineOf(text, changed) + " holds another key for it."
            + " If the host was reinstalled, remove that line (ssh-keygen -R '" + name + "' -f " + file + ")";
        return false;
      }
      if (target.hostKeyPolicy() == HostKeyPolicy.ACCEPT_NEW) {
        append(name, type, key);
        return true;
      }
      rejection = "host key for " + describe(hostname, port) + " is not known: " + type + " key " + fingerprint(key)
          + " is not in " + file + " (add it with ssh-keyscan after checking the fingerprint, or use host key"
          + " checking accept-new)";
      return false;
    } catch (IOException e) {
      rejection = "cannot check the host key of " + describe(hostname, port) + " against " + file + ": " + e.getMessage();
      return false;
    }
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    // Ask the server for the key type we already know, so a host with several keys does not look changed.
    if (target.hostKeyPolicy() == HostKeyPolicy.OFF) {
      return List.of();
    }
    try {
      String text = Files.exists(file) ? Files.readString(file, UTF_8) : "";
      return parsed(text).findExistingAlgorithms(hostname, port);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** OpenSSH's fingerprint notation: {@code SHA256:} and unpadded base64 of the key blob's digest. */
  static String fingerprint(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static byte[] blob(PublicKey key) {
    return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
  }

  /** {@code text} (this file's content) parsed, from the cache when the file has not changed since. */
  private OpenSSHKnownHosts parsed(String text) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Parsed last = PARSED.get(key);
    if (last != null && last.text().equals(text)) {
      return last.hosts();
    }
    // One parse per file at a time: the hosts connecting at once wait for it rather than each parse the same text.
    synchronized (APPEND_LOCKS.computeIfAbsent(key, p -> new Object())) {
      last = PARSED.get(key);
      if (last != null && last.text().equals(text)) {
        return last.hosts();
      }
      OpenSSHKnownHosts hosts = parse(text);
      PARSED.put(key, new Parsed(text, hosts));
      return hosts;
    }
  }

  private static OpenSSHKnownHosts parse(String text) throws IOException {
    return new OpenSSHKnownHosts(new StringReader(text));
  }

  /** known_hosts spelling of a host: {@code host}, or {@code [host]:port} off port 22. */
  static String hostPattern(String hostname, int port) {
    return port == 22 ? hostname : "[" + hostname + "]:" + port;
  }

  private String describe(String hostname, int port) {
    String at = hostname + ":" + port;
    return target.name() == null || target.name().equals(hostname) ? at : target.name() + " (" + at + ")";
  }

  /** ":N" for the line holding the entry, so the user can go straight there; "" when it cannot be told. */
  private static String lineOf(String text, OpenSSHKnownHosts.KnownHostEntry entry) {
    String wanted = entry.getLine().trim().replaceAll("\\s+", " ");
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].trim().replaceAll("\\s+", " ");
      if (l.equals(wanted) || l.startsWith(wanted + " ")) {
        return ":" + (i + 1);
      }
    }
    return "";
  }

  private void append(String name, KeyType type, PublicKey key) throws IOException {
    String line = name + " " + type + " " + Base64.getEncoder().encodeToString(blob(key)) + "\n";
    Path abs = file.toAbsolutePath().normalize();
    synchronized (APPEND_LOCKS.computeIfAbsent(abs, p -> new Object())) {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        // Another thread or process may have added this host while we were connecting: do not add it twice.
        String current = new String(readAll(ch), UTF_8);
        for (OpenSSHKnownHosts.KnownHostEntry e : parse(current).entries()) {
          if (e.appliesTo(type, name) && e.verify(key)) {
            return;
          }
        }
        String prefix = current.isEmpty() || current.endsWith("\n") ? "" : "\n";
        ByteBuffer buf = ByteBuffer.wrap((prefix + line).getBytes(UTF_8));
        ch.position(ch.size());
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    }
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
    ch.position(0);
    while (buf.hasRemaining() && ch.read(buf) >= 0) {
      // keep reading
    }
    return buf.array();
  }
}
