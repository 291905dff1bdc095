package jplay.engine.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;

/** Runs commands on this machine with {@code /bin/sh -c}, as {@code connection: local}. */
final class LocalConnection implements Connection {
  private final String name;

  LocalConnection(Target target) {
    this.name = target.name() == null ? "localhost" : target.name();
  }

  @Override
  public CommandResult run(Command command, Become become, Duration timeout)
      throws UnreachableException, BecomeException, InterruptedException {
    Invocation inv = Invocation.of(command, become, timeout);
    Instant start = Instant.now();
    Process p;
    try {
      p = new ProcessBuilder("/bin/sh", "-c", inv.script()).start();
    } catch (IOException e) {
      throw new UnreachableException("cannot start /bin/sh on " + name + ": " + e.getMessage(), e);
    }
    try {
      return Exchange.run(name, inv, command.stdin(), timeout, new Local(p), start);
    } catch (IOException e) {
      // Local pipes do not fail unless the machine is in trouble; report it like a lost link.
      throw new UnreachableException("lost the pipes of a local command on " + name + ": " + e.getMessage(), e);
    } finally {
      if (p.isAlive()) {
        new Local(p).kill();
      }
    }
  }

  @Override
  public void close() {
    // Nothing is held between commands.
  }

  @Override
  public String toString() {
    return "LocalConnection[" + name + "]";
  }

  private static final class Local implements Exchange.Proc {
    private final Process process;

    Local(Process process) {
      this.process = process;
    }

    @Override
    public OutputStream stdin() {
      return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
      return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return process.getErrorStream();
    }

    @Override
    public boolean exited() {
      return !process.isAlive();
    }

    @Override
    public int exitCode() {
      return process.exitValue();
    }

    @Override
    public void kill() {
      // Children first, from a snapshot taken while the parent still links them: once it dies they are reparented
      // and out of reach. Children running as another user (under sudo) are left to the timeout(1) guard.
      List<ProcessHandle> tree = process.descendants().collect(Collectors.toList());
      process.destroyForcibly();
      tree.forEach(ProcessHandle::destroyForcibly);
      closeQuietly(process.getOutputStream());
      closeQuietly(process.getInputStream());
      closeQuietly(process.getErrorStream());
    }

    private static void closeQuietly(AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // Already closed.
      }
    }
  }
}
