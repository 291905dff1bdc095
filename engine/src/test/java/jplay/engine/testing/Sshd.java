package jplay.engine.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jplay.engine.connection.HostKeyPolicy;
import jplay.engine.connection.Target;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH {@code sshd} on loopback, listening on one port on 127.0.0.2 … 127.0.0.(N+1), so tests see N
 * distinct hosts. Everything it needs (host key, client key, authorized_keys, known_hosts, config, log) lives in a
 * temp dir that {@link #close()} removes.
 *
 * <pre>{@code
 * try (Sshd sshd = Sshd.start(5)) {
 *   Path inventory = sshd.inventory(tempDir);   // h1..h5 with ansible_host/port/user/key
 *   ... connect to sshd.addresses().get(0):sshd.port() as sshd.user() with sshd.clientKey(),
 *       checking host keys against sshd.knownHosts() ...
 *   assertEquals(1, sshd.connectionCount(sshd.addresses().get(0)));
 * }
 * }</pre>
 *
 * <p>Works as root (any local user can log in, password authentication against /etc/shadow) and as a normal user
 * (sshd runs unprivileged, so only that user can log in, with keys). When {@code sshd} is missing the test is
 * skipped with a reason, except under {@code CI=true}, where that is a failure: CI must prove the SSH path.
 */
public final class Sshd implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final Path dir;
  private final List<String> addresses;
  private final int port;
  private final String user;
  private final Path config;
  private Process process;
  private Path logFile;

  private Sshd(Path dir, List<String> addresses, int port, String user, Path config) {
    this.dir = dir;
    this.addresses = addresses;
    this.port = port;
    this.user = user;
    this.config = config;
  }

  /** True under CI ({@code CI=true}), where a missing prerequisite must fail the build instead of skipping. */
  public static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Fails (under CI) or skips the calling test (elsewhere) with {@code why}, when {@code ok} is false. */
  public static void require(boolean ok, String why) {
    if (ok) {
      return;
    }
    if (ci()) {
      throw new AssertionError(why + " (CI=true: required, not skipped)");
    }
    Assumptions.abort(why);
  }

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Starts sshd for {@code hosts} addresses (1..250) and waits until it listens on all of them. */
  public static Sshd start(int hosts) {
    if (hosts < 1 || hosts > 250) {
      throw new IllegalArgumentException("hosts must be 1..250, got " + hosts);
    }
    require(Files.isExecutable(SSHD), SSHD + " not found: install openssh-server to run the SSH tests");
    require(Files.isExecutable(SSH_KEYGEN), SSH_KEYGEN + " not found: install openssh-client to run the SSH tests");
    try {
      Path dir = Files.createTempDirectory("jplay-sshd-");
      // sshd reads authorized_keys with the logging-in user's privileges: other users must be able to reach it.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      keygen(dir.resolve("host_ed25519"));
      keygen(dir.resolve("client_ed25519"));
      Path authorized = dir.resolve("authorized_keys");
      Files.copy(dir.resolve("client_ed25519.pub"), authorized);
      Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
      Files.writeString(dir.resolve("known_hosts_empty"), "");
      if (isRoot()) {
        // Debian's sshd refuses to start as root without its privilege separation directory (systemd makes it).
        Files.createDirectories(Path.of("/run/sshd"));
      }
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < hosts; i++) {
        addresses.add("127.0.0." + (i + 2));
      }
      String user = System.getProperty("user.name");
      IOException last = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        int port = freePort(addresses.get(0));
        Sshd sshd = new Sshd(dir, List.copyOf(addresses), port, user, dir.resolve("sshd_config"));
        try {
          sshd.writeConfig(true);
          sshd.writeKnownHosts();
          sshd.launch();
          return sshd;
        } catch (PortTakenException e) {
          last = e;
        }
      }
      throw new IllegalStateException("sshd could not bind a free port after 5 attempts", last);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> addresses() {
    return addresses;
  }

  public int port() {
    return port;
  }

  /** The user that can log in with {@link #clientKey()}: the user running the tests. */
  public String user() {
    return user;
  }

  public Path clientKey() {
    return dir.resolve("client_ed25519");
  }

  /** known_hosts with this sshd's host key for every address:port, so STRICT checking passes. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** A fresh empty known_hosts file (for accept-new tests); each call makes a new one. */
  public Path emptyKnownHosts() {
    try {
      return Files.createTempFile(dir, "known_hosts_", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host key line as in known_hosts, without host: {@code ssh-ed25519 AAAA...}. */
  public String hostPublicKey() {
    try {
      String[] f = Files.readString(dir.resolve("host_ed25519.pub")).trim().split("\\s+");
      return f[0] + " " + f[1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host key's fingerprint as OpenSSH prints it: {@code SHA256:...}. */
  public String hostKeyFingerprint() {
    String out = run(List.of(SSH_KEYGEN.toString(), "-l", "-E", "sha256", "-f", dir.resolve("host_ed25519.pub").toString()));
    return out.trim().split("\\s+")[1];
  }

  /**
   * Host {@code index} (0-based) as a target named h1..hN: this user, the client key, STRICT checking against
   * {@link #knownHosts()}, a 5 s connect timeout.
   */
  public Target target(int index) {
    return new Target("h" + (index + 1), addresses.get(index), port, user, null, List.of(clientKey()), "ssh",
        HostKeyPolicy.STRICT, knownHosts(), Duration.ofSeconds(5));
  }

  /** The directory holding the keys, config and log. */
  public Path dir() {
    return dir;
  }

  /** sshd's own log ({@code -e} output at LogLevel VERBOSE). */
  public Path logFile() {
    return logFile;
  }

  public String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** TCP connections sshd accepted on {@code address}, from its log. */
  public int connectionCount(String address) {
    Pattern p = Pattern.compile("^Connection from \\S+ port \\d+ on " + Pattern.quote(address) + " port " + port + "\\b", Pattern.MULTILINE);
    return (int) p.matcher(log()).results().count();
  }

  /** TCP connections sshd accepted on all addresses. */
  public int connectionCount() {
    Matcher m = Pattern.compile("^Connection from ", Pattern.MULTILINE).matcher(log());
    return (int) m.results().count();
  }

  /** Successful logins (any method), from the log. */
  public int loginCount() {
    return (int) Pattern.compile("^Accepted (publickey|password|keyboard-interactive\\S*) for ", Pattern.MULTILINE).matcher(log()).results().count();
  }

  /**
   * Replaces the host key and restarts sshd on the same port, as when a machine is reinstalled. {@link #knownHosts()}
   * keeps the OLD key on purpose: it now is the known_hosts of a client that saw the host before.
   */
  public void changeHostKey() {
    try {
      stopProcess();
      Files.delete(dir.resolve("host_ed25519"));
      Files.delete(dir.resolve("host_ed25519.pub"));
      keygen(dir.resolve("host_ed25519"));
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops and starts sshd on the same port with the same keys: every open connection breaks. */
  public void restart() {
    try {
      stopProcess();
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops sshd and its sessions but keeps its files, as a host whose sshd went down; {@link #restart()} brings it back. */
  public void down() {
    stopProcess();
  }

  /** Kills the per-connection sshd processes (not the listener): clients see their connection drop. */
  public void dropConnections() {
    Process p = process;
    if (p != null) {
      p.children().forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * Writes an INI inventory with hosts h1..hN in group {@code all_hosts} (ansible_host, ansible_port,
   * ansible_user, ansible_ssh_private_key_file) and returns its path.
   */
  public Path inventory(Path targetDir) {
    StringBuilder sb = new StringBuilder("[all_hosts]\n");
    for (int i = 0; i < addresses.size(); i++) {
      sb.append("h").append(i + 1)
          .append(" ansible_host=").append(addresses.get(i))
          .append(" ansible_port=").append(port)
          .append(" ansible_user=").append(user)
          .append(" ansible_ssh_private_key_file=").append(clientKey())
          .append('\n');
    }
    try {
      Files.createDirectories(targetDir);
      Path file = targetDir.resolve("hosts.ini");
      Files.writeString(file, sb.toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops sshd (bounded wait) and removes the temp dir; never throws. */
  @Override
  public void close() {
    stopProcess();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temp dir is harmless; the test result matters more.
    }
  }

  /** Same as {@link #close()}. */
  public void stop() {
    close();
  }

  private void stopProcess() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    // Per-connection sshd children outlive the listener; end them too so no session lingers.
    List<ProcessHandle> children = p.descendants().collect(Collectors.toList());
    p.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeConfig(boolean withPenaltiesOff) throws IOException {
    StringBuilder c = new StringBuilder();
    c.append("Port ").append(port).append('\n');
    for (String a : addresses) {
      c.append("ListenAddress ").append(a).append('\n');
    }
    c.append("HostKey ").append(dir.resolve("host_ed25519")).append('\n')
        .append("AuthorizedKeysFile ").append(dir.resolve("authorized_keys")).append('\n')
        .append("StrictModes no\n")
        .append("PubkeyAuthentication yes\n")
        .append("PasswordAuthentication yes\n")
        .append("KbdInteractiveAuthentication no\n")
        // PAM would need a service file and root; sshd then checks passwords against /etc/shadow itself.
        .append("UsePAM no\n")
        .append("PermitRootLogin yes\n")
        .append("PidFile none\n")
        .append("LogLevel VERBOSE\n")
        .append("UseDNS no\n")
        .append("MaxStartups 500\n")
        .append("MaxSessions 100\n")
        .append("MaxAuthTries 20\n")
        .append("LoginGraceTime 30\n")
        .append("ClientAliveInterval 0\n")
        .append("Subsystem sftp internal-sftp\n");
    if (withPenaltiesOff) {
      // OpenSSH >= 9.8 penalises sources with failed logins; tests fail logins on purpose from 127.0.0.1.
      c.append("PerSourcePenalties no\n");
    }
    Files.writeString(config, c.toString());
    Process check = new ProcessBuilder(SSHD.toString(), "-t", "-f", config.toString()).redirectErrorStream(true).start();
    String out = new String(check.getInputStream().readAllBytes(), UTF_8);
    int rc = waitQuietly(check);
    if (rc != 0 && withPenaltiesOff && out.contains("PerSourcePenalties")) {
      writeConfig(false);
    } else if (rc != 0) {
      throw new IllegalStateException("sshd rejected its test config " + config + ": " + out.trim());
    }
  }

  private void writeKnownHosts() throws IOException {
    String key = hostPublicKey();
    StringBuilder sb = new StringBuilder();
    for (String a : addresses) {
      sb.append('[').append(a).append("]:").append(port).append(' ').append(key).append('\n');
    }
    Files.writeString(knownHosts(), sb.toString());
  }

  private void launch() throws IOException {
    // One log across restarts, so counts cover the whole test; readiness looks only at what this start wrote.
    logFile = dir.resolve("sshd.log");
    long from = Files.exists(logFile) ? Files.size(logFile) : 0;
    process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    // Readiness comes from sshd's own "Server listening" lines rather than probing the port: a probe would be
    // logged as a connection and skew connectionCount().
    while (true) {
      String log = Files.readString(logFile).substring((int) from);
      if (log.contains("Address already in use") || log.contains("Cannot bind any address")) {
        stopProcess();
        throw new PortTakenException(log.trim());
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("sshd exited with " + process.exitValue() + " at start: " + log.trim());
      }
      if (addresses.stream().allMatch(a -> log.contains("Server listening on " + a + " port " + port + "."))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        stopProcess();
        throw new IllegalStateException("sshd did not listen on " + addresses + " port " + port + " within " + READY_TIMEOUT.toSeconds() + " s: " + log.trim());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for sshd", e);
      }
    }
  }

  private static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      return s.getLocalPort();
    }
  }

  /** True when something accepts TCP connections on address:port (for tests of closed ports). */
  public static boolean listening(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void keygen(Path key) throws IOException {
    run(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "jplay-test", "-f", key.toString()));
  }

  private static String run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      int rc = waitQuietly(p);
      if (rc != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " failed with " + rc + ": " + out.trim());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int waitQuietly(Process p) {
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + p.info().commandLine().orElse("?"));
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static final class PortTakenException extends IOException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
