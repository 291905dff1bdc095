package jplay.engine.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Shell;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthKeyboardInteractive;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.method.PasswordResponseProvider;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * One sshj client per host for the whole run; one session channel per command. If the link turns out dead when a
 * command is about to start, it is opened again once; a link that drops while a command runs makes the host
 * unreachable (the command may or may not have had its effect, so it is never silently retried).
 */
final class SshConnection implements Connection {
  /** Seconds between keepalive probes; sshj gives up after 5 unanswered ones. */
  private static final int KEEPALIVE_SECONDS = 15;
  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** How long stopping an interrupted command on the host may take. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "jplay-ssh-setup-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final Target target;
  private final Semaphore setup;
  /** ProxyJump hosts, first to last; empty for a direct connection. */
  private final List<Target> jumps;
  private final Object lock = new Object();
  private SSHClient client;
  /** The shell kept open for the modules' commands (see {@link HostShell}); null until the first one. */
  private HostShell shell;
  /** The client {@link #shell} runs on; a reconnect makes a new one. */
  private SSHClient shellClient;
  /** Set when a shell could not be started: every command then gets a channel of its own. */
  private boolean noShell;
  /** Held while a command runs in {@link #shell}; a second command at once (delegation) gets a channel. */
  private final java.util.concurrent.locks.ReentrantLock shellBusy = new java.util.concurrent.locks.ReentrantLock();
  /** The connection to the last jump host, which carries this one. */
  private SshConnection via;
  private boolean closed;

  private SshConnection(Target target, List<Target> jumps, Semaphore setup) {
    this.target = target;
    this.jumps = List.copyOf(jumps);
    this.setup = setup;
  }

  /**
   * Connects and logs in. {@code setup}, when not null, bounds how many hosts connect at once (a reconnect takes
   * a permit too).
   */
  static SshConnection open(Target target, Semaphore setup) throws UnreachableException, InterruptedException {
    return open(target, List.of(), setup);
  }

  /** As {@link #open(Target, Semaphore)}, through {@code jumps} (ProxyJump), first to last. */
  static SshConnection open(Target target, List<Target> jumps, Semaphore setup)
      throws UnreachableException, InterruptedException {
    SshConnection c = new SshConnection(target, jumps, setup);
    try {
      c.client = c.connect();
    } catch (UnreachableException | InterruptedException | RuntimeException e) {
      c.close(); // the jump host's connection, if it was opened
      throw e;
    }
    return c;
  }

  @Override
  public CommandResult run(Command command, Become become, Duration timeout)
      throws UnreachableException, BecomeException, InterruptedException {
    // sshd makes every command's shell the leader of a new session (setsid; no tty is asked for).
    Invocation inv = Invocation.of(command, become, timeout, true);
    if (become == null && timeout == null && command.stdin().length <= HostShell.MAX_STDIN && !command.isolated()
        && HostShell.fits(inv.script())) {
      CommandResult r = runInShell(inv, command);
      if (r != null) {
        return r;
      }
    }
    Session session = null;
    Session.Command cmd = null;
    Instant start = Instant.now();
    for (int attempt = 0; cmd == null; attempt++) {
      SSHClient c = live(attempt > 0);
      try {
        session = c.startSession();
        cmd = session.exec("/bin/sh -c " + Shell.quote(inv.script()));
      } catch (IOException e) {
        quietly(session);
        session = null;
        if (attempt > 0) {
          throw new UnreachableException("cannot start a command on " + where() + ": " + message(e), e, true);
        }
        // The cached link died while idle (server restart, NAT timeout): nothing ran yet, so one reconnect is safe.
      }
    }
    try {
      return Exchange.run(target.name(), inv, command.stdin(), timeout, new Remote(session, cmd, () -> stopOnHost(inv, become)), start);
    } catch (IOException e) {
      throw new UnreachableException("connection to " + where() + " dropped while running a command: " + message(e), e);
    } finally {
      quietly(session);
    }
  }

  /**
   * Runs {@code inv} in the host's shell; null when it cannot (another command is using the shell, or no shell
   * could be started): the caller then opens a channel for it.
   */
  private CommandResult runInShell(Invocation inv, Command command) throws UnreachableException, InterruptedException {
    if (!shellBusy.tryLock()) {
      return null;
    }
    try {
      HostShell sh = shell();
      if (sh == null) {
        return null;
      }
      try {
        return sh.run(inv.script(), command.stdin(), command.stdinVariable(), Instant.now());
      } catch (InterruptedException e) {
        // First, while the shell's channel is open: closing it may end the shell but not what it started. The
        // interrupt is being reported by the exception; a flag still set would stop the stop command itself.
        Thread.interrupted();
        stopOnHost(sh.stopScript(), null);
        dropShell();
        throw e;
      } catch (IOException e) {
        dropShell();
        throw new UnreachableException("connection to " + where() + " dropped while running a command: " + message(e), e);
      }
    } finally {
      shellBusy.unlock();
    }
  }

  /** The host's shell, started (and checked with a first empty command) when there is none; null if it cannot be. */
  private HostShell shell() throws UnreachableException, InterruptedException {
    synchronized (lock) {
      if (noShell) {
        return null;
      }
      if (shell != null && shell.usable() && shellClient == client && client != null && client.isConnected()) {
        return shell;
      }
    }
    dropShell();
    for (int attempt = 0; ; attempt++) {
      SSHClient c = live(attempt > 0);
      Session session = null;
      try {
        session = c.startSession();
        String tag = HostShell.newTag();
        Session.Command cmd = session.exec(HostShell.startScript(tag));
        HostShell sh = new HostShell(session, cmd.getOutputStream(), cmd.getInputStream(), tag);
        sh.learnSession();
        synchronized (lock) {
          shell = sh;
          shellClient = c;
        }
        return sh;
      } catch (InterruptedException e) {
        quietly(session);
        throw e;
      } catch (IOException e) {
        quietly(session);
        if (attempt == 0 && !c.isConnected()) {
          continue; // the cached link died while idle: nothing ran yet, so one reconnect is safe
        }
        // A host where this shell does not work (no mktemp, a restricted shell): a channel per command, as before.
        synchronized (lock) {
          noShell = true;
        }
        return null;
      }
    }
  }

  private void dropShell() {
    HostShell old;
    synchronized (lock) {
      old = shell;
      shell = null;
    }
    if (old != null) {
      old.close();
    }
  }

  /**
   * The run was interrupted while {@code inv} ran: stop it on the host (see {@link Invocation#stopScript()}), on a
   * new channel of the same link, bounded to a few seconds. Best effort: a dead link cannot be told anything.
   */
  private void stopOnHost(Invocation inv, Become become) {
    stopOnHost(inv.stopScript(), become);
  }

  private void stopOnHost(String script, Become become) {
    Session session = null;
    try {
      Invocation stop = Invocation.of(Command.of(script), become, STOP_TIMEOUT);
      SSHClient c;
      synchronized (lock) {
        c = client;
      }
      if (c == null || !c.isConnected()) {
        return;
      }
      session = c.startSession();
      Session.Command cmd = session.exec("/bin/sh -c " + Shell.quote(stop.script()));
      Exchange.run(target.name(), stop, new byte[0], STOP_TIMEOUT, new Remote(session, cmd, () -> { }), Instant.now());
    } catch (IOException | BecomeException | InterruptedException | RuntimeException e) {
      // Nothing more can be done from here; the command's own timeout, if any, still ends it.
    } finally {
      quietly(session);
    }
  }

  @Override
  public void close() {
    dropShell();
    SSHClient c;
    SshConnection hop;
    synchronized (lock) {
      closed = true;
      c = client;
      client = null;
      hop = via;
      via = null;
    }
    disconnect(c);
    if (hop != null) {
      hop.close();
    }
  }

  @Override
  public String toString() {
    return "SshConnection[" + where() + "]";
  }

  /** The client, reconnected when {@code reconnect} or when it is no longer connected. */
  private SSHClient live(boolean reconnect) throws UnreachableException, InterruptedException {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("connection to " + where() + " is closed");
      }
      if (!reconnect && client != null && client.isConnected() && client.isAuthenticated()) {
        return client;
      }
      disconnect(client);
      client = null;
      client = connect();
      return client;
    }
  }

  private SSHClient connect() throws UnreachableException, InterruptedException {
    if (setup != null) {
      setup.acquire();
    }
    try {
      return connectNow();
    } catch (UnreachableException e) {
      // Nothing ran on the host yet: say so, the executor may try again (--connection-retries).
      throw new UnreachableException(e.getMessage(), e.getCause(), true);
    } finally {
      if (setup != null) {
        setup.release();
      }
    }
  }

  private SSHClient connectNow() throws UnreachableException {
    Duration timeout = target.connectTimeout() != null ? target.connectTimeout() : DEFAULT_CONNECT_TIMEOUT;
    int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    SSHClient c = new SSHClient(SshConfig.get());
    HostKeys hostKeys = new HostKeys(target);
    c.addHostKeyVerifier(hostKeys);
    c.setConnectTimeout(ms);
    c.getTransport().setTimeoutMs(ms);
    // sshj reads the server's banner with no timeout, and a socket read timeout would later kill idle links; so a
    // watchdog bounds the whole setup (TCP, banner, key exchange, login) by closing the socket when it expires.
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
      expired.set(true);
      closeSocket(c);
    }, ms, TimeUnit.MILLISECONDS);
    try {
      try {
        if (jumps.isEmpty()) {
          c.connect(target.address(), target.port());
        } else {
          connectVia(c);
        }
      } catch (IOException e) {
        disconnect(c);
        if (hostKeys.rejection() != null) {
          throw new UnreachableException(hostKeys.rejection(), e);
        }
        String why = expired.get() ? "timed out after " + Invocation.seconds(timeout) + " s waiting for the SSH handshake" : connectProblem(e, timeout);
        throw new UnreachableException("cannot connect to " + where() + ": " + why, e);
      }
      try {
        // Every command is a few small packets each way; Nagle's algorithm would hold some of them back waiting
        // for ACKs that the peer delays. Latency matters here, not packet count.
        if (c.getSocket() != null) { // null through a jump host: that link is a channel
          c.getSocket().setTcpNoDelay(true);
        }
      } catch (java.net.SocketException e) {
        // Only slower, never wrong.
      }
      String user = user();
      List<String> tried = new ArrayList<>();
      try {
        c.auth(user, methods(c, tried));
        // Not sshj's keep-alive, which is one more thread per host: one thread probes every connection.
        SharedKeepAlive.watch(c, KEEPALIVE_SECONDS);
        return c;
      } catch (UserAuthException e) {
        String allowed = String.join(",", c.getUserAuth().getAllowedMethods());
        disconnect(c);
        if (expired.get()) {
          throw new UnreachableException("cannot log in to " + where() + ": timed out after " + Invocation.seconds(timeout) + " s", e);
        }
        throw new UnreachableException("authentication failed for " + user + "@" + target.address() + ": tried "
            + (tried.isEmpty() ? "nothing (no key found and no password given)" : String.join(", ", tried))
            + (allowed.isEmpty() ? "" : "; the server accepts " + allowed), e);
      } catch (IOException e) {
        disconnect(c);
        String why = expired.get() ? "timed out after " + Invocation.seconds(timeout) + " s" : message(e);
        throw new UnreachableException("cannot log in to " + where() + ": " + why, e);
      } catch (UnreachableException | RuntimeException e) {
        disconnect(c);
        throw e;
      }
    } finally {
      watchdog.cancel(false);
    }
  }

  /**
   * Connects {@code c} through a direct-tcpip channel of the last jump host, itself reached through the ones
   * before it; each hop's host key is checked like any other host's.
   */
  private void connectVia(SSHClient c) throws IOException, UnreachableException {
    SshConnection hop;
    try {
      hop = open(jumps.get(jumps.size() - 1), jumps.subList(0, jumps.size() - 1), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while connecting to the jump host of " + where(), e);
    } catch (UnreachableException e) {
      throw new UnreachableException("cannot reach " + where() + " through its ProxyJump: " + e.getMessage(), e);
    }
    SshConnection old;
    synchronized (lock) {
      old = via;
      via = hop;
    }
    if (old != null) {
      old.close();
    }
    c.connectVia(hop.client.newDirectConnection(target.address(), target.port()));
  }

  private static void closeSocket(SSHClient c) {
    Socket s = c.getSocket();
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // Closed already: the setup is failing anyway.
      }
    }
  }

  private List<AuthMethod> methods(SSHClient c, List<String> tried) throws UnreachableException {
    List<AuthMethod> methods = new ArrayList<>();
    List<Path> keys = target.privateKeys();
    if (keys.isEmpty()) {
      Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
      keys = new ArrayList<>();
      for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
        if (Files.isReadable(ssh.resolve(name))) {
          keys.add(ssh.resolve(name));
        }
      }
    } else {
      for (Path k : keys) {
        if (!Files.isReadable(k)) {
          throw new UnreachableException("cannot log in to " + where() + ": private key " + k + " is missing or unreadable");
        }
      }
    }
    for (Path k : keys) {
      try {
        KeyProvider provider = c.loadKeys(k.toString());
        methods.add(new AuthPublickey(provider));
        tried.add("publickey " + k);
      } catch (IOException e) {
        throw new UnreachableException("cannot log in to " + where() + ": cannot read private key " + k + ": " + message(e), e);
      }
    }
    addAgentKeys(methods, tried);
    if (target.password() != null) {
      methods.add(new AuthPassword(PasswordUtils.createOneOff(target.password().toCharArray())));
      // Servers with PAM often offer passwords only as keyboard-interactive.
      methods.add(new AuthKeyboardInteractive(new PasswordResponseProvider(PasswordUtils.createOneOff(target.password().toCharArray()))));
      tried.add("password");
    }
    return methods;
  }

  /** The keys of ssh-agent ({@code SSH_AUTH_SOCK}), after the key files, as OpenSSH with -i offers both. */
  private static void addAgentKeys(List<AuthMethod> methods, List<String> tried) {
    SshAgent agent = SshAgent.find();
    if (agent == null) {
      return;
    }
    try {
      for (SshAgent.Identity id : agent.identities()) {
        methods.add(agent.auth(id));
        tried.add(SshAgent.describe(id));
      }
    } catch (IOException e) {
      // An agent that does not answer is like no agent; the message says it if the login then fails.
      tried.add("ssh-agent at " + agent.socket() + " (" + message(e) + ")");
    }
  }

  private String user() {
    return target.user() != null && !target.user().isEmpty() ? target.user() : System.getProperty("user.name");
  }

  private String where() {
    String at = target.address() + ":" + target.port();
    return target.name() == null || target.name().equals(target.address()) ? at : target.name() + " (" + at + ")";
  }

  private static String connectProblem(IOException e, Duration timeout) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ConnectException) {
      return "connection refused (is sshd running on that port?)";
    }
    if (root instanceof SocketTimeoutException) {
      return "timed out after " + Invocation.seconds(timeout) + " s";
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + root.getMessage();
    }
    if (root instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (e instanceof TransportException && e.getMessage() != null && e.getMessage().contains("Timeout")) {
      return "timed out after " + Invocation.seconds(timeout) + " s waiting for the SSH handshake";
    }
    return message(e);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void quietly(Session s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException | RuntimeException e) {
        // Closing a channel on a dead link fails; there is nothing left to release.
      }
    }
  }

  private static void disconnect(SSHClient c) {
    if (c != null) {
      SharedKeepAlive.forget(c);
      try {
        c.disconnect();
      } catch (IOException | RuntimeException e) {
        // Already gone.
      }
    }
  }

  /** A session channel seen as a process. */
  private static final class Remote implements Exchange.Proc {
    private final Session session;
    private final Session.Command cmd;
    private final Runnable stopOnHost;

    Remote(Session session, Session.Command cmd, Runnable stopOnHost) {
      this.session = session;
      this.cmd = cmd;
      this.stopOnHost = stopOnHost;
    }

    @Override
    public OutputStream stdin() {
      return cmd.getOutputStream();
    }

    @Override
    public InputStream stdout() {
      return cmd.getInputStream();
    }

    @Override
    public InputStream stderr() {
      return cmd.getErrorStream();
    }

    @Override
    public boolean exited() {
      return cmd.getExitStatus() != null || cmd.getExitSignal() != null || !cmd.isOpen();
    }

    @Override
    public int exitCode() throws IOException {
      Integer status = cmd.getExitStatus();
      if (status != null) {
        return status;
      }
      Signal signal = cmd.getExitSignal();
      if (signal != null) {
        return 128 + signalNumber(signal);
      }
      throw new IOException("the channel closed without an exit status");
    }

    @Override
    public void kill() {
      quietly(session);
    }

    /**
     * sshd sends the exit status as soon as it reaps the command, possibly before the output still in the pipe;
     * at 200 hosts on a loaded 2-core controller that output came more than a second later and was lost.
     */
    @Override
    public long drainMillis() {
      return 5000;
    }

    @Override
    public void interrupt() {
      // First, while the channel is open: sshd holds a channel's close until its command exits.
      stopOnHost.run();
      quietly(session);
    }

    private static int signalNumber(Signal s) {
      switch (s) {
        case HUP: return 1;
        case INT: return 2;
        case QUIT: return 3;
        case ILL: return 4;
        case ABRT: return 6;
        case FPE: return 8;
        case KILL: return 9;
        case USR1: return 10;
        case SEGV: return 11;
        case USR2: return 12;
        case PIPE: return 13;
        case ALRM: return 14;
        case TERM: return 15;
        default: return 0;
      }
    }
  }
}
