package jplay.engine.playbook;

import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * One task as written, checked but not yet rendered: the module to call, its raw arguments, and every other
 * task keyword as a plain value ({@code when}, {@code register}, {@code become}, ...).
 *
 * @param name the task's name, or null (output then shows the module name)
 * @param module the module's canonical name (an Ansible FQCN such as {@code ansible.builtin.file} resolved)
 * @param args the arguments as written (may hold templates); the shorthand {@code k=v} form already split
 * @param argMarks where each argument was written, for errors found once templates are rendered
 * @param keywords the other task keywords, plain values, by keyword name
 * @param mark where the task starts
 */
public record Task(
    String name,
    String module,
    Map<String, Object> args,
    Map<String, Mark> argMarks,
    Map<String, Object> keywords,
    Mark mark)
    implements Step {
  public Task {
    args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    argMarks = Map.copyOf(argMarks);
    keywords = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keywords));
  }

  /** The name shown in output: the task's name, else the module's. */
  public String displayName() {
    return name != null && !name.isBlank() ? name : module;
  }
}
