package jplay.engine.repl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.Module;
import jplay.engine.api.Suggestions;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.playbook.Task;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * One module call written on a line — {@code jplay adhoc -m file -a 'path=/x state=touch'} or the console's
 * {@code file path=/x state=touch} — turned into a checked task and a one-task play, so it runs through the same
 * executor as a playbook. Arguments are Ansible's {@code k=v} shorthand or a YAML/JSON mapping
 * ({@code {path: /x, state: touch}}).
 *
 * <pre>{@code
 * Task t = TaskLine.task(parser, modules, "file", "path=/tmp/x state=touch", Mark.of("-a"));
 * Play p = TaskLine.play("web", t, Map.of());
 * }</pre>
 */
public final class TaskLine {
  /** The play name Ansible gives its ad-hoc runs. */
  public static final String PLAY_NAME = "Ansible Ad-Hoc";

  private TaskLine() {}

  /** The task for {@code module} with {@code args} (k=v text, a YAML/JSON mapping, or blank). */
  public static Task task(PlaybookParser parser, ModuleRegistry modules, String module, String args, Mark where)
      throws SourceException {
    String a = args == null ? "" : args.strip();
    if (!a.startsWith("{")) {
      return parser.parseTaskLine(module, a, where);
    }
    Optional<Module> m = modules.find(module);
    if (m.isEmpty()) {
      throw new SourceException(
          where, "unknown module '" + module + "'" + Suggestions.hint(module, modules.allNames()));
    }
    Optional<Node> node = YamlLoader.load(a, where.file());
    Map<String, Object> values = new LinkedHashMap<>();
    if (node.isPresent()) {
      if (!(node.get().toPlain() instanceof Map<?, ?> map)) {
        throw new SourceException(where, "the arguments must be a mapping such as {path: /tmp/x, state: touch}");
      }
      map.forEach((k, v) -> values.put(String.valueOf(k), v));
    }
    try {
      // Templates are checked once rendered, on each host, as in a playbook.
      Args.bind(m.get().spec(), values, true);
    } catch (ArgsException e) {
      throw new SourceException(e.problems().stream().map(p -> new SourceError(where, p.message())).toList());
    }
    return new Task(null, m.get().spec().name(), values, Map.of(), Map.of(), where);
  }

  /** A play of one task on {@code pattern}, facts not gathered, with the given extra play keywords. */
  public static Play play(String pattern, Task task, Map<String, Object> keywords) {
    Map<String, Object> kw = new LinkedHashMap<>(keywords);
    kw.put("gather_facts", false);
    java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
    return new Play(PLAY_NAME, pattern, Map.of(), List.of(), List.of(), List.of(), List.of(task), List.of(), List.of(),
        kw, task.mark(), dir);
  }

  /** The same task with more task keywords ({@code register}, {@code timeout}, ...). */
  public static Task withKeywords(Task task, Map<String, Object> keywords) {
    Map<String, Object> kw = new LinkedHashMap<>(task.keywords());
    kw.putAll(keywords);
    return new Task(task.name(), task.module(), task.args(), task.argMarks(), kw, task.mark());
  }
}
