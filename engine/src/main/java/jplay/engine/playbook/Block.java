package jplay.engine.playbook;

import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;

/**
 * A group of steps with Ansible's {@code block}/{@code rescue}/{@code always} semantics and keywords its steps
 * inherit ({@code when}, {@code become}, {@code vars}, {@code tags}, ...). Static imports ({@code import_tasks},
 * {@code import_role}) and roles are blocks too: their keywords apply to every imported step.
 *
 * @param name the block's name, or null
 * @param block the steps that run first
 * @param rescue the steps a host runs when it failed in {@code block}; empty for none
 * @param always the steps every host that entered the block runs at the end; empty for none
 * @param keywords the keywords written on the block (or the import, or the role entry), plain values
 * @param role the role whose body this block is, or null
 * @param mark where the block starts
 */
public record Block(
    String name,
    List<Step> block,
    List<Step> rescue,
    List<Step> always,
    Map<String, Object> keywords,
    Role role,
    Mark mark)
    implements Step {
  public Block {
    block = List.copyOf(block);
    rescue = List.copyOf(rescue);
    always = List.copyOf(always);
    keywords = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keywords));
  }
}
