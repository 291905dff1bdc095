package jplay.engine.connection;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jplay.engine.api.CommandResult;

/**
 * Drives one started command: the sudo handshake, stdin, stdout and stderr concurrently (so neither side blocks on
 * a full pipe, however large the output), exit and timeout. Shared by ssh and local connections, which only adapt
 * their process to {@link Proc}.
 */
final class Exchange {
  /** rc of a command stopped at its timeout, as timeout(1). */
  static final int TIMED_OUT = 124;
  /** How long output may still trickle in once the command exited (a background child can hold the pipes). */
  static final long DRAIN_MILLIS = 1000;
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jplay-io-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  /** A started command, seen from this side. */
  interface Proc {
    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** True once the command exited (its status is known); never blocks long. */
    boolean exited();

    /** The exit code once {@link #exited()}; 128+N for a signal, as the shell reports it. */
    int exitCode() throws IOException;

    /** Stops the command and releases its streams; never throws. */
    void kill();

    /** How long to wait for the rest of the output once {@link #exited()}; see {@link #DRAIN_MILLIS}. */
    default long drainMillis() {
      return DRAIN_MILLIS;
    }

    /**
     * The run was interrupted: stop the command on its host, process group included, then release it. Only here
     * (not on {@link #kill}, which also ends commands that left a background child holding their output) does
     * an ssh connection send a stop command. Never throws.
     */
    default void interrupt() {
      kill();
    }
  }

  private final String host;
  private final Invocation invocation;
  private final byte[] input;
  private final Duration timeout;
  private final Proc proc;
  private final Object lock = new Object();
  private final Sink out = new Sink();
  private final Sink err = new Sink();
  private volatile boolean killed;
  private volatile Future<?> feeding;

  private Exchange(String host, Invocation invocation, byte[] input, Duration timeout, Proc proc) {
    this.host = host;
    this.invocation = invocation;
    this.input = input;
    this.timeout = timeout;
    this.proc = proc;
  }

  /**
   * Runs the exchange to the end. IOExceptions are failures of the link (the caller decides what that means);
   * the command's own failures are in the result.
   */
  static CommandResult run(String host, Invocation invocation, byte[] input, Duration timeout, Proc proc, Instant start)
      throws IOException, BecomeException, InterruptedException {
    return new Exchange(host, invocation, input, timeout, proc).run(start);
  }

  private CommandResult run(Instant start) throws IOException, BecomeException, InterruptedException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    IO.execute(() -> pump(proc.stdout(), out));
    IO.execute(() -> pump(proc.stderr(), err));
    try {
      if (invocation.become() && !sudo(deadline)) {
        return timedOut(start);
      }
      feeding = IO.submit(this::feed);
      if (!awaitEnd(deadline)) {
        return timedOut(start);
      }
      stopFeeding();
      int rc = proc.exitCode();
      IOException broken = out.error != null ? out.error : err.error;
      if (broken != null && !killed) {
        throw broken;
      }
      String stdout = stdout();
      String stderr = stderr();
      if (timeout != null && rc == TIMED_OUT && System.nanoTime() >= deadline - 200_000_000L) {
        // The remote timeout(1) guard fired a moment before our own deadline: the same event.
        stderr = appendLine(stderr, timeoutMessage());
      }
      return new CommandResult(rc, stdout, stderr, start, Instant.now());
    } catch (InterruptedException e) {
      killed = true;
      stopFeeding();
      proc.interrupt();
      throw e;
    } catch (IOException | BecomeException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  /**
   * Waits for sudo to let the command run, answering its first password prompt. False on timeout.
   *
   * <p>A second prompt means the password was wrong (sudo prints "Sorry, try again" and asks again); without a
   * password sudo runs with -n and fails at once with "a password is required".
   */
  private boolean sudo(long deadline) throws BecomeException, InterruptedException, IOException {
    byte[] success = (invocation.successMarker() + "\n").getBytes(UTF_8);
    byte[] prompt = invocation.promptMarker().getBytes(UTF_8);
    int answered = 0;
    while (true) {
      boolean ended = false;
      synchronized (lock) {
        while (true) {
          if (out.indexOf(success) >= 0) {
            return true;
          }
          if (err.count(prompt) > answered) {
            break;
          }
          if (out.done && err.done) {
            ended = true;
            break;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          lock.wait(Math.min(left / 1_000_000 + 1, 100));
        }
      }
      if (ended) {
        throw sudoFailed();
      }
      if (invocation.password() == null) {
        stop();
        throw new BecomeException(noPassword());
      }
      if (answered > 0) {
        stop();
        throw new BecomeException(wrongPassword());
      }
      OutputStream in = proc.stdin();
      in.write((invocation.password() + "\n").getBytes(UTF_8));
      in.flush();
      answered++;
    }
  }

  /** sudo ended without running the command: say why, in sudo's words where they help. */
  private BecomeException sudoFailed() throws IOException {
    String why = stderr().trim();
    int rc = proc.exited() ? proc.exitCode() : -1;
    stop();
    if (why.contains("a password is required")) {
      return new BecomeException(noPassword());
    }
    if (why.contains("incorrect password") || why.contains("Sorry, try again")) {
      return new BecomeException(wrongPassword());
    }
    return new BecomeException("sudo on " + host + " failed to become " + invocation.becomeUser() + ": "
        + (why.isEmpty() ? "exit code " + rc : why.replace('\n', ' ')));
  }

  private String noPassword() {
    return "sudo on " + host + " needs a password to become " + invocation.becomeUser()
        + ", but no become password was given (use --ask-become-pass or set ansible_become_password)";
  }

  private String wrongPassword() {
    return "sudo on " + host + " refused the become password for becoming " + invocation.becomeUser()
        + " (incorrect password)";
  }

  /** Waits for exit and the end of output, bounded by the deadline. False on timeout. */
  private boolean awaitEnd(long deadline) throws InterruptedException {
    long exitedAt = 0;
    synchronized (lock) {
      while (true) {
        boolean drained = out.done && err.done;
        boolean exited = proc.exited();
        if (drained && exited) {
          return true;
        }
        long now = System.nanoTime();
        if (exited && exitedAt == 0) {
          exitedAt = now;
        }
        if (exited && now - exitedAt > proc.drainMillis() * 1_000_000) {
          // The command is gone but something it started still holds its output open; do not wait for it.
          killed = true;
          proc.kill();
          return true;
        }
        if (now >= deadline) {
          return false;
        }
        // Readers notify on every chunk and at end; the exit itself is polled (ssh has no callback for it).
        lock.wait(Math.max(1, Math.min((deadline - now) / 1_000_000 + 1, drained ? 1 : 50)));
      }
    }
  }

  private CommandResult timedOut(Instant start) {
    stop();
    return new CommandResult(TIMED_OUT, stdout(), appendLine(stderr(), timeoutMessage()), start, Instant.now());
  }

  private String timeoutMessage() {
    return "command timed out after " + Invocation.seconds(timeout) + " s";
  }

  private void stop() {
    killed = true;
    stopFeeding();
    proc.kill();
  }

  /**
   * The command ended without reading all its input: stop writing it. Over ssh the writer may wait for window
   * space the server will never grant, while holding the stream that sshj's reader must close to finish the
   * channel; the interrupt ends that wait.
   */
  private void stopFeeding() {
    Future<?> f = feeding;
    if (f != null) {
      f.cancel(true);
    }
  }

  private String stdout() {
    String s = out.text();
    if (invocation.become()) {
      s = s.replaceFirst(java.util.regex.Pattern.quote(invocation.successMarker() + "\n"), "");
    }
    return s;
  }

  private String stderr() {
    String s = err.text();
    if (invocation.become()) {
      // sudo -S ends its prompt line itself once it read the password.
      s = s.replace(invocation.promptMarker() + "\n", "").replace(invocation.promptMarker(), "");
    }
    return s;
  }

  private static String appendLine(String text, String line) {
    return text.isEmpty() || text.endsWith("\n") ? text + line : text + "\n" + line;
  }

  private void feed() {
    try (OutputStream in = proc.stdin()) {
      // A command that exits without reading its input closes the pipe under us: that is its right.
      in.write(input);
      in.flush();
    } catch (IOException e) {
      // See above: an unread stdin is not an error, and a dead link shows up on the output side.
    }
  }

  private void pump(InputStream from, Sink to) {
    byte[] buf = new byte[32 * 1024];
    try (from) {
      int n;
      while ((n = from.read(buf)) >= 0) {
        synchronized (lock) {
          to.write(buf, 0, n);
          lock.notifyAll();
        }
      }
    } catch (IOException e) {
      to.error = killed ? null : e;
    } finally {
      synchronized (lock) {
        to.done = true;
        lock.notifyAll();
      }
    }
  }

  /** Collected output of one stream; guarded by the exchange's lock. */
  private static final class Sink extends Bytes {
    volatile boolean done;
    volatile IOException error;

    synchronized int indexOf(byte[] needle) {
      return indexOf(needle, 0);
    }

    synchronized int count(byte[] needle) {
      int n = 0;
      int at = indexOf(needle, 0);
      while (at >= 0) {
        n++;
        at = indexOf(needle, at + needle.length);
      }
      return n;
    }

    synchronized String text() {
      return new String(buf, 0, count, UTF_8);
    }
  }
}
