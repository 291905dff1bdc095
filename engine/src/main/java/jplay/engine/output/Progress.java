package jplay.engine.output;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which hosts are still running the current task, and for how long, while a task runs long (a package install
 * on many hosts can take minutes). It wraps the output people read and passes every event on to it.
 *
 * <p>On a terminal ({@link Mode#TERMINAL}) a status line sits below the output and is redrawn about once a second:
 * {@code still running 'install packages' on 3 hosts: web1, web2 (1m02s), db1 (40s)}. It is erased before any
 * event reaches the wrapped output, so that output lines never mix with it, and drawn again after. Elsewhere
 * ({@link Mode#LINES}: a pipe, a CI log) the same text is printed as a plain line every {@code period} while the
 * task runs. Nothing is shown while no host has been on the task for {@code quiet} (short tasks stay silent).
 *
 * <pre>{@code
 * Progress progress = Progress.start(human, System.out, Progress.Mode.TERMINAL, 80);
 * // ... run with progress as the listener; runFinished stops it, close() too.
 * }</pre>
 */
public final class Progress implements RunListener, AutoCloseable {
  /** How progress is shown. */
  public enum Mode {
    /** A status line redrawn in place (ANSI erase sequences). */
    TERMINAL,
    /** A plain line now and then. */
    LINES
  }

  /** On a terminal: quiet this long before the status line appears. */
  public static final Duration TERMINAL_QUIET = Duration.ofSeconds(5);

  /** Not on a terminal: a line this often while a task runs (the first one after as long). */
  public static final Duration LINES_PERIOD = Duration.ofSeconds(30);

  private static final int MAX_HOSTS = 8;
  private static final String ERASE = "\r\033[K";

  /** A host on a task since a moment. */
  private record Running(String task, Instant since) {}

  private final RunListener delegate;
  private final PrintStream out;
  private final Mode mode;
  private final Clock clock;
  private final Duration quiet;
  private final Duration period;
  private final int width;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private boolean drawn;
  private Instant lastLine;
  private ScheduledExecutorService ticker;

  /**
   * @param delegate the output the events go on to
   * @param out the stream the wrapped output writes its results to (the status line must share it)
   * @param clock where the time comes from (a fixed one in tests)
   * @param quiet how long a host must be on a task before anything is shown
   * @param period in {@link Mode#LINES}, the time between two lines (and from the task's start to the first)
   * @param width the terminal width: the status line is cut to fit one line
   */
  public Progress(
      RunListener delegate, PrintStream out, Mode mode, Clock clock, Duration quiet, Duration period, int width) {
    if (width < 10) {
      throw new IllegalArgumentException("width must be 10 or more, got " + width);
    }
    this.delegate = delegate;
    this.out = out;
    this.mode = mode;
    this.clock = clock;
    this.quiet = quiet;
    this.period = period;
    this.width = width;
  }

  /**
   * Progress with the usual timing for {@code mode}, ticking once a second on a daemon thread until the run ends.
   */
  public static Progress start(RunListener delegate, PrintStream out, Mode mode, int width) {
    Duration quiet = mode == Mode.TERMINAL ? TERMINAL_QUIET : LINES_PERIOD;
    return new Progress(delegate, out, mode, Clock.systemUTC(), quiet, LINES_PERIOD, width)
        .ticking(Duration.ofSeconds(1));
  }

  /** Starts calling {@link #tick} every {@code every} on a daemon thread; returns this. */
  public synchronized Progress ticking(Duration every) {
    if (ticker == null) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jplay-progress");
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(1, every.toMillis());
      ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Shows the hosts still running, if they have been for long enough: redraws the status line, or prints a line. */
  public synchronized void tick() {
    Instant now = clock.instant();
    String text = status(now);
    if (mode == Mode.TERMINAL) {
      if (text != null) {
        out.print(ERASE + cut(text));
        out.flush();
        drawn = true;
      } else {
        erase();
      }
      return;
    }
    if (text != null && lastLine != null && !now.isBefore(lastLine.plus(period))) {
      out.println(text);
      out.flush();
      lastLine = now;
    }
  }

  /** Stops the ticking and erases the status line; the run's output stays as it is. */
  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
    running.clear();
    erase();
  }

  /** The status text for {@code now}, or null when nothing has run for {@code quiet} yet. */
  synchronized String status(Instant now) {
    if (running.isEmpty()) {
      return null;
    }
    Instant oldest = running.values().stream().map(Running::since).min(Instant::compareTo).orElseThrow();
    if (Duration.between(oldest, now).compareTo(quiet) < 0) {
      return null;
    }
    List<Map.Entry<String, Running>> hosts = new ArrayList<>(running.entrySet());
    // Longest running first; hosts that started together keep the order they started in (a stable sort).
    hosts.sort(Map.Entry.comparingByValue((a, b) -> a.since().compareTo(b.since())));
    String task = hosts.get(0).getValue().task();
    boolean oneTask = hosts.stream().allMatch(h -> h.getValue().task().equals(task));
    StringBuilder sb = new StringBuilder("still running ");
    if (oneTask && task != null && !task.isBlank()) {
      sb.append('\'').append(task.strip()).append("' ");
    }
    sb.append("on ").append(hosts.size()).append(hosts.size() == 1 ? " host: " : " hosts: ");
    int shown = Math.min(MAX_HOSTS, hosts.size());
    for (int i = 0; i < shown; i++) {
      String took = duration(Duration.between(hosts.get(i).getValue().since(), now));
      sb.append(hosts.get(i).getKey());
      // Hosts that have run equally long share one duration, written after the last of them.
      boolean last = i + 1 == shown;
      if (last || !took.equals(duration(Duration.between(hosts.get(i + 1).getValue().since(), now)))) {
        sb.append(" (").append(took).append(')');
      }
      if (!last) {
        sb.append(", ");
      }
    }
    if (hosts.size() > shown) {
      sb.append(", and ").append(hosts.size() - shown).append(" more");
    }
    return sb.toString();
  }

  /** {@code 42s}, {@code 1m02s}, {@code 1h02m03s}: whole seconds. */
  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(java.util.Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
  }

  private String cut(String text) {
    int max = width - 1;
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }

  private void erase() {
    if (drawn) {
      out.print(ERASE);
      out.flush();
      drawn = false;
    }
  }

  /** Passes an event on with the status line out of the way, and draws it again after (on a terminal). */
  private synchronized void forward(Runnable event) {
    boolean wasDrawn = drawn;
    erase();
    event.run();
    if (wasDrawn) {
      tick();
    }
  }

  @Override
  public void playbookStarted(Events.PlaybookStarted e) {
    forward(() -> delegate.playbookStarted(e));
  }

  @Override
  public void playStarted(Events.PlayStarted e) {
    forward(() -> {
      running.clear();
      delegate.playStarted(e);
    });
  }

  @Override
  public void taskStarted(Events.TaskStarted e) {
    // Not a reason to forget the running hosts: under strategy free, others are still on their own tasks.
    forward(() -> delegate.taskStarted(e));
  }

  @Override
  public void hostStarted(Events.HostStarted e) {
    forward(() -> {
      if (running.isEmpty()) {
        // A new stretch of work: the first line comes a period from now.
        lastLine = clock.instant();
      }
      running.put(e.host(), new Running(e.task(), clock.instant()));
      delegate.hostStarted(e);
    });
  }

  @Override
  public void hostResult(Events.HostResult e) {
    forward(() -> {
      running.remove(e.host());
      delegate.hostResult(e);
    });
  }

  @Override
  public void itemResult(Events.ItemResult e) {
    forward(() -> delegate.itemResult(e));
  }

  @Override
  public void retry(Events.Retry e) {
    forward(() -> delegate.retry(e));
  }

  @Override
  public void included(Events.Included e) {
    forward(() -> delegate.included(e));
  }

  @Override
  public void noMoreHosts() {
    forward(delegate::noMoreHosts);
  }

  @Override
  public void message(String text) {
    forward(() -> delegate.message(text));
  }

  @Override
  public void warning(String message) {
    forward(() -> delegate.warning(message));
  }

  @Override
  public void runFinished(Events.RunFinished e) {
    synchronized (this) {
      close();
      delegate.runFinished(e);
    }
  }
}
