package jplay.engine.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two throw-away local users for become tests, with a sudoers drop-in: {@link #nopasswd()} may sudo anything
 * without a password, {@link #withPassword()} only with its password {@link #password()} (asked every time). Both
 * can log in over SSH with {@link Sshd#clientKey()} (its authorized_keys file serves every user), and
 * {@link #withPassword()} also with its password. Needs root and sudo; {@link #close()} removes users and drop-in.
 *
 * <pre>{@code
 * try (SudoUsers users = SudoUsers.create()) { ... users.withPassword() ... }
 * }</pre>
 */
public final class SudoUsers implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String nopasswd;
  private final String withPassword;
  private final String password;
  private final Path dropIn;
  private final Thread cleanup;

  private SudoUsers(String nopasswd, String withPassword, String password, Path dropIn) {
    this.nopasswd = nopasswd;
    this.withPassword = withPassword;
    this.password = password;
    this.dropIn = dropIn;
    // A killed test JVM must not leave users with sudo rights behind.
    this.cleanup = new Thread(this::remove, "sudo-users-cleanup");
  }

  /** Creates the users, or skips (fails under CI=true) when not root or sudo/useradd are missing. */
  public static SudoUsers create() {
    Sshd.require(Sshd.isRoot(), "become tests create local users and need root (running as " + System.getProperty("user.name") + ")");
    for (String tool : List.of("/usr/bin/sudo", "/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/chpasswd", "/usr/sbin/visudo")) {
      Sshd.require(Files.isExecutable(Path.of(tool)), tool + " not found: become tests need sudo and the shadow tools");
    }
    Sshd.require(Files.isDirectory(Path.of("/etc/sudoers.d")), "/etc/sudoers.d is missing: become tests need a sudoers drop-in directory");
    String tag = HexFormat.of().formatHex(bytes(3));
    String np = "jplay_np_" + tag;
    String pw = "jplay_pw_" + tag;
    String password = "Pw-" + HexFormat.of().formatHex(bytes(8));
    Path dropIn = Path.of("/etc/sudoers.d/jplay_test_" + tag);
    SudoUsers users = new SudoUsers(np, pw, password, dropIn);
    Runtime.getRuntime().addShutdownHook(users.cleanup);
    try {
      for (String u : List.of(np, pw)) {
        run(List.of("/usr/sbin/useradd", "-m", "-s", "/bin/sh", u), null);
      }
      // Both get a password: with UsePAM no, sshd refuses even key logins to accounts whose password is locked.
      run(List.of("/usr/sbin/chpasswd"), np + ":" + password + "-np\n" + pw + ":" + password + "\n");
      String rules = np + " ALL=(ALL:ALL) NOPASSWD: ALL\n"
          + pw + " ALL=(ALL:ALL) ALL\n"
          + "Defaults:" + pw + " timestamp_timeout=0, !lecture, passwd_tries=3\n";
      Path staged = Files.createTempFile("jplay-sudoers-", "");
      Files.writeString(staged, rules);
      run(List.of("/usr/sbin/visudo", "-c", "-q", "-f", staged.toString()), null);
      Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("r--r-----"));
      Files.move(staged, dropIn);
      return users;
    } catch (IOException | RuntimeException e) {
      users.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** May sudo to anyone without a password. */
  public String nopasswd() {
    return nopasswd;
  }

  /** May sudo to anyone with {@link #password()}, which sudo asks for every time. */
  public String withPassword() {
    return withPassword;
  }

  public String password() {
    return password;
  }

  @Override
  public void close() {
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or ran.
    }
  }

  private synchronized void remove() {
    try {
      Files.deleteIfExists(dropIn);
    } catch (IOException e) {
      // Reported below only if users also linger; nothing else to do.
    }
    for (String u : List.of(nopasswd, withPassword)) {
      try {
        // The SSH session of a test may still be ending; -f removes the user regardless.
        run(List.of("/usr/sbin/userdel", "-f", "-r", u), null);
      } catch (RuntimeException e) {
        // Not created (setup failed early) or already gone.
      }
    }
  }

  private static void run(List<String> argv, String input) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        if (input != null) {
          in.write(input.getBytes(UTF_8));
        }
      }
      String out = new String(p.getInputStream().readAllBytes(), UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(argv.get(0) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " failed with " + p.exitValue() + ": " + out.trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
