package jplay.engine.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jplay.engine.playbook.Task;
import jplay.engine.template.TemplateException;
import jplay.engine.yaml.Mark;

/**
 * Where in its file a template of a task failed: the line and column of the offending expression, not of the
 * task. The expression is looked up as written, from the mark of the argument that holds the template (or the
 * task's), so the answer is exact for plain, quoted and literal block scalars and for {@code k=v} arguments;
 * when the text was folded or escaped out of recognition, the argument's (or task's) own mark is the answer.
 */
final class TemplateErrors {
  /** How far below the argument's mark the expression is looked for: a long literal block, not the next play. */
  private static final int SEARCH_LINES = 200;

  private TemplateErrors() {}

  /** {@code file:line:column: message} for a template error of {@code task}. */
  static String message(Task task, TemplateException e) {
    return locate(task, e) + ": " + e.getMessage();
  }

  static Mark locate(Task task, TemplateException e) {
    Mark from = task.mark();
    String template = e.template();
    int offset = e.offset();
    for (Map.Entry<String, Object> a : task.args().entrySet()) {
      if (template != null && holds(a.getValue(), template)) {
        from = task.argMarks().getOrDefault(a.getKey(), from);
        break;
      }
    }
    if (template == null || offset < 0 || from.line() <= 0) {
      return from;
    }
    int lineEnd = template.indexOf('\n', offset);
    String rest = template.substring(offset, lineEnd < 0 ? template.length() : lineEnd);
    String expression = rest;
    if (rest.startsWith("{{") || rest.startsWith("{%")) {
      int close = rest.indexOf(rest.startsWith("{{") ? "}}" : "%}");
      if (close > 0) {
        expression = rest.substring(0, close + 2);
      }
    }
    expression = expression.stripTrailing();
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(from.file()));
    } catch (IOException | RuntimeException x) {
      return from;
    }
    Mark found = find(lines, from, expression);
    if (found == null && expression.startsWith("{{") && expression.endsWith("}}")) {
      // A condition is rendered as "{{ cond }}": in the file it is written bare.
      found = find(lines, from, expression.substring(2, expression.length() - 2).strip());
    }
    return found == null ? from : found;
  }

  private static Mark find(List<String> lines, Mark from, String expression) {
    if (expression.isEmpty()) {
      return null;
    }
    int first = from.line() - 1;
    for (int n = first; n < Math.min(lines.size(), first + SEARCH_LINES); n++) {
      int at = lines.get(n).indexOf(expression, n == first ? Math.max(0, from.column() - 1) : 0);
      if (at >= 0) {
        return new Mark(from.file(), n + 1, at + 1);
      }
    }
    return null;
  }

  private static boolean holds(Object value, String template) {
    if (value instanceof String s) {
      return s.equals(template);
    }
    if (value instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(v -> holds(v, template)) || m.keySet().stream().anyMatch(k -> holds(k, template));
    }
    if (value instanceof List<?> l) {
      return l.stream().anyMatch(v -> holds(v, template));
    }
    return false;
  }
}
