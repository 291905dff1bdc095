package jplay.engine.output;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jplay.engine.api.Diff;
import jplay.engine.yaml.Mark;

/**
 * The output people read, laid out as Ansible's default callback so that Ansible users feel at home.
 *
 * <pre>{@code
 * RunListener human = new HumanOutput(System.out, 0, true, false);
 * }</pre>
 *
 * <p>What is shown, by verbosity: at 0 the banners, one line per host ({@code ok: [web1]}), failures with their
 * result as one line of JSON, and debug results in full; at 1 every result as one line of JSON; at 2 also the
 * playbook banner and each task's {@code task path: file:line}; at 3 and more every result pretty-printed, with
 * the module arguments ({@code invocation}) and the diff. Keys are sorted, as Ansible sorts them.
 *
 * <p>A result is shown in full at every verbosity (Ansible's debug behaviour) when its task's module is {@code
 * debug}, or when the outcome data holds {@code "_ansible_verbose_always": true}, which any module may set.
 *
 * <p>Beyond Ansible, after the recap: the run's wall time and its five slowest tasks, each task counted by its
 * slowest host (under the linear strategy that is what the task cost the run), with where it is written; then,
 * when the run had several hosts, the five that spent the most time in tasks. {@code --no-timing} leaves it out.
 *
 * <p>Differences from Ansible, on purpose: the recap is printed even when the run was interrupted (followed by
 * Ansible's "User interrupted execution" error), and coloured diff lines carry no empty colour sequences.
 */
public final class HumanOutput implements RunListener {
  /** Ansible's width when it cannot ask the terminal. */
  public static final int DEFAULT_WIDTH = 80;

  private static final int DIFF_CONTEXT = 3;
  private static final int SLOWEST = 5;

  /** Ansible's default colours (constants.COLOR_CODES). */
  enum Color {
    OK("0;32"),
    CHANGED("0;33"),
    SKIP("0;36"),
    ERROR("0;31"),
    UNREACHABLE("1;31"),
    WARN("1;35"),
    DEBUG("1;30");

    final String code;

    Color(String code) {
      this.code = code;
    }
  }

  private final PrintStream out;
  private final PrintStream err;
  private final int verbosity;
  private final boolean color;
  private final boolean diff;
  private final int width;
  private final boolean timings;

  private boolean diffMode;
  private String lastBanner;
  private final Map<String, Events.TaskStarted> tasks = new HashMap<>();
  private final Set<String> warned = new HashSet<>();

  /** Output on one stream, 80 columns wide, with the timing summary. */
  public HumanOutput(PrintStream out, int verbosity, boolean color, boolean diff) {
    this(out, out, verbosity, color, diff, DEFAULT_WIDTH, true);
  }

  /**
   * @param out where results go (Ansible's stdout)
   * @param err where warnings and the interruption error go (Ansible's stderr)
   * @param verbosity 0 to 4, the count of {@code -v}
   * @param color whether to use ANSI colours
   * @param diff whether to show diffs even if the playbook run does not ask for them ({@code --diff})
   * @param width the terminal width; banners are padded with stars to it
   * @param timings whether to print the wall time and slowest tasks after the recap
   */
  public HumanOutput(
      PrintStream out, PrintStream err, int verbosity, boolean color, boolean diff, int width, boolean timings) {
    if (verbosity < 0) {
      throw new IllegalArgumentException("verbosity must be 0 or more, got " + verbosity);
    }
    if (width < 1) {
      throw new IllegalArgumentException("width must be 1 or more, got " + width);
    }
    this.out = out;
    this.err = err;
    this.verbosity = verbosity;
    this.color = color;
    this.diff = diff;
    this.width = width;
    this.timings = timings;
  }

  @Override
  public synchronized void playbookStarted(Events.PlaybookStarted e) {
    diffMode = e.diffMode();
    if (verbosity >= 2) {
      String path = e.path() == null ? "" : e.path();
      StringBuilder sb = new StringBuilder();
      banner(sb, "PLAYBOOK: " + path.substring(path.lastIndexOf('/') + 1));
      emit(sb);
    }
  }

  @Override
  public synchronized void playStarted(Events.PlayStarted e) {
    String name = blank(e.name()) ? e.pattern() : e.name();
    StringBuilder sb = new StringBuilder();
    banner(sb, blank(name) ? "PLAY" : "PLAY [" + name.strip() + "]");
    lastBanner = null;
    emit(sb);
  }

  @Override
  public synchronized void taskStarted(Events.TaskStarted e) {
    tasks.put(e.name(), e);
    StringBuilder sb = new StringBuilder();
    taskBanner(sb, e.name(), e);
    emit(sb);
  }

  @Override
  public synchronized void hostResult(Events.HostResult r) {
    Events.TaskStarted task = tasks.get(r.task());
    String module = task == null ? null : task.module();
    StringBuilder sb = new StringBuilder();
    if (lastBanner == null || !lastBanner.equals(r.task())) {
      // Results of another task than the last banner's (free strategy): say again which task they belong to.
      taskBanner(sb, r.task(), task);
    }
    // Ansible's order: the diff, then the module's warnings, then the result line.
    if ((diff || diffMode)
        && !r.noLog()
        && (r.status() == Status.OK || r.status() == Status.CHANGED)
        && Results.changed(r)
        && Results.outcome(r).diff() != null) {
      diff(sb, Results.outcome(r).diff());
    }
    emit(sb);
    for (String w : Results.warnings(r)) {
      warning(w);
    }
    sb = new StringBuilder();
    String host = hostLabel(r.host(), r.delegatedTo());
    Map<String, Object> result = Results.display(r, module, verbosity);
    if (r.loop() && r.status() != Status.SKIPPED && r.status() != Status.UNREACHABLE) {
      // The items said it all, as Ansible's callback does for loops; only an ignored failure is noted.
      if (r.ignored() && r.status() == Status.FAILED) {
        line(sb, "...ignoring", Color.SKIP);
      }
      emit(sb);
      return;
    }
    switch (r.status()) {
      case OK, CHANGED -> {
        boolean changed = r.status() == Status.CHANGED;
        String msg = (changed ? "changed: " : "ok: ") + host;
        if (Results.verboseAlways(r, module)) {
          msg += " => " + Json.pretty(result, 4);
        } else if (verbosity >= 1) {
          msg += " => " + dump(result);
        }
        line(sb, msg, changed ? Color.CHANGED : Color.OK);
      }
      case SKIPPED -> line(sb, "skipping: " + host + (verbosity >= 1 ? " => " + dump(result) : ""), Color.SKIP);
      case FAILED -> line(sb, "fatal: " + host + ": FAILED! => " + dumpFailed(r, result), Color.ERROR);
      case UNREACHABLE -> line(sb, "fatal: " + host + ": UNREACHABLE! => " + dump(result), Color.UNREACHABLE);
    }
    if (r.ignored() && (r.status() == Status.FAILED || r.status() == Status.UNREACHABLE)) {
      line(sb, "...ignoring", Color.SKIP);
    }
    emit(sb);
  }

  @Override
  public synchronized void itemResult(Events.ItemResult r) {
    Events.TaskStarted task = tasks.get(r.task());
    String module = task == null ? null : task.module();
    StringBuilder sb = new StringBuilder();
    if (lastBanner == null || !lastBanner.equals(r.task())) {
      taskBanner(sb, r.task(), task);
    }
    Events.HostResult asResult =
        new Events.HostResult(r.host(), r.task(), r.status(), r.outcome(), Duration.ZERO, false, r.noLog(), Map.of());
    if ((diff || diffMode) && !r.noLog() && r.status() == Status.CHANGED && Results.outcome(asResult).diff() != null) {
      diff(sb, Results.outcome(asResult).diff());
    }
    emit(sb);
    for (String w : Results.warnings(asResult)) {
      warning(w);
    }
    sb = new StringBuilder();
    String host = hostLabel(r.host(), r.delegatedTo());
    String item = " (item=" + (r.noLog() ? "None" : r.label()) + ")";
    Map<String, Object> result = Results.display(asResult, module, verbosity);
    switch (r.status()) {
      case OK, CHANGED -> {
        boolean changed = r.status() == Status.CHANGED;
        String msg = (changed ? "changed: " : "ok: ") + host + " =>" + item;
        if (Results.verboseAlways(asResult, module)) {
          msg += " => " + Json.pretty(result, 4);
        } else if (verbosity >= 1) {
          msg += " => " + dump(result);
        }
        line(sb, msg, changed ? Color.CHANGED : Color.OK);
      }
      // Ansible leaves a space after the item of a skipped one.
      case SKIPPED -> line(sb, "skipping: " + host + " =>" + item + " " + (verbosity >= 1 ? " => " + dump(result) : ""),
          Color.SKIP);
      case FAILED -> line(sb, "failed: " + host + item + " => " + dumpFailed(asResult, result), Color.ERROR);
      case UNREACHABLE -> line(sb, "fatal: " + host + item + ": UNREACHABLE! => " + dump(result), Color.UNREACHABLE);
    }
    emit(sb);
  }

  @Override
  public synchronized void retry(Events.Retry e) {
    StringBuilder sb = new StringBuilder();
    String msg = "FAILED - RETRYING: [" + e.host() + "]: " + e.task() + " (" + e.retriesLeft() + " retries left).";
    if (verbosity >= 1 && e.outcome() != null) {
      Events.HostResult asResult =
          new Events.HostResult(e.host(), e.task(), Status.FAILED, e.outcome(), Duration.ZERO, false, false, Map.of());
      msg += "Result was: " + dump(Results.display(asResult, null, verbosity));
    }
    line(sb, msg, Color.DEBUG);
    emit(sb);
  }

  @Override
  public synchronized void included(Events.Included e) {
    StringBuilder sb = new StringBuilder();
    String msg = "included: " + e.file() + " for " + String.join(", ", e.hosts());
    if (e.label() != null) {
      msg += " => (item=" + e.label() + ")";
    }
    line(sb, msg, Color.SKIP);
    emit(sb);
  }

  @Override
  public synchronized void noMoreHosts() {
    StringBuilder sb = new StringBuilder();
    banner(sb, "NO MORE HOSTS LEFT");
    emit(sb);
  }

  @Override
  public synchronized void message(String text) {
    StringBuilder sb = new StringBuilder();
    line(sb, text, null);
    emit(sb);
  }

  private static String hostLabel(String host, String delegatedTo) {
    return "[" + host + (delegatedTo == null || delegatedTo.equals(host) ? "" : " -> " + delegatedTo) + "]";
  }

  /** A failure is pretty-printed when its action asks for it (assert does), as Ansible's _dump_results. */
  private String dumpFailed(Events.HostResult r, Map<String, Object> result) {
    if (!r.noLog() && Boolean.TRUE.equals(Results.outcome(r).data().get(Results.VERBOSE_ALWAYS))) {
      return Json.pretty(result, 4);
    }
    return dump(result);
  }

  @Override
  public synchronized void warning(String message) {
    // Ansible shows each distinct warning once per run.
    if (!warned.add(message)) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    line(sb, String.join("\n", wrap("[WARNING]: " + message, width - 1)), Color.WARN);
    emitErr(sb);
  }

  @Override
  public synchronized void runFinished(Events.RunFinished e) {
    StringBuilder sb = new StringBuilder();
    banner(sb, "PLAY RECAP");
    List<String> hosts = new ArrayList<>(e.stats().keySet());
    hosts.sort(Comparator.naturalOrder());
    for (String h : hosts) {
      recapLine(sb, h, e.stats().get(h));
    }
    sb.append('\n');
    if (timings) {
      timings(sb, e);
    }
    emit(sb);
    if (e.interrupted()) {
      sb = new StringBuilder();
      line(sb, "[ERROR]: User interrupted execution", Color.ERROR);
      emitErr(sb);
    }
  }

  private void taskBanner(StringBuilder sb, String name, Events.TaskStarted task) {
    String shown = blank(name) && task != null ? task.module() : name;
    String prefix = task != null && task.handler() ? "RUNNING HANDLER" : "TASK";
    banner(sb, prefix + " [" + (shown == null ? "" : shown.strip()) + "]");
    lastBanner = name;
    if (verbosity >= 2 && task != null && task.mark() != null) {
      line(sb, "task path: " + where(task.mark()), Color.DEBUG);
    }
  }

  private void banner(StringBuilder sb, String msg) {
    String m = msg.strip();
    int stars = Math.max(3, width - 1 - m.codePointCount(0, m.length()));
    sb.append('\n').append(m).append(' ').append("*".repeat(stars)).append('\n');
  }

  private void recapLine(StringBuilder sb, String host, Events.HostStats s) {
    Events.HostStats t = s == null ? Events.HostStats.ZERO : s;
    Color hostColor =
        t.failed() != 0 || t.unreachable() != 0 ? Color.ERROR : t.changed() != 0 ? Color.CHANGED : Color.OK;
    sb.append(paint(host, hostColor)).append(" ".repeat(Math.max(0, 26 - host.length()))).append(" : ");
    sb.append(count("ok", t.ok(), Color.OK)).append(' ');
    sb.append(count("changed", t.changed(), Color.CHANGED)).append(' ');
    sb.append(count("unreachable", t.unreachable(), Color.UNREACHABLE)).append(' ');
    sb.append(count("failed", t.failed(), Color.ERROR)).append(' ');
    sb.append(count("skipped", t.skipped(), Color.SKIP)).append(' ');
    sb.append(count("rescued", t.rescued(), Color.OK)).append(' ');
    sb.append(count("ignored", t.ignored(), Color.WARN)).append('\n');
  }

  /** Ansible's {@code colorize}: {@code lead=num} padded to four digits, coloured only when not zero. */
  private String count(String lead, int num, Color c) {
    String n = Integer.toString(num);
    String s = lead + "=" + n + " ".repeat(Math.max(0, 4 - n.length()));
    return num != 0 ? paint(s, c) : s;
  }

  private void diff(StringBuilder sb, Diff d) {
    String before = d.beforeHeader() == null ? "before" : "before: " + d.beforeHeader();
    String after = d.afterHeader() == null ? "after" : "after: " + d.afterHeader();
    List<UnifiedDiff.Line> lines =
        UnifiedDiff.diff(before, nullToEmpty(d.before()), after, nullToEmpty(d.after()), DIFF_CONTEXT);
    for (UnifiedDiff.Line l : lines) {
      Color c =
          switch (l.kind()) {
            case HEADER_BEFORE, REMOVED, NO_NEWLINE_REMOVED -> Color.ERROR;
            case HEADER_AFTER, ADDED, NO_NEWLINE_ADDED -> Color.OK;
            case HUNK -> Color.SKIP;
            case CONTEXT, NO_NEWLINE_CONTEXT -> null;
          };
      line(sb, l.text(), c);
    }
    if (!lines.isEmpty()) {
      sb.append('\n');
    }
  }

  private void timings(StringBuilder sb, Events.RunFinished e) {
    sb.append("Total time: ").append(seconds(e.elapsed())).append('\n');
    Map<String, Events.TaskTiming> slowest = new LinkedHashMap<>();
    for (Events.TaskTiming t : e.timings()) {
      String key = t.task() + "\u0000" + (t.mark() == null ? "" : t.mark().toString());
      Events.TaskTiming seen = slowest.get(key);
      if (seen == null || t.elapsed().compareTo(seen.elapsed()) > 0) {
        slowest.put(key, t);
      }
    }
    if (slowest.isEmpty()) {
      sb.append('\n');
      return;
    }
    List<Events.TaskTiming> top = new ArrayList<>(slowest.values());
    // A stable sort: equally slow tasks stay in the order they ran.
    top.sort(Comparator.comparing(Events.TaskTiming::elapsed).reversed());
    top = top.subList(0, Math.min(SLOWEST, top.size()));
    int w = top.stream().mapToInt(t -> seconds(t.elapsed()).length()).max().orElse(0);
    sb.append("Slowest tasks (slowest host):\n");
    for (Events.TaskTiming t : top) {
      String s = seconds(t.elapsed());
      sb.append("  ").append(" ".repeat(w - s.length())).append(s).append("  ").append(t.task());
      if (t.mark() != null) {
        sb.append("  ").append(where(t.mark()));
      }
      sb.append('\n');
    }
    slowestHosts(sb, e.timings());
    sb.append('\n');
  }

  /**
   * The hosts that spent the most time in tasks (the sum over their tasks), when there are several: the host
   * that holds a linear run back shows up first.
   */
  private static void slowestHosts(StringBuilder sb, List<Events.TaskTiming> timings) {
    Map<String, Duration> byHost = new LinkedHashMap<>();
    for (Events.TaskTiming t : timings) {
      byHost.merge(t.host(), t.elapsed(), Duration::plus);
    }
    if (byHost.size() < 2) {
      return;
    }
    List<Map.Entry<String, Duration>> top = new ArrayList<>(byHost.entrySet());
    top.sort(Map.Entry.<String, Duration>comparingByValue().reversed());
    top = top.subList(0, Math.min(SLOWEST, top.size()));
    int w = top.stream().mapToInt(t -> seconds(t.getValue()).length()).max().orElse(0);
    sb.append("Slowest hosts (time in tasks):\n");
    for (Map.Entry<String, Duration> t : top) {
      String s = seconds(t.getValue());
      sb.append("  ").append(" ".repeat(w - s.length())).append(s).append("  ").append(t.getKey()).append('\n');
    }
  }

  private String dump(Map<String, Object> result) {
    return verbosity >= 3 ? Json.pretty(result, 4) : Json.write(result);
  }

  /** A line of output; each of its lines coloured on its own, as Ansible does, so that pagers keep colours. */
  private void line(StringBuilder sb, String text, Color c) {
    if (c == null || !color) {
      sb.append(text).append('\n');
      return;
    }
    String[] parts = text.split("\n", -1);
    for (int i = 0; i < parts.length; i++) {
      sb.append(paint(parts[i], c)).append(i + 1 < parts.length ? "\n" : "");
    }
    sb.append('\n');
  }

  private String paint(String s, Color c) {
    return color ? "\033[" + c.code + "m" + s + "\033[0m" : s;
  }

  private void emit(StringBuilder sb) {
    if (sb.length() > 0) {
      out.print(sb);
      out.flush();
    }
  }

  private void emitErr(StringBuilder sb) {
    out.flush();
    err.print(sb);
    err.flush();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
  }

  /** {@code file:line}, as Ansible's "task path". */
  static String where(Mark m) {
    return m.line() <= 0 ? m.file() : m.file() + ":" + m.line();
  }

  /** Greedy word wrap as Python's {@code textwrap.wrap}: whitespace becomes spaces, long words are cut. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      while (word.length() > width) {
        if (cur.length() > 0) {
          lines.add(cur.toString());
          cur.setLength(0);
        }
        lines.add(word.substring(0, width));
        word = word.substring(width);
      }
      if (cur.length() > 0 && cur.length() + 1 + word.length() > width) {
        lines.add(cur.toString());
        cur.setLength(0);
      }
      if (cur.length() > 0) {
        cur.append(' ');
      }
      cur.append(word);
    }
    if (cur.length() > 0 || lines.isEmpty()) {
      lines.add(cur.toString());
    }
    return lines;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
