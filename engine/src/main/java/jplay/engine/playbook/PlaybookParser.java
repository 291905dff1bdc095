package jplay.engine.playbook;

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

  public PlaybookParser(ModuleRegistry modules) {
    this.modules = Objects.requireNonNull(modules, "modules");
  }

  /** Parses and checks the playbook; collects ALL errors (several at once) before throwing. */
  public Playbook parse(Path file) throws SourceException {
    Optional<Node> doc = YamlLoader.load(file);
    String name = file.toString();
    if (doc.isEmpty() || ValueType.isNull(doc.get())) {
      throw new SourceException(
          Mark.of(name), "empty playbook, nothing to do: a playbook is a list of plays, such as '- hosts: all'");
    }
    if (!(doc.get() instanceof Node.Seq plays)) {
      throw new SourceException(
          doc.get().mark(),
          "a playbook must be a list of plays, not " + ValueType.describe(doc.get())
              + " (start each play with '- hosts: ...')");
    }
    if (plays.items().isEmpty()) {
      throw new SourceException(plays.mark(), "a playbook must contain at least one play");
    }
    List<SourceError> errors = new ArrayList<>();
    List<Play> out = new ArrayList<>();
    for (Node item : plays.items()) {
      Play play = readPlay(item, errors);
      if (play != null) {
        out.add(play);
      }
    }
    if (!errors.isEmpty()) {
      // In file order, whatever the order of discovery (argument problems come after keyword problems).
      errors.sort(Comparator.comparingInt((SourceError e) -> e.mark().line()).thenComparingInt(e -> e.mark().column()));
      throw new SourceException(errors);
    }
    return new Playbook(file, out);
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

  private Play readPlay(Node node, List<SourceError> errors) {
    if (!(node instanceof Node.MapNode play)) {
      errors.add(
          new SourceError(
              node.mark(),
              "a play must be a mapping of keywords such as 'hosts' and 'tasks', not " + ValueType.describe(node)));
      return null;
    }
    Optional<Node.Entry> imported = play.entry("import_playbook");
    if (imported.isPresent()) {
      // Not a play at all in Ansible: its other keys mean nothing without the import.
      errors.add(unsupported(imported.get().key()));
      return null;
    }
    String name = null;
    String hosts = null;
    boolean hostsGiven = false;
    Map<String, Object> vars = Map.of();
    List<Task> tasks = List.of();
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
      if (type == ValueType.TASKS) {
        tasks = readTasks(e.value(), errors);
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
        default -> keywords.put(key, value);
      }
    }
    if (!hostsGiven) {
      errors.add(new SourceError(play.mark(), "play has no 'hosts': say where it runs, such as 'hosts: all'"));
    }
    return hosts == null ? null : new Play(name, hosts, vars, tasks, keywords, play.mark());
  }

  private SourceError unknownPlayKeyword(Node.Scalar key) {
    String k = key.text();
    if (PlaybookKeywords.playUnsupported(k)) {
      return unsupported(key);
    }
    if (modules.find(k).isPresent()) {
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

  private List<Task> readTasks(Node node, List<SourceError> errors) {
    if (ValueType.isNull(node)) {
      return List.of();
    }
    if (!(node instanceof Node.Seq seq)) {
      errors.add(new SourceError(node.mark(), "'tasks' must be a list of tasks, not " + ValueType.describe(node)));
      return List.of();
    }
    List<Task> tasks = new ArrayList<>();
    for (Node item : seq.items()) {
      Task t = readTask(item, errors);
      if (t != null) {
        tasks.add(t);
      }
    }
    return tasks;
  }

  private Task readTask(Node node, List<SourceError> errors) {
    if (!(node instanceof Node.MapNode task)) {
      errors.add(
          new SourceError(
              node.mark(),
              "a task must be a mapping (one module call and its keywords), not " + ValueType.describe(node)));
      return null;
    }
    int errorsBefore = errors.size();
    String name = null;
    Node.Entry call = null;
    Module module = null;
    Node.Entry argsKeyword = null;
    // An unknown or unsupported key may be the module call (misspelt, or a 'block:'): then no second error.
    boolean unknownKey = false;
    Map<String, Object> keywords = new LinkedHashMap<>();
    for (Node.Entry e : task.entries()) {
      String key = e.key().text();
      ValueType type = PlaybookKeywords.taskType(key);
      if (type == ValueType.ARGS) {
        argsKeyword = e;
      } else if (type != null) {
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
      } else if (PlaybookKeywords.taskUnsupported(key)) {
        unknownKey = true;
        errors.add(unsupported(e.key()));
      } else if (modules.find(key).isPresent()) {
        if (call != null) {
          errors.add(
              new SourceError(
                  e.key().mark(),
                  "two module calls in one task: '" + call.key().text() + "' and '" + key
                      + "' (a task calls exactly one module)"));
        } else {
          call = e;
          module = modules.find(key).get();
        }
      } else {
        unknownKey = true;
        errors.add(unknownTaskKey(e.key()));
      }
    }
    if (call == null) {
      if (!unknownKey) {
        errors.add(
            new SourceError(
                task.mark(), "task calls no module: add one, such as 'command: ...' (found only keywords "
                    + String.join(", ", task.keys()) + ")"));
      }
      return null;
    }
    ModuleSpec spec = module.spec();
    ModuleArgs args = new ModuleArgs();
    int errorsBeforeArgs = errors.size();
    if (argsKeyword != null) {
      readArgsKeyword(argsKeyword, args, errors);
    }
    readModuleArgs(spec, call, args, errors);
    if (errors.size() == errorsBeforeArgs) {
      bind(spec, args, call.key().mark(), errors);
    }
    if (errors.size() > errorsBefore) {
      return null;
    }
    return new Task(name, spec.name(), args.values, args.marks, keywords, task.mark());
  }

  /** Unknown key in a task: a misspelt keyword or a misspelt (or missing) module, whichever is closer. */
  private SourceError unknownTaskKey(Node.Scalar key) {
    String k = key.text();
    Set<String> keywords = new LinkedHashSet<>(PlaybookKeywords.task());
    keywords.addAll(PlaybookKeywords.unsupportedTask());
    Set<String> all = new LinkedHashSet<>(keywords);
    all.addAll(modules.allNames());
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
