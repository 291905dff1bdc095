package jplay.engine.playbook;

import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * One play as written.
 *
 * @param name the play's name, or null (output then shows the host pattern)
 * @param hosts the host pattern ({@code all}, {@code web:&prod}, ...)
 * @param vars the play's {@code vars}, plain values (may hold templates)
 * @param tasks the tasks in order
 * @param keywords the other play keywords, plain values ({@code become}, {@code gather_facts}, {@code serial}, ...)
 * @param mark where the play starts
 */
public record Play(
    String name, String hosts, Map<String, Object> vars, List<Task> tasks, Map<String, Object> keywords, Mark mark) {
  public Play {
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    tasks = List.copyOf(tasks);
    keywords = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keywords));
  }

  public String displayName() {
    return name != null && !name.isBlank() ? name : hosts;
  }
}
