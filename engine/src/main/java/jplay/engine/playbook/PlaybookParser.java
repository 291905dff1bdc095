package jplay.engine.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Suggestions;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * Reads a playbook and checks everything that can be checked before a host is contacted: its shape, every
 * keyword and its value type, every module name and its arguments (values holding templates are checked later,
 * once rendered). All mistakes are collected and reported together, each at its file:line:column.
 *
 * <pre>{@code
 * Playbook pb = new PlaybookParser(ModuleRegistry.discover()).parse(Path.of("site.yml"));
 * }</pre>
 */
public final class PlaybookParser {
  /** Python identifiers that are not keywords: what Ansible accepts as a variable name. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Set<String> PYTHON_KEYWORDS =
      Set.of(
          "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
          "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
          "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield");

  /** Parameters of free-form modules that hold the command line itself, never taken out of the free text. */
  private static final Set<String> COMMAND_LINE_PARAMS = Set.of("cmd", "argv", ModuleSpec.RAW_PARAMS);

  private final ModuleRegistry modules;
  private final List<Path> rolesPath;

  public PlaybookParser(ModuleRegistry modules) {
    this(modules, List.of());
  }

  /**
   * @param rolesPath where roles are looked for after {@code roles/} beside the playbook (Ansible's
   *     {@code roles_path}), before the playbook's own folder
   */
  public PlaybookParser(ModuleRegistry modules, List<Path> rolesPath) {
    this.modules = Objects.requireNonNull(modules, "modules");
    this.rolesPath = List.copyOf(rolesPath);
  }

  /**
   * Parses and checks the playbook, with its imports and roles; collects ALL errors (several at once, in file
   * order) before throwing.
   */
  public Playbook parse(Path file) throws SourceException {
    List<SourceError> errors = new ArrayList<>();
    List<Play> out = readPlaybook(file, List.of(file.toAbsolutePath().normalize().toString()), null, errors);
    if (!errors.isEmpty()) {
      // In file order, whatever the order of discovery (argument problems come after keyword problems); files in
      // the order they were first reported.
      Map<String, Integer> fileOrder = new LinkedHashMap<>();
      for (SourceError e : errors) {
        fileOrder.putIfAbsent(e.mark().file(), fileOrder.size());
      }
      errors.sort(Comparator.comparingInt((SourceError e) -> fileOrder.get(e.mark().file()))
          .thenComparingInt(e -> e.mark().line()).thenComparingInt(e -> e.mark().column()));
      throw new SourceException(errors);
    }
    return new Playbook(file, out);
  }

  /**
   * Reads a task file for an {@code include_tasks} whose name was known only at run time.
   *
   * @param role the role the include is written in, or null
   * @param playbookDir the folder of the play's playbook
   * @param chain the files already being included, for cycles (absolute, normalised)
   */
  public List<Step> parseTaskFile(Path file, Role role, Path playbookDir, List<String> chain) throws SourceException {
    List<SourceError> errors = new ArrayList<>();
    PlayState state = new PlayState(playbookDir);
    List<String> c = new ArrayList<>(chain);
    c.add(file.toAbsolutePath().normalize().toString());
    List<Step> steps = loadSteps(file, new Ctx(file, role, c, state, false), errors);
    if (!errors.isEmpty()) {
      throw new SourceException(errors);
    }
    return steps;
  }

  /**
   * Reads a role for an {@code include_role} whose name was known only at run time: its body as a block, and its
   * handlers (each in a block of the role) in {@code handlers}.
   */
  public Block parseRole(
      String name, Map<String, Object> options, Path playbookDir, Role enclosing, Mark where, List<Step> handlers)
      throws SourceException {
    List<SourceError> errors = new ArrayList<>();
    PlayState state = new PlayState(playbookDir);
    Path file = enclosing != null ? enclosing.dir().resolve("tasks").resolve("main.yml") : playbookDir.resolve("x");
    Block b = loadRole(name, Map.of(), Map.of(), options, where, new Ctx(file, enclosing, List.of(), state, false),
        errors, false);
    if (!errors.isEmpty()) {
      throw new SourceException(errors);
    }
    handlers.addAll(state.roleHandlers);
    return b;
  }

  /**
   * Builds a task from a module name and Ansible's {@code k=v} shorthand, as written on the command line or in the
   * console ({@code file path=/tmp/x state=touch}).
   *
   * @param argsLine the arguments; null or blank for none
   * @param where where the line came from; every argument mark points there
   * @throws SourceException for an unknown module or arguments that do not fit its spec
   */
  public Task parseTaskLine(String moduleName, String argsLine, Mark where) throws SourceException {
    Optional<Module> module = modules.find(moduleName);
    if (module.isEmpty()) {
      throw new SourceException(
          where, "unknown module '" + moduleName + "'" + Suggestions.hint(moduleName, modules.allNames()));
    }
    ModuleSpec spec = module.get().spec();
    List<SourceError> errors = new ArrayList<>();
    ModuleArgs args = new ModuleArgs();
    if (argsLine != null && !argsLine.isBlank()) {
      readKv(spec, argsLine, where, false, args, errors);
    }
    if (errors.isEmpty()) {
      bind(spec, args, where, errors);
    }
    if (!errors.isEmpty()) {
      throw new SourceException(errors);
    }
    return new Task(null, spec.name(), args.values, args.marks, Map.of(), where);
  }

  /** What the parser knows while it reads one play: roles seen, handlers and notifications to check. */
  private static final class PlayState {
    final Path playbookDir;
    final List<Step> roleHandlers = new ArrayList<>();
    final Set<List<Object>> rolesWithHandlers = new LinkedHashSet<>();
    /** Static notify names and where they are written, checked once the play's handlers are known. */
    final List<Map.Entry<String, Mark>> notified = new ArrayList<>();

    PlayState(Path playbookDir) {
      this.playbookDir = playbookDir;
    }
  }

  /**
   * Where steps are being read: the file, the role they belong to (or null), the chain of files and roles that
   * led here (for cycles), and whether they are handlers.
   */
  private record Ctx(Path file, Role role, List<String> chain, PlayState play, boolean handlers) {
    Ctx in(Path other, String link) {
      List<String> c = new ArrayList<>(chain);
      c.add(link);
      return new Ctx(other, role, c, play, handlers);
    }

    Ctx asHandlers() {
      return new Ctx(file, role, chain, play, true);
    }

    Ctx inRole(Path other, Role r, String link) {
      List<String> c = new ArrayList<>(chain);
      c.add(link);
      return new Ctx(other, r, c, play, handlers);
    }

    /** Where a relative task file is looked for: the role's tasks/, the current file's folder, the playbook's. */
    List<Path> searchDirs() {
      List<Path> dirs = new ArrayList<>();
      if (role != null) {
        dirs.add(role.dir().resolve("tasks"));
      }
      Path parent = file.getParent();
      dirs.add(parent == null ? Path.of("") : parent);
      if (!dirs.contains(play.playbookDir)) {
        dirs.add(play.playbookDir);
      }
      return dirs;
    }
  }

  private static final String IMPORT_TASKS = "import_tasks";
  private static final String IMPORT_ROLE = "import_role";
  private static final String IMPORT_PLAYBOOK = "import_playbook";
  private static final Set<String> STATEMENTS =
      Set.of(IMPORT_TASKS, Include.TASKS, IMPORT_ROLE, Include.ROLE, "include");
  private static final Set<String> ROLE_OPTIONS =
      Set.of("name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "public", "apply",
          "allow_duplicates", "rolespec_validate");

  private List<Play> readPlaybook(Path file, List<String> chain, Mark from, List<SourceError> errors) {
    Optional<Node> doc;
    try {
      doc = YamlLoader.load(file);
    } catch (SourceException e) {
      errors.addAll(e.errors());
      return List.of();
    }
    String name = file.toString();
    if (doc.isEmpty() || ValueType.isNull(doc.get())) {
      errors.add(new SourceError(
          Mark.of(name), "empty playbook, nothing to do: a playbook is a list of plays, such as '- hosts: all'"));
      return List.of();
    }
    if (!(doc.get() instanceof Node.Seq plays)) {
      errors.add(new SourceError(
          doc.get().mark(),
          "a playbook must be a list of plays, not " + ValueType.describe(doc.get())
              + " (start each play with '- hosts: ...')"));
      return List.of();
    }
    if (plays.items().isEmpty()) {
      errors.add(new SourceError(plays.mark(), "a playbook must contain at least one play"));
      return List.of();
    }
    List<Play> out = new ArrayList<>();
    for (Node item : plays.items()) {
      if (item instanceof Node.MapNode m && m.entry(IMPORT_PLAYBOOK).isPresent()) {
        out.addAll(importPlaybook(file, m, chain, errors));
        continue;
      }
      Play play = readPlay(item, file, errors);
      if (play != null) {
        out.add(play);
      }
    }
    return out;
  }

  private List<Play> importPlaybook(Path file, Node.MapNode m, List<String> chain, List<SourceError> errors) {
    Node.Entry imp = m.entry(IMPORT_PLAYBOOK).get();
    Map<String, Object> vars = Map.of();
    List<String> tags = List.of();
    for (Node.Entry e : m.entries()) {
      String key = e.key().text();
      switch (key) {
        case IMPORT_PLAYBOOK, "name" -> { }
        case "vars" -> {
          Object v = readValue(key, ValueType.VARS, e.value(), errors);
          vars = v == null ? Map.of() : checkedVars(e.value(), v, errors);
        }
        case "tags" -> {
          Object v = readValue(key, ValueType.TAGS, e.value(), errors);
          tags = v == null ? List.of() : castList(v);
        }
        default -> errors.add(new SourceError(e.key().mark(),
            "'" + key + "' is not allowed beside import_playbook: only name, vars and tags are"));
      }
    }
    if (!(imp.value() instanceof Node.Scalar s) || ValueType.isNull(imp.value())) {
      errors.add(new SourceError(imp.value().mark(), "'import_playbook' must be a file name, not "
          + ValueType.describe(imp.value())));
      return List.of();
    }
    if (ValueType.isTemplate(s)) {
      errors.add(new SourceError(s.mark(), "import_playbook needs a file name without templates: it is read"
          + " before any host is contacted"));
      return List.of();
    }
    Path parent = file.getParent();
    Path target = (parent == null ? Path.of("") : parent).resolve(s.text());
    if (!Files.isRegularFile(target)) {
      errors.add(new SourceError(s.mark(), "the playbook '" + s.text() + "' was not found (looked for " + target
          + ")"));
      return List.of();
    }
    String key = target.toAbsolutePath().normalize().toString();
    if (chain.contains(key)) {
      errors.add(new SourceError(s.mark(), "import_playbook cycle: " + cycle(chain, key)));
      return List.of();
    }
    List<String> next = new ArrayList<>(chain);
    next.add(key);
    List<Play> plays = readPlaybook(target, next, s.mark(), errors);
    if (vars.isEmpty() && tags.isEmpty()) {
      return plays;
    }
    List<Play> out = new ArrayList<>();
    for (Play p : plays) {
      // Variables given to the import sit below the play's own.
      Map<String, Object> merged = new LinkedHashMap<>(vars);
      merged.putAll(p.vars());
      Map<String, Object> kw = new LinkedHashMap<>(p.keywords());
      if (!tags.isEmpty()) {
        List<String> all = new ArrayList<>(tags);
        if (kw.get("tags") instanceof List<?> own) {
          own.forEach(t -> all.add(String.valueOf(t)));
        }
        kw.put("tags", all);
      }
      out.add(new Play(p.name(), p.hosts(), merged, p.varsFiles(), p.preTasks(), p.roles(), p.body(), p.postTasks(),
          p.handlers(), kw, p.mark(), p.dir()));
    }
    return out;
  }

  /** The links from the first {@code again} on, files shown relative to the first file's folder. */
  private static String cycle(List<String> chain, String again) {
    Path base = chain.isEmpty() || chain.get(0).startsWith("role ") ? null : Path.of(chain.get(0)).getParent();
    List<String> names = new ArrayList<>();
    for (String c : chain.subList(chain.indexOf(again), chain.size())) {
      names.add(shortName(base, c));
    }
    names.add(shortName(base, again));
    return String.join(" -> ", names);
  }

  private static String shortName(Path base, String link) {
    if (base == null || !link.startsWith("/")) {
      return link;
    }
    Path p = Path.of(link);
    return p.startsWith(base) ? base.relativize(p).toString() : link;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> castList(Object v) {
    return (List<T>) v;
  }

  private Play readPlay(Node node, Path file, List<SourceError> errors) {
    if (!(node instanceof Node.MapNode play)) {
      errors.add(
          new SourceError(
              node.mark(),
              "a play must be a mapping of keywords such as 'hosts' and 'tasks', not " + ValueType.describe(node)));
      return null;
    }
    Path parent = file.getParent();
    Path dir = (parent == null ? Path.of("") : parent);
    PlayState state = new PlayState(dir);
    Ctx ctx = new Ctx(file, null, List.of(file.toAbsolutePath().normalize().toString()), state, false);
    String name = null;
    String hosts = null;
    boolean hostsGiven = false;
    Map<String, Object> vars = Map.of();
    List<Object> varsFiles = List.of();
    Map<String, List<Step>> sections = new LinkedHashMap<>();
    Node handlersNode = null;
    Map<String, Object> keywords = new LinkedHashMap<>();
    for (Node.Entry e : play.entries()) {
      String key = e.key().text();
      ValueType type = PlaybookKeywords.playType(key);
      if (type == null) {
        errors.add(unknownPlayKeyword(e.key()));
        // A misspelt 'hosts' already got its "did you mean": no second error for the missing one.
        hostsGiven |= Suggestions.closest(key, PlaybookKeywords.play()).filter("hosts"::equals).isPresent();
        continue;
      }
      if (key.equals("hosts")) {
        hostsGiven = true;
      }
      if (key.equals("handlers")) {
        handlersNode = e.value();
        continue;
      }
      if (type == ValueType.TASKS) {
        sections.put(key, readSteps(key, e.value(), ctx, errors));
        continue;
      }
      if (type == ValueType.ROLES) {
        sections.put(key, readRoles(e.value(), ctx, errors));
        continue;
      }
      if (ValueType.isNull(e.value())) {
        if (key.equals("hosts")) {
          errors.add(new SourceError(e.key().mark(), "'hosts' is empty: give a host pattern such as 'all'"));
        }
        continue;
      }
      Object value = readValue(key, type, e.value(), errors);
      if (value == null) {
        continue;
      }
      switch (key) {
        case "name" -> name = (String) value;
        case "hosts" -> hosts = (String) value;
        case "vars" -> vars = checkedVars(e.value(), value, errors);
        case "vars_files" -> varsFiles = checkVarsFiles(castList(value), dir, e.value().mark(), errors);
        default -> keywords.put(key, value);
      }
    }
    // Handlers are read last: the roles' handlers come first, as Ansible orders them.
    List<Step> handlers = new ArrayList<>(state.roleHandlers);
    if (handlersNode != null) {
      handlers.addAll(readSteps("handlers", handlersNode, ctx.asHandlers(), errors));
    }
    checkNotified(state, handlers, errors);
    if (!hostsGiven) {
      errors.add(new SourceError(play.mark(), "play has no 'hosts': say where it runs, such as 'hosts: all'"));
    }
    if (hosts == null) {
      return null;
    }
    return new Play(name, hosts, vars, varsFiles, sections.getOrDefault("pre_tasks", List.of()),
        sections.getOrDefault("roles", List.of()), sections.getOrDefault("tasks", List.of()),
        sections.getOrDefault("post_tasks", List.of()), handlers, keywords, play.mark(), dir);
  }

  /** A vars_files entry without a template must exist now; one with a template is read once rendered. */
  private static List<Object> checkVarsFiles(List<Object> entries, Path dir, Mark mark, List<SourceError> errors) {
    for (Object entry : entries) {
      List<?> alternatives = entry instanceof List<?> l ? l : List.of(entry);
      boolean templated = alternatives.stream().anyMatch(a -> Args.holdsTemplate(String.valueOf(a)));
      if (templated) {
        continue;
      }
      boolean found = alternatives.stream().anyMatch(a -> Files.isRegularFile(dir.resolve(String.valueOf(a))));
      if (!found) {
        errors.add(new SourceError(mark, "vars file " + (alternatives.size() == 1 ? "'" + alternatives.get(0) + "'"
            : alternatives) + " not found (relative to " + (dir.toString().isEmpty() ? "." : dir) + ")"));
      }
    }
    return entries;
  }

  /** Every static {@code notify} must name a handler or a {@code listen} topic of the play. */
  private static void checkNotified(PlayState state, List<Step> handlers, List<SourceError> errors) {
    Set<String> names = new LinkedHashSet<>();
    collectHandlerNames(handlers, null, names);
    for (Map.Entry<String, Mark> n : state.notified) {
      if (!names.contains(n.getKey())) {
        errors.add(new SourceError(n.getValue(), "notify names no handler: '" + n.getKey() + "' is neither a"
            + " handler's name nor a 'listen' topic of this play" + Suggestions.hint(n.getKey(), names)));
      }
    }
  }

  /** The names a handler answers to: its name, {@code role : name}, and its listen topics. */
  public static void collectHandlerNames(List<Step> steps, Role role, Set<String> out) {
    for (Step s : steps) {
      if (s instanceof Block b) {
        collectHandlerNames(b.block(), b.role() != null ? b.role() : role, out);
      } else if (s instanceof Task t) {
        if (t.name() != null) {
          out.add(t.name());
          if (role != null) {
            out.add(role.name() + " : " + t.name());
          }
        }
        if (t.keywords().get("listen") instanceof List<?> topics) {
          topics.forEach(x -> out.add(String.valueOf(x)));
        }
      }
    }
  }

  private SourceError unknownPlayKeyword(Node.Scalar key) {
    String k = key.text();
    if (PlaybookKeywords.playUnsupported(k)) {
      return unsupported(key);
    }
    if (modules.find(k).isPresent() || Actions.canonical(k).isPresent()) {
      return new SourceError(
          key.mark(), "unknown play keyword '" + k + "': a module call belongs in a task, under 'tasks:'");
    }
    Set<String> known = new LinkedHashSet<>(PlaybookKeywords.play());
    known.addAll(PlaybookKeywords.unsupportedPlay());
    return new SourceError(key.mark(), "unknown play keyword '" + k + "'" + Suggestions.hint(k, known));
  }

  private static SourceError unsupported(Node.Scalar key) {
    return new SourceError(key.mark(), "'" + key.text() + "' is an Ansible keyword jplay does not support yet");
  }

  private List<Step> readSteps(String what, Node node, Ctx ctx, List<SourceError> errors) {
    if (ValueType.isNull(node)) {
      return List.of();
    }
    if (!(node instanceof Node.Seq seq)) {
      errors.add(new SourceError(node.mark(), "'" + what + "' must be a list of tasks, not " + ValueType.describe(node)));
      return List.of();
    }
    List<Step> steps = new ArrayList<>();
    for (Node item : seq.items()) {
      Step s = readStep(item, ctx, errors);
      if (s != null) {
        steps.add(s);
      }
    }
    return steps;
  }

  private Step readStep(Node node, Ctx ctx, List<SourceError> errors) {
    if (!(node instanceof Node.MapNode map)) {
      errors.add(
          new SourceError(
              node.mark(),
              "a task must be a mapping (one module call and its keywords), not " + ValueType.describe(node)));
      return null;
    }
    if (map.entry("block").isPresent()) {
      return readBlock(map, ctx, errors);
    }
    for (Node.Entry e : map.entries()) {
      String stmt = Actions.strip(e.key().text());
      if (STATEMENTS.contains(stmt)) {
        return readInclude(map, e, stmt.equals("include") ? Include.TASKS : stmt, ctx, errors);
      }
    }
    return readTask(map, ctx, errors);
  }

  private Block readBlock(Node.MapNode map, Ctx ctx, List<SourceError> errors) {
    int before = errors.size();
    String name = null;
    List<Step> block = List.of();
    List<Step> rescue = List.of();
    List<Step> always = List.of();
    Map<String, Object> keywords = new LinkedHashMap<>();
    for (Node.Entry e : map.entries()) {
      String key = e.key().text();
      ValueType type = PlaybookKeywords.blockType(key);
      if (type == null) {
        if (modules.find(key).isPresent() || Actions.canonical(key).isPresent()) {
          errors.add(new SourceError(e.key().mark(), "a block calls no module: put '" + key
              + "' in a task of its own under 'block:'"));
        } else {
          Set<String> known = new LinkedHashSet<>(PlaybookKeywords.block());
          errors.add(new SourceError(e.key().mark(), "unknown block keyword '" + key + "'"
              + Suggestions.hint(key, known)));
        }
        continue;
      }
      if (type == ValueType.TASKS) {
        List<Step> steps = readSteps(key, e.value(), ctx, errors);
        switch (key) {
          case "block" -> block = steps;
          case "rescue" -> rescue = steps;
          default -> always = steps;
        }
        continue;
      }
      if (ValueType.isNull(e.value())) {
        continue;
      }
      Object value = readValue(key, type, e.value(), errors);
      if (value != null && key.equals("vars")) {
        value = checkedVars(e.value(), value, errors);
      }
      if (value != null && key.equals("name")) {
        name = (String) value;
      } else if (value != null) {
        keywords.put(key, value);
      }
    }
    if (ctx.handlers()) {
      errors.add(new SourceError(map.mark(), "a block is not allowed among handlers: write each handler as a task"));
    }
    return errors.size() > before ? null : new Block(name, block, rescue, always, keywords, null, map.mark());
  }

  /** {@code import_tasks}, {@code include_tasks}, {@code import_role}, {@code include_role} and their keywords. */
  private Step readInclude(Node.MapNode map, Node.Entry stmt, String action, Ctx ctx, List<SourceError> errors) {
    int before = errors.size();
    Map<String, Object> keywords = new LinkedHashMap<>();
    Map<String, Object> options = new LinkedHashMap<>();
    boolean role = action.equals(IMPORT_ROLE) || action.equals(Include.ROLE);
    boolean dynamic = action.equals(Include.TASKS) || action.equals(Include.ROLE);
    for (Node.Entry e : map.entries()) {
      String key = e.key().text();
      if (e == stmt) {
        continue;
      }
      ValueType type = PlaybookKeywords.includeType(key);
      if (type == null) {
        if (STATEMENTS.contains(Actions.strip(key))) {
          errors.add(new SourceError(e.key().mark(), "two statements in one task: '" + stmt.key().text()
              + "' and '" + key + "'"));
        } else if (modules.find(key).isPresent() || Actions.canonical(key).isPresent()) {
          errors.add(new SourceError(e.key().mark(), "a task with " + action + " calls no module: put '" + key
              + "' in a task of its own"));
        } else {
          errors.add(new SourceError(e.key().mark(), "unknown keyword '" + key + "' for " + action
              + Suggestions.hint(key, PlaybookKeywords.task())));
        }
        continue;
      }
      if (ValueType.isNull(e.value())) {
        continue;
      }
      Object value = readValue(key, type, e.value(), errors);
      if (value == null) {
        continue;
      }
      if (key.equals("vars")) {
        value = checkedVars(e.value(), value, errors);
      }
      if (key.equals("loop_control")) {
        checkLoopControl(e.value(), errors);
      }
      if (key.equals("args") && value instanceof Map<?, ?> m) {
        m.forEach((k, v) -> options.put(String.valueOf(k), v));
        continue;
      }
      if ((key.equals("loop") || key.startsWith("with_")) && !dynamic) {
        errors.add(new SourceError(e.key().mark(), "'" + key + "' cannot loop over " + action + ", which is read"
            + " before the run: use " + (role ? Include.ROLE : Include.TASKS)));
        continue;
      }
      keywords.put(key, value);
    }
    checkOneLoop(map, errors);
    if (dynamic && ctx.handlers()) {
      errors.add(new SourceError(stmt.key().mark(), action + " is not supported among handlers: use "
          + (role ? IMPORT_ROLE : IMPORT_TASKS) + ", or write the handlers out"));
    }
    // The statement's own value: a file name, or a mapping of options.
    Node v = stmt.value();
    if (v instanceof Node.MapNode m) {
      for (Node.Entry e : m.entries()) {
        String k = e.key().text();
        boolean known = role ? ROLE_OPTIONS.contains(k) : (k.equals("file") || k.equals("apply") && dynamic);
        if (!known) {
          // Sorted: the message is the same from run to run.
          List<String> allowed = role ? List.copyOf(new java.util.TreeSet<>(ROLE_OPTIONS))
              : dynamic ? List.of("file", "apply") : List.of("file");
          errors.add(new SourceError(e.key().mark(), "unknown option '" + k + "' for " + action
              + Suggestions.hint(k, allowed) + " (it takes " + String.join(", ", allowed) + ")"));
          continue;
        }
        options.put(k, e.value().toPlain());
      }
    } else if (v instanceof Node.Scalar s && !ValueType.isNull(s) && role && s.text().contains("=")) {
      // include_role: name=r public=true — Ansible's k=v form.
      try {
        KvArgs.Parsed kv = KvArgs.parse(s.text(), null);
        kv.options().forEach((k, val) -> {
          if (ROLE_OPTIONS.contains(k)) {
            options.put(k, val);
          } else {
            errors.add(new SourceError(v.mark(), "unknown option '" + k + "' for " + action
                + Suggestions.hint(k, List.copyOf(ROLE_OPTIONS)) + " (it takes "
                + String.join(", ", new java.util.TreeSet<>(ROLE_OPTIONS)) + ")"));
          }
        });
        if (kv.rawParams() != null) {
          options.putIfAbsent("name", kv.rawParams());
        }
      } catch (IllegalArgumentException ex) {
        errors.add(new SourceError(v.mark(), action + ": " + ex.getMessage()));
      }
    } else if (v instanceof Node.Scalar s && !ValueType.isNull(s)) {
      options.put(role ? "name" : "file", s.text());
    }
    Object target = options.remove(role ? "name" : "file");
    if (!(target instanceof String t) || t.isBlank()) {
      errors.add(new SourceError(stmt.key().mark(), action + " needs " + (role ? "a role name ('name: ROLE')"
          : "a file name ('" + action + ": FILE.yml')")));
      return null;
    }
    if (options.get("apply") != null && !(options.get("apply") instanceof Map<?, ?>)) {
      errors.add(new SourceError(v.mark(), "'apply' must be a mapping of task keywords"));
    }
    if (errors.size() > before) {
      return null;
    }
    boolean templated = Args.holdsTemplate(t);
    if (!dynamic && templated) {
      errors.add(new SourceError(v.mark(), action + " needs a " + (role ? "role name" : "file name")
          + " without templates, as it is read before the run: use " + (role ? Include.ROLE : Include.TASKS)
          + " for one known only at run time"));
      return null;
    }
    Mark mark = map.mark();
    if (!role) {
      List<Step> steps = null;
      if (!templated) {
        steps = loadTaskFile(t, v.mark(), ctx, errors);
        if (steps == null) {
          return null;
        }
      }
      if (dynamic) {
        return new Include(Include.TASKS, t, options, keywords, ctx.searchDirs(), ctx.role(), steps, mark);
      }
      return new Block(null, steps, List.of(), List.of(), keywords, null, mark);
    }
    if (dynamic) {
      List<Step> preloaded = null;
      if (!templated) {
        Block body = loadRole(t, Map.of(), Map.of(), options, v.mark(), ctx, errors, false);
        if (body == null) {
          return null;
        }
        preloaded = List.of(body);
      }
      return new Include(Include.ROLE, t, options, keywords, ctx.searchDirs(), ctx.role(), preloaded, mark);
    }
    return loadRole(t, Map.of(), keywords, options, v.mark(), ctx, errors, false);
  }

  /** The steps of a task file, found in the context's search folders; null (with an error) if it cannot be. */
  private List<Step> loadTaskFile(String name, Mark mark, Ctx ctx, List<SourceError> errors) {
    Path found = null;
    for (Path dir : ctx.searchDirs()) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        found = p;
        break;
      }
    }
    if (found == null) {
      errors.add(new SourceError(mark, "the task file '" + name + "' was not found (looked in "
          + ctx.searchDirs().stream().map(d -> d.toString().isEmpty() ? "." : d.toString()).toList() + ")"));
      return null;
    }
    String key = found.toAbsolutePath().normalize().toString();
    if (ctx.chain().contains(key)) {
      errors.add(new SourceError(mark, "include cycle: " + cycle(ctx.chain(), key)));
      return null;
    }
    Optional<Node> doc;
    try {
      doc = YamlLoader.load(found);
    } catch (SourceException e) {
      errors.addAll(e.errors());
      return null;
    }
    if (doc.isEmpty() || ValueType.isNull(doc.get())) {
      return List.of();
    }
    return readSteps("a task file", doc.get(), ctx.in(found, key), errors);
  }

  /** {@code roles:} entries: a role name, or a mapping with {@code role} (or {@code name}), keywords and params. */
  private List<Step> readRoles(Node node, Ctx ctx, List<SourceError> errors) {
    if (ValueType.isNull(node)) {
      return List.of();
    }
    if (!(node instanceof Node.Seq seq)) {
      errors.add(new SourceError(node.mark(), "'roles' must be a list of roles, not " + ValueType.describe(node)));
      return List.of();
    }
    List<Step> out = new ArrayList<>();
    for (Node item : seq.items()) {
      Block b = readRoleEntry(item, ctx, errors, true);
      // A role without tasks still counts: its defaults and vars are seen by the play's other roles, as Ansible.
      if (b != null) {
        out.add(b);
      }
    }
    return out;
  }

  private Block readRoleEntry(Node item, Ctx ctx, List<SourceError> errors, boolean dedup) {
    if (item instanceof Node.Scalar s && !ValueType.isNull(s)) {
      return loadRole(s.text(), Map.of(), Map.of(), Map.of(), s.mark(), ctx, errors, dedup);
    }
    if (!(item instanceof Node.MapNode m)) {
      errors.add(new SourceError(item.mark(), "a role must be a name or a mapping with 'role: NAME', not "
          + ValueType.describe(item)));
      return null;
    }
    String name = null;
    Mark nameMark = m.mark();
    Map<String, Object> params = new LinkedHashMap<>();
    Map<String, Object> keywords = new LinkedHashMap<>();
    int before = errors.size();
    for (Node.Entry e : m.entries()) {
      String key = e.key().text();
      if (key.equals("role") || key.equals("name")) {
        if (e.value() instanceof Node.Scalar s && !ValueType.isNull(s)) {
          name = s.text();
          nameMark = s.mark();
        } else {
          errors.add(new SourceError(e.value().mark(), "'" + key + "' must be a role name"));
        }
        continue;
      }
      if (PlaybookKeywords.inherited(key)) {
        if (ValueType.isNull(e.value())) {
          continue;
        }
        Object v = readValue(key, PlaybookKeywords.blockType(key), e.value(), errors);
        if (v != null && key.equals("vars")) {
          // vars on a role entry are its parameters, as Ansible treats them.
          checkedVars(e.value(), v, errors).forEach(params::put);
          continue;
        }
        if (v != null) {
          keywords.put(key, v);
        }
        continue;
      }
      if (!IDENTIFIER.matcher(key).matches()) {
        errors.add(new SourceError(e.key().mark(), "'" + key + "' is neither a role keyword nor a valid parameter"
            + " name"));
        continue;
      }
      params.put(key, e.value().toPlain());
    }
    if (name == null) {
      if (errors.size() == before) {
        errors.add(new SourceError(m.mark(), "a role entry needs 'role: NAME'"));
      }
      return null;
    }
    if (errors.size() > before) {
      return null;
    }
    return loadRole(name, params, keywords, Map.of(), nameMark, ctx, errors, dedup);
  }

  /** Where a role named {@code name} is looked for, in order. */
  private List<Path> roleDirs(Ctx ctx) {
    List<Path> dirs = new ArrayList<>();
    if (ctx.role() != null && ctx.role().dir().getParent() != null) {
      dirs.add(ctx.role().dir().getParent());
    }
    dirs.add(ctx.play().playbookDir.resolve("roles"));
    dirs.addAll(rolesPath);
    dirs.add(ctx.play().playbookDir);
    return dirs;
  }

  /**
   * A role's body as a block: its dependencies' bodies first, then its tasks. Null (with an error) when it cannot
   * be read; an empty block when it already ran in this play with the same parameters (Ansible runs a role once).
   */
  private Block loadRole(
      String name, Map<String, Object> params, Map<String, Object> keywords, Map<String, Object> options, Mark mark,
      Ctx ctx, List<SourceError> errors, boolean dedup) {
    Path dir = null;
    List<Path> dirs = roleDirs(ctx);
    for (Path d : dirs) {
      Path p = d.resolve(name);
      if (Files.isDirectory(p)) {
        dir = p;
        break;
      }
    }
    if (dir == null) {
      Set<String> known = new LinkedHashSet<>();
      for (Path d : dirs) {
        try (var list = Files.list(d)) {
          list.filter(Files::isDirectory).forEach(p -> known.add(p.getFileName().toString()));
        } catch (java.io.IOException | RuntimeException ignored) {
          // A roles folder that does not exist has no roles to suggest.
        }
      }
      errors.add(new SourceError(mark, "role '" + name + "' not found in "
          + dirs.stream().map(d -> d.toString().isEmpty() ? "." : d.toString()).toList()
          + Suggestions.hint(name, known)));
      return null;
    }
    String roleName = dir.getFileName().toString();
    String key = "role " + roleName;
    if (ctx.chain().contains(key)) {
      errors.add(new SourceError(mark, "role dependency cycle: " + cycle(ctx.chain(), key)));
      return null;
    }
    Map<String, Object> defaults = readVarsFile(dir.resolve("defaults"), str(options.get("defaults_from")), errors);
    Map<String, Object> vars = readVarsFile(dir.resolve("vars"), str(options.get("vars_from")), errors);
    Optional<Node> meta = readRoleFile(dir.resolve("meta"), null, errors);
    List<Node> deps = new ArrayList<>();
    boolean allowDuplicates = false;
    if (meta.isPresent() && meta.get() instanceof Node.MapNode mm) {
      Optional<Node> d = mm.get("dependencies");
      if (d.isPresent() && d.get() instanceof Node.Seq seq) {
        deps.addAll(seq.items());
      } else if (d.isPresent() && !ValueType.isNull(d.get())) {
        errors.add(new SourceError(d.get().mark(), "'dependencies' must be a list of roles"));
      }
      Optional<Node> a = mm.get("allow_duplicates");
      if (a.isPresent() && a.get() instanceof Node.Scalar s && Boolean.TRUE.equals(s.value())) {
        allowDuplicates = true;
      }
    } else if (meta.isPresent() && !ValueType.isNull(meta.get())) {
      errors.add(new SourceError(meta.get().mark(), "a role's meta/main.yml must be a mapping"));
    }
    List<Step> handlers = List.of();
    Role role = new Role(roleName, dir, defaults, vars, params, List.of(), dedup && !allowDuplicates);
    Ctx roleCtx = ctx.inRole(dir.resolve("tasks").resolve("main.yml"), role, key);
    List<Step> body = new ArrayList<>();
    for (Node dep : deps) {
      Block b = readRoleEntry(dep, roleCtx, errors, true);
      if (b != null) {
        body.add(b);
      }
    }
    Optional<Path> tasksFile = roleFile(dir.resolve("tasks"), str(options.get("tasks_from")));
    if (tasksFile.isEmpty() && options.get("tasks_from") != null) {
      errors.add(new SourceError(mark, "role '" + roleName + "' has no tasks file '" + options.get("tasks_from") + "'"));
    }
    if (tasksFile.isPresent()) {
      body.addAll(loadSteps(tasksFile.get(), roleCtx.in(tasksFile.get(), key + " tasks"), errors));
    }
    Optional<Path> handlersFile = roleFile(dir.resolve("handlers"), str(options.get("handlers_from")));
    // Each instance of a role (other parameters) brings its handlers again, under the role entry's keywords
    // (its `when` too), as in Ansible; notify then finds the last one defined. The same role with the same
    // parameters runs once, and so do its handlers.
    if (handlersFile.isPresent()
        && ctx.play().rolesWithHandlers.add(List.of(handlersFile.get().toAbsolutePath(), params))) {
      handlers = loadSteps(handlersFile.get(), roleCtx.in(handlersFile.get(), key + " handlers").asHandlers(), errors);
      if (!handlers.isEmpty()) {
        ctx.play().roleHandlers.add(new Block(null, handlers, List.of(), List.of(), keywords, role, mark));
      }
    }
    return new Block(null, body, List.of(), List.of(), keywords, role, mark);
  }

  private List<Step> loadSteps(Path file, Ctx ctx, List<SourceError> errors) {
    Optional<Node> doc;
    try {
      doc = YamlLoader.load(file);
    } catch (SourceException e) {
      errors.addAll(e.errors());
      return List.of();
    }
    if (doc.isEmpty() || ValueType.isNull(doc.get())) {
      return List.of();
    }
    return readSteps("a task file", doc.get(), ctx, errors);
  }

  /** {@code main.yml}, {@code main.yaml}, {@code main} (or the given name) in a role's sub-folder. */
  static Optional<Path> roleFile(Path dir, String name) {
    String base = name == null ? "main" : name;
    for (String candidate : List.of(base, base + ".yml", base + ".yaml", base + ".json")) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Optional<Node> readRoleFile(Path dir, String name, List<SourceError> errors) {
    Optional<Path> file = roleFile(dir, name);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return YamlLoader.load(file.get());
    } catch (SourceException e) {
      errors.addAll(e.errors());
      return Optional.empty();
    }
  }

  private static Map<String, Object> readVarsFile(Path dir, String name, List<SourceError> errors) {
    Optional<Node> doc = readRoleFile(dir, name, errors);
    if (doc.isEmpty() || ValueType.isNull(doc.get())) {
      return Map.of();
    }
    if (!(doc.get() instanceof Node.MapNode)) {
      errors.add(new SourceError(doc.get().mark(), "a vars file must be a mapping of variable names to values, not "
          + ValueType.describe(doc.get())));
      return Map.of();
    }
    return checkedVars(doc.get(), doc.get().toPlain(), errors);
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private Task readTask(Node.MapNode task, Ctx ctx, List<SourceError> errors) {
    int errorsBefore = errors.size();
    String name = null;
    Node.Entry call = null;
    ModuleSpec spec = null;
    Node.Entry argsKeyword = null;
    Node.Entry actionKeyword = null;
    // An unknown or unsupported key may be the module call (misspelt, or a 'block:'): then no second error.
    boolean unknownKey = false;
    Map<String, Object> keywords = new LinkedHashMap<>();
    for (Node.Entry e : task.entries()) {
      String key = e.key().text();
      ValueType type = PlaybookKeywords.taskType(key);
      if (type == ValueType.ARGS) {
        argsKeyword = e;
      } else if (key.equals("action") || key.equals("local_action")) {
        if (actionKeyword != null || call != null) {
          errors.add(new SourceError(e.key().mark(), "two module calls in one task: '"
              + (actionKeyword != null ? actionKeyword : call).key().text() + "' and '" + key + "'"));
        }
        actionKeyword = e;
      } else if (type != null) {
        if (ValueType.isNull(e.value())) {
          continue;
        }
        Object value = readValue(key, type, e.value(), errors);
        if (value != null && key.equals("vars")) {
          value = checkedVars(e.value(), value, errors);
        }
        if (value != null && key.equals("loop_control")) {
          checkLoopControl(e.value(), errors);
        }
        if (value != null && key.equals("register") && !IDENTIFIER.matcher((String) value).matches()) {
          errors.add(new SourceError(e.value().mark(), "'register' must be a valid variable name, not '"
              + value + "'"));
        }
        if (value != null && key.equals("listen") && !ctx.handlers()) {
          errors.add(new SourceError(e.key().mark(), "'listen' belongs on a handler, under 'handlers:'"));
        }
        if (value != null && key.equals("notify")) {
          for (Object n : (List<?>) value) {
            if (!Args.holdsTemplate(n)) {
              ctx.play().notified.add(Map.entry(String.valueOf(n), e.value().mark()));
            }
          }
        }
        if (value != null && key.equals("name")) {
          name = (String) value;
        } else if (value != null) {
          keywords.put(key, value);
        }
      } else if (PlaybookKeywords.taskUnsupported(key)) {
        unknownKey = true;
        if (key.startsWith("with_") && !PlaybookKeywords.taskUnsupported("x" + key)) {
          errors.add(new SourceError(e.key().mark(), "'" + key + "' is not a loop jplay knows: use loop, or one of "
              + String.join(", ", PlaybookKeywords.lookups()) + Suggestions.hint(key, PlaybookKeywords.lookups())));
        } else {
          errors.add(unsupported(e.key()));
        }
      } else if (Actions.canonical(key).isPresent() || modules.find(key).isPresent()) {
        if (call != null || actionKeyword != null) {
          errors.add(
              new SourceError(
                  e.key().mark(),
                  "two module calls in one task: '" + (call != null ? call : actionKeyword).key().text() + "' and '"
                      + key + "' (a task calls exactly one module)"));
        } else {
          call = e;
          spec = Actions.canonical(key).map(Actions::spec).orElseGet(() -> modules.find(key).get().spec());
        }
      } else {
        unknownKey = true;
        errors.add(unknownTaskKey(e.key()));
      }
    }
    checkOneLoop(task, errors);
    ModuleArgs args = new ModuleArgs();
    Mark callMark;
    if (actionKeyword != null) {
      if (actionKeyword.key().text().equals("local_action")) {
        keywords.put("delegate_to", "localhost");
      }
      spec = readAction(actionKeyword, args, errors);
      if (spec == null) {
        return null;
      }
      callMark = actionKeyword.key().mark();
    } else if (call == null) {
      if (!unknownKey) {
        errors.add(
            new SourceError(
                task.mark(), "task calls no module: add one, such as 'command: ...' (found only keywords "
                    + String.join(", ", task.keys()) + ")"));
      }
      return null;
    } else {
      callMark = call.key().mark();
    }
    int errorsBeforeArgs = errors.size();
    if (argsKeyword != null) {
      readArgsKeyword(argsKeyword, args, errors);
    }
    if (call != null) {
      if (spec.name().equals(Actions.SET_FACT)) {
        readSetFact(call, args, errors);
      } else {
        readModuleArgs(spec, call, args, errors);
      }
    }
    if (errors.size() == errorsBeforeArgs) {
      if (spec.name().equals(Actions.SET_FACT)) {
        checkSetFact(args, callMark, errors);
      } else {
        bind(spec, args, callMark, errors);
      }
      if (spec.name().equals(Actions.META)) {
        checkMeta(args, callMark, errors);
      }
      if (spec.name().equals(Actions.PAUSE) && args.values.get("seconds") == null
          && args.values.get("minutes") == null) {
        errors.add(new SourceError(callMark, "pause needs 'seconds' or 'minutes': jplay runs unattended and does"
            + " not wait for a key press"));
      }
    }
    if (errors.size() > errorsBefore) {
      return null;
    }
    return new Task(name, spec.name(), args.values, args.marks, keywords, task.mark());
  }

  /** {@code action: MODULE ARGS} or {@code action: {module: MODULE, ...}}; the same for {@code local_action}. */
  private ModuleSpec readAction(Node.Entry e, ModuleArgs args, List<SourceError> errors) {
    Node v = e.value();
    String moduleName;
    if (v instanceof Node.MapNode m) {
      Optional<Node> mod = m.get("module");
      if (mod.isEmpty() || !(mod.get() instanceof Node.Scalar s) || ValueType.isNull(s)) {
        errors.add(new SourceError(v.mark(), "'" + e.key().text() + "' needs 'module: NAME'"));
        return null;
      }
      moduleName = s.text();
    } else if (v instanceof Node.Scalar s && !ValueType.isNull(s)) {
      moduleName = s.text().strip().split("\\s+", 2)[0];
    } else {
      errors.add(new SourceError(v.mark(), "'" + e.key().text() + "' must be 'MODULE ARGS' or a mapping with"
          + " 'module', not " + ValueType.describe(v)));
      return null;
    }
    ModuleSpec spec = Actions.canonical(moduleName).map(Actions::spec)
        .orElseGet(() -> modules.find(moduleName).map(Module::spec).orElse(null));
    if (spec == null) {
      errors.add(new SourceError(v.mark(), "unknown module '" + moduleName + "'"
          + Suggestions.hint(moduleName, modules.allNames())));
      return null;
    }
    if (v instanceof Node.MapNode m) {
      for (Node.Entry a : m.entries()) {
        if (!a.key().text().equals("module")) {
          args.put(a.key().text(), a.value().toPlain(), a.key().mark());
        }
      }
    } else {
      Node.Scalar s = (Node.Scalar) v;
      String text = s.text().strip();
      String rest = text.length() > moduleName.length() ? text.substring(moduleName.length()).strip() : "";
      if (!rest.isEmpty()) {
        readKv(spec, rest, s.mark(), false, args, errors);
      }
    }
    return spec;
  }

  private static void readSetFact(Node.Entry call, ModuleArgs args, List<SourceError> errors) {
    Node v = call.value();
    if (v instanceof Node.MapNode m) {
      for (Node.Entry e : m.entries()) {
        args.put(e.key().text(), e.value().toPlain(), e.key().mark());
      }
    } else if (v instanceof Node.Scalar s && s.value() instanceof String text) {
      KvArgs.Parsed parsed;
      try {
        parsed = KvArgs.parse(text, null);
      } catch (IllegalArgumentException ex) {
        errors.add(new SourceError(s.mark(), ex.getMessage()));
        return;
      }
      parsed.options().forEach((k, val) -> args.put(k, val, s.mark()));
      if (parsed.rawParams() != null) {
        errors.add(new SourceError(s.mark(), "set_fact takes NAME=VALUE pairs or a mapping, not '"
            + parsed.rawParams() + "'"));
      }
    } else if (!ValueType.isNull(v)) {
      errors.add(new SourceError(v.mark(), "set_fact takes NAME=VALUE pairs or a mapping, not "
          + ValueType.describe(v)));
    }
  }

  private static void checkSetFact(ModuleArgs args, Mark callMark, List<SourceError> errors) {
    int names = 0;
    for (Map.Entry<String, Object> e : args.values.entrySet()) {
      String k = e.getKey();
      if (k.equals("cacheable")) {
        Object v = e.getValue();
        if (!(v instanceof Boolean) && !Args.holdsTemplate(v)
            && !(v instanceof String s && Set.of("yes", "no", "true", "false").contains(s.toLowerCase(java.util.Locale.ROOT)))) {
          errors.add(new SourceError(args.marks.get(k), "'cacheable' must be a boolean, not '" + v + "'"));
        }
        continue;
      }
      names++;
      // A name from a template is checked once rendered.
      if (!Args.holdsTemplate(k) && (!IDENTIFIER.matcher(k).matches() || PYTHON_KEYWORDS.contains(k))) {
        errors.add(new SourceError(args.marks.get(k), "'" + k + "' is not a valid variable name: use letters,"
            + " digits and '_', not starting with a digit"));
      }
    }
    if (names == 0) {
      errors.add(new SourceError(callMark, "set_fact needs at least one NAME: VALUE"));
    }
  }

  private static void checkMeta(ModuleArgs args, Mark callMark, List<SourceError> errors) {
    Object what = args.values.get(ModuleSpec.RAW_PARAMS);
    String w = what == null ? "" : String.valueOf(what).strip();
    if (!Actions.META_ACTIONS.contains(w)) {
      errors.add(new SourceError(args.marks.getOrDefault(ModuleSpec.RAW_PARAMS, callMark), "meta: '" + w
          + "' is not a meta action" + Suggestions.hint(w, Actions.META_ACTIONS) + " (one of "
          + String.join(", ", Actions.META_ACTIONS) + ")"));
    }
  }

  private static void checkLoopControl(Node node, List<SourceError> errors) {
    if (!(node instanceof Node.MapNode m)) {
      return;
    }
    for (Node.Entry e : m.entries()) {
      String k = e.key().text();
      if (!PlaybookKeywords.LOOP_CONTROL.contains(k)) {
        errors.add(new SourceError(e.key().mark(), "unknown loop_control setting '" + k + "'"
            + Suggestions.hint(k, PlaybookKeywords.LOOP_CONTROL) + " (one of "
            + String.join(", ", PlaybookKeywords.LOOP_CONTROL) + ")"));
      } else if ((k.equals("loop_var") || k.equals("index_var")) && e.value() instanceof Node.Scalar s
          && !ValueType.isTemplate(s) && !IDENTIFIER.matcher(s.text()).matches()) {
        errors.add(new SourceError(e.value().mark(), "'" + k + "' must be a valid variable name, not '"
            + s.text() + "'"));
      } else if (k.equals("pause") && !(e.value() instanceof Node.Scalar s && s.value() instanceof Number)
          && !ValueType.isTemplate(e.value())) {
        errors.add(new SourceError(e.value().mark(), "'pause' must be a number of seconds"));
      }
    }
  }

  private static void checkOneLoop(Node.MapNode map, List<SourceError> errors) {
    List<Node.Entry> loops = map.entries().stream()
        .filter(e -> e.key().text().equals("loop") || PlaybookKeywords.lookups().contains(e.key().text())).toList();
    if (loops.size() > 1) {
      errors.add(new SourceError(loops.get(1).key().mark(), "one loop per task: '" + loops.get(0).key().text()
          + "' and '" + loops.get(1).key().text() + "' are both given"));
    }
  }

  /** Unknown key in a task: a misspelt keyword or a misspelt (or missing) module, whichever is closer. */
  private SourceError unknownTaskKey(Node.Scalar key) {
    String k = key.text();
    Set<String> keywords = new LinkedHashSet<>(PlaybookKeywords.task());
    keywords.addAll(PlaybookKeywords.unsupportedTask());
    keywords.addAll(List.of("block", "rescue", "always", "action", "local_action"));
    keywords.addAll(STATEMENTS);
    Set<String> all = new LinkedHashSet<>(keywords);
    all.addAll(modules.allNames());
    Actions.specs().forEach(sp -> all.add(sp.name()));
    Optional<String> best = Suggestions.closest(k, all);
    if (best.isPresent() && keywords.contains(best.get())) {
      return new SourceError(key.mark(), "unknown task keyword '" + k + "' (did you mean '" + best.get() + "'?)");
    }
    if (best.isPresent()) {
      return new SourceError(key.mark(), "unknown module '" + k + "' (did you mean '" + best.get() + "'?)");
    }
    return new SourceError(key.mark(), "unknown keyword or module '" + k + "'");
  }

  private static Object readValue(String key, ValueType type, Node value, List<SourceError> errors) {
    try {
      return type.read(value);
    } catch (ValueType.BadValue bad) {
      errors.add(
          new SourceError(
              bad.node().mark(),
              "'" + key + "' must be " + type.expected() + ", not " + ValueType.describe(bad.node())));
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> checkedVars(Node node, Object value, List<SourceError> errors) {
    for (Node.Entry e : ((Node.MapNode) node).entries()) {
      String name = e.key().text();
      if (!IDENTIFIER.matcher(name).matches() || PYTHON_KEYWORDS.contains(name)) {
        errors.add(
            new SourceError(
                e.key().mark(),
                "'" + name + "' is not a valid variable name: use letters, digits and '_', not starting with a digit"
                    + (PYTHON_KEYWORDS.contains(name) ? ", and not a reserved word" : "")));
      }
    }
    return (Map<String, Object>) value;
  }

  /** The module's arguments as written, merged from {@code args:} and the module call, with their marks. */
  private static final class ModuleArgs {
    final Map<String, Object> values = new LinkedHashMap<>();
    final Map<String, Mark> marks = new LinkedHashMap<>();

    void put(String key, Object value, Mark mark) {
      values.put(key, value);
      marks.put(key, mark);
    }
  }

  private static void readArgsKeyword(Node.Entry entry, ModuleArgs args, List<SourceError> errors) {
    Node value = entry.value();
    if (ValueType.isNull(value)) {
      return;
    }
    if (value instanceof Node.MapNode map) {
      for (Node.Entry e : map.entries()) {
        args.put(e.key().text(), e.value().toPlain(), e.key().mark());
      }
    } else if (ValueType.isTemplate(value)) {
      errors.add(
          new SourceError(
              value.mark(),
              "'args' from a template is not supported yet: write the arguments as a mapping"));
    } else {
      errors.add(
          new SourceError(
              value.mark(), "'args' must be " + ValueType.ARGS.expected() + ", not " + ValueType.describe(value)));
    }
  }

  /** The arguments written on the module key; they override those from {@code args:}, as in Ansible. */
  private void readModuleArgs(ModuleSpec spec, Node.Entry call, ModuleArgs args, List<SourceError> errors) {
    Node value = call.value();
    if (ValueType.isNull(value)) {
      return;
    }
    if (value instanceof Node.MapNode map) {
      for (Node.Entry e : map.entries()) {
        args.put(e.key().text(), e.value().toPlain(), e.key().mark());
      }
      return;
    }
    if (value instanceof Node.Scalar s && s.value() instanceof String text) {
      // Offsets into the text are columns in the file only for a plain scalar on one line.
      boolean exact = !s.quoted() && text.indexOf('\n') < 0;
      readKv(spec, text, s.mark(), exact, args, errors);
      return;
    }
    errors.add(
        new SourceError(
            value.mark(),
            "the arguments of " + spec.name() + " must be a mapping or k=v text, not " + ValueType.describe(value)));
  }

  private void readKv(
      ModuleSpec spec, String text, Mark mark, boolean exact, ModuleArgs args, List<SourceError> errors) {
    KvArgs.Parsed parsed;
    try {
      // A free-form module's text is a command line: only its own parameters are taken out of it, and not those
      // that would be a second command line (Ansible keeps 'cmd=x' in the text too).
      parsed =
          KvArgs.parse(
              text,
              spec.freeForm()
                  ? k -> spec.param(k).filter(p -> !COMMAND_LINE_PARAMS.contains(p.name())).isPresent()
                  : null);
    } catch (IllegalArgumentException e) {
      errors.add(new SourceError(mark, e.getMessage() + " (quote the whole value, or close the quote or block)"));
      return;
    }
    for (Map.Entry<String, String> e : parsed.options().entrySet()) {
      args.put(e.getKey(), e.getValue(), exact ? shift(mark, parsed.offsets().get(e.getKey())) : mark);
    }
    if (parsed.rawParams() == null) {
      return;
    }
    Mark rawMark = exact ? shift(mark, parsed.rawOffset()) : mark;
    if (spec.freeForm()) {
      args.put(ModuleSpec.RAW_PARAMS, parsed.rawParams(), rawMark);
    } else if (Args.holdsTemplate(parsed.rawParams())) {
      errors.add(
          new SourceError(
              rawMark,
              "arguments from a template ('" + parsed.rawParams() + "') are not supported yet: write k=v pairs or a"
                  + " mapping"));
    } else {
      List<String> freeForm =
          modules.modules().stream().map(Module::spec).filter(ModuleSpec::freeForm).map(ModuleSpec::name).toList();
      errors.add(
          new SourceError(
              rawMark,
              "'" + parsed.rawParams() + "' is not a k=v argument of " + spec.name() + ": free text is only for "
                  + (freeForm.isEmpty() ? "free-form modules" : String.join(", ", freeForm))));
    }
  }

  private static Mark shift(Mark mark, int offset) {
    return new Mark(mark.file(), mark.line(), mark.column() + offset);
  }

  private static void bind(ModuleSpec spec, ModuleArgs args, Mark callMark, List<SourceError> errors) {
    try {
      Args.bind(spec, args.values, true);
    } catch (ArgsException e) {
      for (ArgsException.Problem p : e.problems()) {
        Mark at = p.key() == null ? callMark : args.marks.getOrDefault(p.key(), callMark);
        errors.add(new SourceError(at, p.message()));
      }
    }
    // Runtime errors name arguments by their canonical name; point those at what the user wrote too.
    for (Map.Entry<String, Mark> e : List.copyOf(args.marks.entrySet())) {
      spec.param(e.getKey()).ifPresent(p -> args.marks.putIfAbsent(p.name(), e.getValue()));
    }
  }
}
