package jplay.engine.repl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Suggestions;
import jplay.engine.connection.ConnectionPool;
import jplay.engine.doc.ModuleDoc;
import jplay.engine.inventory.Host;
import jplay.engine.inventory.Inventory;
import jplay.engine.output.Events;
import jplay.engine.output.JsonLinesOutput;
import jplay.engine.output.Listeners;
import jplay.engine.output.RunListener;
import jplay.engine.output.Status;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Playbook;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Task;
import jplay.engine.run.PlaybookRunner;
import jplay.engine.run.RunOptions;
import jplay.engine.run.RunSummary;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * A live console session: what the current hosts are, the settings lines run with, and what earlier lines left
 * behind. Unlike ansible-console, the session keeps one connection per host open from line to line, keeps each
 * host's last result ({@code last}, and any saved with {@code :register NAME}) for later lines' templates, and
 * gathers facts once, when a line first refers to them.
 *
 * <p>Lines are a module call ({@code file path=/tmp/x state=touch} or {@code file {path: /tmp/x}}), a shell
 * command ({@code !uptime}), or a console command with a {@code :} prefix ({@code :cd web}). A console command may
 * be written without the {@code :} too, as in ansible-console, as long as no module has that name: modules win,
 * so a future module named like a command can never be shadowed by it.
 *
 * <pre>{@code
 * try (ConsoleSession s = new ConsoleSession(modules, inventory, options, "all", out, err, false, false, "human")) {
 *   s.execute("ping");
 *   s.execute(":cd web");
 *   s.execute("!uptime");
 * }
 * }</pre>
 */
public final class ConsoleSession implements AutoCloseable {
  /** What the reader loop does after a line. */
  public enum Next {
    CONTINUE,
    EXIT
  }

  /** A console command: its name, what it takes, and one line of help. */
  record CommandHelp(String name, String args, String help) {}

  static final List<CommandHelp> COMMANDS = List.of(
      new CommandHelp("cd", "[PATTERN]", "work on the hosts matching PATTERN (all when omitted)"),
      new CommandHelp("list", "[groups]", "the current hosts, or all groups"),
      new CommandHelp("become", "[on|off]", "run with sudo (toggles when omitted); the prompt ends in # when on"),
      new CommandHelp("become_user", "USER", "the user to become (default root)"),
      new CommandHelp("forks", "N", "hosts worked on at once"),
      new CommandHelp("check", "[on|off]", "check mode: show what would change, change nothing"),
      new CommandHelp("diff", "[on|off]", "show the differences in files and settings"),
      new CommandHelp("timeout", "SECONDS", "stop any command that runs longer (0: no limit)"),
      new CommandHelp("verbosity", "N", "0 to 4, as -v..-vvvv"),
      new CommandHelp("vars", "", "the session's variables, registered results and facts"),
      new CommandHelp("set", "VAR=VALUE", "set a variable for later lines (highest precedence, as -e)"),
      new CommandHelp("register", "NAME", "keep each host's last result as NAME for later lines"),
      new CommandHelp("facts", "", "gather the current hosts' facts again"),
      new CommandHelp("help", "[MODULE]", "this help, or a module's documentation"),
      new CommandHelp("history", "", "the lines typed so far"),
      new CommandHelp("exit", "", "leave the console (also Ctrl-D)"));

  static final Set<String> COMMAND_NAMES;

  static {
    Set<String> names = new LinkedHashSet<>();
    COMMANDS.forEach(c -> names.add(c.name()));
    names.add("quit");
    names.add("become-user");
    COMMAND_NAMES = Set.copyOf(names);
  }

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Words in a line that mean it reads facts: facts are gathered (once) before it runs. */
  private static final Pattern NEEDS_FACTS = Pattern.compile("\\bansible_(?!check_mode|diff_mode|verbosity|play_)\\w+"
      + "|\\bfacts\\b");

  private final ModuleRegistry modules;
  private final PlaybookParser parser;
  private final Inventory inventory;
  private final RunOptions base;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean color;
  private final boolean progress;
  private final String output;
  private final ConnectionPool pool = new ConnectionPool();
  private final PooledConnections connections = new PooledConnections(pool, false);

  private String pattern;
  private boolean become;
  private String becomeUser;
  private int forks;
  private boolean check;
  private boolean diff;
  private Duration taskTimeout;
  private int verbosity;
  private final Map<String, Object> vars = new LinkedHashMap<>();
  /** Per host: registered results by name ({@code last} and those saved with :register). */
  private final Map<String, Map<String, Object>> registered = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> facts = new ConcurrentHashMap<>();
  private final Set<String> registeredNames = new LinkedHashSet<>();
  private Supplier<List<String>> history = List::of;
  private volatile PlaybookRunner running;
  private volatile AdhocOutput runningOutput;
  private int lineNumber;
  private int exitCode;

  /**
   * @param options the command line's options: the session starts from them, and {@code :become} etc. change them
   * @param pattern the hosts to start on
   * @param progress show a live count while a line runs (an interactive terminal)
   * @param output {@code human} (results as {@code jplay adhoc} shows them) or {@code json} (events)
   */
  public ConsoleSession(
      ModuleRegistry modules, Inventory inventory, RunOptions options, String pattern, PrintStream out,
      PrintStream err, boolean color, boolean progress, String output) {
    this.modules = modules;
    this.parser = new PlaybookParser(modules);
    this.inventory = inventory;
    this.base = options;
    this.out = out;
    this.err = err;
    this.color = color;
    this.progress = progress;
    this.output = output;
    this.pattern = pattern;
    this.become = options.become();
    this.becomeUser = options.becomeUser();
    this.forks = options.forks();
    this.check = options.check();
    this.diff = options.diff();
    this.taskTimeout = options.taskTimeout();
    this.verbosity = options.verbosity();
  }

  /** Where {@code :history} reads the lines typed so far (the reader's history). */
  public void history(Supplier<List<String>> lines) {
    this.history = lines;
  }

  /** The prompt: {@code user@pattern (hosts)$ }, {@code #} when become is on, and check/diff when on. */
  public String prompt() {
    String user = base.remoteUser() != null ? base.remoteUser() : System.getProperty("user.name");
    List<String> flags = new ArrayList<>();
    if (check) {
      flags.add("check");
    }
    if (diff) {
      flags.add("diff");
    }
    return user + "@" + pattern + " (" + hosts().size() + ")" + (flags.isEmpty() ? "" : "[" + String.join(",", flags)
        + "]") + (become ? "# " : "$ ");
  }

  /** Stops the line that is running: its hosts still working report INTERRUPTED, and the prompt comes back. */
  public void interrupt() {
    PlaybookRunner r = running;
    AdhocOutput o = runningOutput;
    if (o != null) {
      o.interrupting();
    }
    if (r != null) {
      r.interrupt();
    }
  }

  /** True while a line runs on hosts. */
  public boolean busy() {
    return running != null;
  }

  /**
   * 0, or what the session's lines would give as a run: 4 if a host was unreachable or a line had errors, else 2
   * if a host failed. For scripted sessions (stdin from a pipe).
   */
  public int exitCode() {
    return exitCode;
  }

  /** Runs one line. */
  public Next execute(String line) {
    lineNumber++;
    String l = line.strip();
    if (l.isEmpty() || l.startsWith("#")) {
      return Next.CONTINUE;
    }
    try {
      if (l.startsWith("!")) {
        String cmd = l.substring(1).strip();
        if (cmd.isEmpty()) {
          throw new ConsoleException("give the shell command after '!', such as !uptime");
        }
        return runModule("shell", cmd, l);
      }
      if (l.startsWith(":")) {
        return command(l.substring(1).strip());
      }
      String word = firstWord(l);
      String rest = l.substring(word.length()).strip();
      if (modules.find(word).isPresent()) {
        return runModule(word, rest, l);
      }
      if (COMMAND_NAMES.contains(word)) {
        return command(l);
      }
      List<String> names = new ArrayList<>(modules.allNames());
      COMMAND_NAMES.forEach(c -> names.add(":" + c));
      throw new ConsoleException("unknown module or command '" + word + "'" + Suggestions.hint(word, names)
          + "; :help lists the commands, !" + l + " runs it as a shell command");
    } catch (ConsoleException e) {
      error(e.getMessage());
      return Next.CONTINUE;
    } catch (SourceException e) {
      for (SourceError se : e.errors()) {
        error(se.toString());
      }
      return Next.CONTINUE;
    }
  }

  private Next command(String text) throws ConsoleException, SourceException {
    String name = firstWord(text);
    String arg = text.substring(name.length()).strip();
    switch (name) {
      case "cd" -> cd(arg.isEmpty() ? "all" : arg);
      case "list" -> list(arg);
      case "become" -> become = onOff(name, arg, become);
      case "become_user", "become-user" -> becomeUser = required(name, arg, "USER");
      case "forks" -> forks = number(name, arg, 1, 10_000);
      case "check" -> check = onOff(name, arg, check);
      case "diff" -> diff = onOff(name, arg, diff);
      case "timeout" -> {
        int s = number(name, arg, 0, Integer.MAX_VALUE);
        taskTimeout = s == 0 ? null : Duration.ofSeconds(s);
      }
      case "verbosity" -> verbosity = number(name, arg, 0, 4);
      case "vars" -> showVars();
      case "set" -> set(arg);
      case "register" -> register(required(name, arg, "NAME"));
      case "facts" -> {
        List<String> hosts = hosts();
        hosts.forEach(facts::remove);
        gatherFacts(hosts);
      }
      case "help" -> help(arg);
      case "history" -> {
        List<String> lines = history.get();
        for (int i = 0; i < lines.size(); i++) {
          out.printf(Locale.ROOT, "%5d  %s%n", i + 1, lines.get(i));
        }
      }
      case "exit", "quit" -> {
        return Next.EXIT;
      }
      default -> {
        List<String> names = new ArrayList<>(COMMAND_NAMES);
        throw new ConsoleException("unknown console command ':" + name + "'"
            + Suggestions.closest(name, names).map(s -> " (did you mean ':" + s + "'?)").orElse("")
            + "; :help lists them");
      }
    }
    out.flush();
    return Next.CONTINUE;
  }

  private void cd(String p) throws ConsoleException, SourceException {
    List<Host> selected = inventory.select(p);
    if (selected.isEmpty()) {
      throw new ConsoleException("no hosts match '" + p + "'"
          + inventory.suggest(p).map(s -> " (did you mean '" + s + "'?)").orElse("") + "; still on " + pattern);
    }
    pattern = p;
  }

  private void list(String arg) throws ConsoleException {
    if (arg.equals("groups")) {
      for (String g : inventory.groups().keySet()) {
        out.println(g);
      }
    } else if (arg.isEmpty()) {
      hosts().forEach(out::println);
    } else {
      throw new ConsoleException(":list takes nothing or 'groups', not '" + arg + "'");
    }
  }

  private void set(String arg) throws ConsoleException {
    int eq = arg.indexOf('=');
    String name = eq < 0 ? arg : arg.substring(0, eq).strip();
    if (eq < 0 || !IDENTIFIER.matcher(name).matches()) {
      throw new ConsoleException(":set takes VAR=VALUE with VAR a variable name, such as :set port=8080");
    }
    String value = arg.substring(eq + 1).strip();
    Object v;
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      v = value.substring(1, value.length() - 1);
    } else {
      // As a YAML value would be: 8080 is a number, yes a boolean.
      v = YamlLoader.resolve(value);
    }
    vars.put(name, v);
  }

  private void register(String name) throws ConsoleException {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new ConsoleException("'" + name + "' is not a variable name");
    }
    int n = 0;
    for (Map<String, Object> r : registered.values()) {
      if (r.containsKey("last")) {
        r.put(name, r.get("last"));
        n++;
      }
    }
    if (n == 0) {
      throw new ConsoleException("no result to register yet: run a module first");
    }
    registeredNames.add(name);
    out.println("registered '" + name + "' on " + n + (n == 1 ? " host" : " hosts"));
  }

  private void showVars() {
    Map<String, Object> all = new LinkedHashMap<>(base.extraVars());
    all.putAll(vars);
    if (all.isEmpty()) {
      out.println("variables: none (set one with :set VAR=VALUE)");
    } else {
      out.println("variables:");
      all.forEach((k, v) -> out.println("  " + k + " = " + jplay.engine.output.Json.write(v)));
    }
    List<String> names = new ArrayList<>();
    if (registered.values().stream().anyMatch(r -> r.containsKey("last"))) {
      names.add("last");
    }
    names.addAll(registeredNames);
    out.println("registered: " + (names.isEmpty() ? "none" : String.join(", ", names)));
    List<String> hosts = hosts();
    long withFacts = hosts.stream().filter(facts::containsKey).count();
    out.println("facts: gathered for " + withFacts + " of " + hosts.size() + " hosts");
  }

  private void help(String arg) throws ConsoleException {
    if (!arg.isEmpty()) {
      Module m = modules.find(arg).orElseThrow(() -> new ConsoleException(
          "no module named '" + arg + "'" + Suggestions.hint(arg, modules.allNames())));
      out.print(ModuleDoc.text(m.spec()));
      return;
    }
    out.println("Console commands (the ':' may be left out when no module has the name):");
    for (CommandHelp c : COMMANDS) {
      String head = ":" + c.name() + (c.args().isEmpty() ? "" : " " + c.args());
      out.println("  " + head + " ".repeat(Math.max(1, 22 - head.length())) + c.help());
    }
    out.println();
    out.println("Running things on the current hosts:");
    for (String[] r : new String[][] {
        {"MODULE k=v k2=\"v 2\"", "run a module, as in a playbook task's short form"},
        {"MODULE {k: v, k2: v2}", "the same with a YAML mapping"},
        {"!CMD", "run CMD with the shell module"}}) {
      out.println("  " + r[0] + " ".repeat(Math.max(1, 22 - r[0].length())) + r[1]);
    }
    out.println("  Templates see 'last' (each host's previous result), :register'ed names, :set variables and");
    out.println("  facts (gathered once, when a line first mentions them).");
    out.println();
    out.println("Modules: " + String.join(", ", modules.names()));
    out.println("Tab completes commands, modules, parameters and their choices, hosts and groups.");
  }

  private Next runModule(String module, String args, String line) throws SourceException, ConsoleException {
    Mark where = Mark.of("console line " + lineNumber);
    Task task = TaskLine.task(parser, modules, module, args, where);
    List<String> hosts = hosts();
    if (hosts.isEmpty()) {
      throw new ConsoleException("no hosts match '" + pattern + "'; :cd to another pattern");
    }
    if (!task.module().equals("setup") && NEEDS_FACTS.matcher(line).find()) {
      gatherFacts(hosts.stream().filter(h -> !facts.containsKey(h)).toList());
    }
    Capture capture = new Capture();
    AdhocOutput adhoc = output.equals("json") ? null : new AdhocOutput(out, err, false, color, diff, progress);
    RunListener shown = adhoc == null ? new JsonLinesOutput(out) : adhoc;
    runningOutput = adhoc;
    RunSummary summary;
    try {
      summary = run(task, hosts, Listeners.of(capture, shown));
    } finally {
      runningOutput = null;
    }
    if (summary.interrupted()) {
      // Half-run results are no result: 'last' stays what it was.
      out.flush();
      return Next.CONTINUE;
    }
    capture.results.forEach((h, r) -> {
      Map<String, Object> mine = registered.computeIfAbsent(h, k -> new ConcurrentHashMap<>());
      mine.put("last", registeredForm(r.outcome()));
      if (task.module().equals("setup") && r.outcome().data().get("ansible_facts") instanceof Map<?, ?> f) {
        facts.put(h, plain(f));
      }
    });
    note(summary);
    return Next.CONTINUE;
  }

  /** Gathers facts on {@code hosts} with the setup module; one summary line, failures named. */
  private void gatherFacts(List<String> hosts) throws SourceException {
    if (hosts.isEmpty() || modules.find("setup").isEmpty()) {
      return;
    }
    Task setup = TaskLine.task(parser, modules, "setup", "", Mark.of("console line " + lineNumber + " (facts)"));
    Capture capture = new Capture();
    RunSummary summary = run(setup, hosts, capture);
    int ok = 0;
    List<String> failed = new ArrayList<>();
    for (Map.Entry<String, Events.HostResult> e : capture.results.entrySet()) {
      Outcome o = e.getValue().outcome();
      if (!o.failed() && e.getValue().status() != Status.UNREACHABLE && o.data().get("ansible_facts") instanceof Map<?, ?> f) {
        facts.put(e.getKey(), plain(f));
        ok++;
      } else {
        failed.add(e.getKey() + ": " + o.msg());
      }
    }
    for (String h : hosts) {
      if (!capture.results.containsKey(h)) {
        failed.add(h + ": unreachable");
      }
    }
    out.println("facts gathered on " + ok + (ok == 1 ? " host" : " hosts")
        + (failed.isEmpty() ? "" : "; failed on " + String.join("; ", failed)));
    out.flush();
    note(summary);
  }

  /** The options of the next call: the command line's, with what the console's commands changed. */
  RunOptions options() {
    return new RunOptions(
        forks, null, extraVars(), base.remoteUser(), base.privateKey(), base.connection(), base.sshPassword(),
        become, becomeUser, base.becomePassword(), base.connectTimeout(), taskTimeout, base.hostKeyPolicy(),
        base.knownHosts(), check, diff, verbosity).withConnectionRetries(base.connectionRetries());
  }

  private RunSummary run(Task task, List<String> hosts, RunListener listener) throws SourceException {
    PlaybookRunner runner = new PlaybookRunner(modules, inventory, options(), listener, connections);
    for (String h : hosts) {
      runner.remember(h, facts.getOrDefault(h, Map.of()), registered.getOrDefault(h, Map.of()));
    }
    // The exact hosts, by name: the pattern was resolved once, for the prompt and for facts.
    Playbook playbook = new Playbook(
        java.nio.file.Path.of("console"), List.of(TaskLine.play(String.join(",", hosts), task, Map.of())));
    running = runner;
    try {
      return runner.run(List.of(playbook));
    } finally {
      running = null;
    }
  }

  private Map<String, Object> extraVars() {
    Map<String, Object> all = new LinkedHashMap<>(base.extraVars());
    all.putAll(vars);
    return all;
  }

  private void note(RunSummary summary) {
    int code = summary.exitCode();
    if (code == RunSummary.HOST_UNREACHABLE || code == RunSummary.HOST_FAILED && exitCode != RunSummary.HOST_UNREACHABLE) {
      exitCode = code;
    }
  }

  /** The current hosts: the pattern, within the command line's {@code -l}. */
  List<String> hosts() {
    try {
      Set<String> names = new LinkedHashSet<>();
      inventory.select(pattern).forEach(h -> names.add(h.name()));
      if (base.limit() != null) {
        Set<String> limit = new LinkedHashSet<>();
        inventory.select(base.limit()).forEach(h -> limit.add(h.name()));
        names.retainAll(limit);
      }
      return List.copyOf(names);
    } catch (SourceException e) {
      return List.of();
    }
  }

  ModuleRegistry modules() {
    return modules;
  }

  Inventory inventory() {
    return inventory;
  }

  Optional<ModuleSpec> spec(String module) {
    return modules.find(module).map(Module::spec);
  }

  boolean check() {
    return check;
  }

  boolean diff() {
    return diff;
  }

  boolean become() {
    return become;
  }

  String becomeUser() {
    return becomeUser;
  }

  int forks() {
    return forks;
  }

  int verbosity() {
    return verbosity;
  }

  Duration taskTimeout() {
    return taskTimeout;
  }

  String pattern() {
    return pattern;
  }

  /** The registered values of a host, {@code last} included; for tests and {@code :vars}. */
  Map<String, Object> registered(String host) {
    return registered.getOrDefault(host, Map.of());
  }

  Map<String, Object> facts(String host) {
    return facts.getOrDefault(host, Map.of());
  }

  /** A result as {@code register} stores it, with Ansible's keys (as the executor's own register). */
  static Map<String, Object> registeredForm(Outcome o) {
    Map<String, Object> r = new LinkedHashMap<>(o.data());
    r.remove("_jplay_set_fact");
    r.put("changed", o.changed());
    r.put("failed", o.failed());
    if (o.skipped()) {
      r.put("skipped", true);
      r.put("skip_reason", o.msg());
    } else if (!o.msg().isEmpty()) {
      r.put("msg", o.msg());
    }
    return r;
  }

  private static Map<String, Object> plain(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private void error(String message) {
    out.flush();
    err.println("ERROR! " + message);
    err.flush();
    exitCode = RunSummary.HOST_UNREACHABLE;
  }

  private static boolean onOff(String name, String arg, boolean current) throws ConsoleException {
    return switch (arg.toLowerCase(Locale.ROOT)) {
      case "" -> !current;
      case "on", "yes", "true", "1" -> true;
      case "off", "no", "false", "0" -> false;
      default -> throw new ConsoleException(":" + name + " takes on or off, not '" + arg + "'");
    };
  }

  private static int number(String name, String arg, int min, int max) throws ConsoleException {
    try {
      int n = Integer.parseInt(arg);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below with what would be right.
    }
    throw new ConsoleException(":" + name + " takes a whole number"
        + (max == Integer.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max)
        + (arg.isEmpty() ? "" : ", not '" + arg + "'"));
  }

  private static String required(String name, String arg, String what) throws ConsoleException {
    if (arg.isEmpty() || arg.contains(" ")) {
      throw new ConsoleException(":" + name + " takes one " + what);
    }
    return arg;
  }

  static String firstWord(String s) {
    int i = 0;
    while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return s.substring(0, i);
  }

  /** Each line's results, by host, as they arrive. */
  private static final class Capture implements RunListener {
    final Map<String, Events.HostResult> results = new ConcurrentHashMap<>();

    @Override
    public void hostResult(Events.HostResult e) {
      if (e.status() != Status.UNREACHABLE && e.outcome() != null) {
        results.put(e.host(), e);
      }
    }
  }

  /** A line the console cannot run; one line of error, and the prompt comes back. */
  static final class ConsoleException extends Exception {
    ConsoleException(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
