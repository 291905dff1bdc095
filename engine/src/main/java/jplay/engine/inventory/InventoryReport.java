package jplay.engine.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.api.Suggestions;

/**
 * The three views of {@code ansible-inventory}, byte for byte: {@link #list()} as {@code --list},
 * {@link #graph(String)} as {@code --graph}, {@link #host(String)} as {@code --host}. Results carry no trailing
 * newline; the caller prints them with one.
 *
 * <pre>{@code
 * System.out.println(new InventoryReport(inventory).graph("all"));
 * }</pre>
 */
public final class InventoryReport {
  private final Inventory inventory;

  public InventoryReport(Inventory inventory) {
    this.inventory = inventory;
  }

  /** JSON like {@code ansible-inventory --list}: groups with their hosts/children, and {@code _meta.hostvars}. */
  public String list() {
    Map<String, Object> out = new LinkedHashMap<>();
    formatGroup(inventory.groups().get("all"), out, new HashSet<>());
    Map<String, Object> hostvars = new LinkedHashMap<>();
    for (Host h : inventory.hostsOf("all")) {
      Map<String, Object> vars = inventory.hostVars(h.name());
      if (!vars.isEmpty()) {
        hostvars.put(h.name(), vars);
      }
    }
    out.put("_meta", Map.of("hostvars", hostvars));
    return jplay.engine.output.Json.pretty(jplay.engine.output.Json.sortKeys(out), 4);
  }

  private void formatGroup(Group group, Map<String, Object> out, Set<String> seen) {
    Map<String, Object> entry = new LinkedHashMap<>();
    out.put(group.name(), entry);
    if (!group.name().equals("all") && !group.hosts().isEmpty()) {
      entry.put("hosts", group.hosts());
    }
    if (!group.children().isEmpty()) {
      entry.put("children", group.children());
    }
    for (String child : group.children()) {
      if (seen.add(child)) {
        formatGroup(inventory.groups().get(child), out, seen);
      }
    }
    if (entry.isEmpty()) {
      out.remove(group.name());
    }
  }

  /**
   * A tree like {@code ansible-inventory --graph GROUP}: {@code @group:} lines, children first, then hosts.
   *
   * @throws IllegalArgumentException when there is no such group (the message suggests the closest one)
   */
  public String graph(String group) {
    Group g = inventory.groups().get(group);
    if (g == null) {
      throw new IllegalArgumentException(
          "no group named '" + group + "' to draw" + Suggestions.hint(group, inventory.groups().keySet()));
    }
    List<String> lines = new ArrayList<>();
    graph(g, 0, lines);
    return String.join("\n", lines);
  }

  private void graph(Group group, int depth, List<String> lines) {
    lines.add(name("@" + group.name() + ":", depth));
    for (String child : group.children()) {
      graph(inventory.groups().get(child), depth + 1, lines);
    }
    if (!group.name().equals("all")) {
      for (String h : group.hosts()) {
        lines.add(name(h, depth + 1));
      }
    }
  }

  private static String name(String name, int depth) {
    return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
  }

  /**
   * JSON like {@code ansible-inventory --host NAME}: the host's variables.
   *
   * @throws IllegalArgumentException when there is no such host (the message suggests the closest one)
   */
  public String host(String name) {
    if (inventory.host(name).isEmpty()) {
      List<String> names = inventory.hosts().stream().map(Host::name).toList();
      throw new IllegalArgumentException("no host named '" + name + "' in the inventory" + Suggestions.hint(name, names));
    }
    return jplay.engine.output.Json.pretty(jplay.engine.output.Json.sortKeys(inventory.hostVars(name)), 4);
  }
}
