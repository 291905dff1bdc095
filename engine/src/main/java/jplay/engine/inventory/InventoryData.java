package jplay.engine.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceException;

/**
 * The mutable group/host graph that the source parsers fill in, with Ansible's rules: {@code all} and
 * {@code ungrouped} always exist, a host's inline vars are set in order (last one wins), groups may not form
 * loops, and {@link #reconcile()} hangs parentless groups under {@code all} and grouping-less hosts under
 * {@code ungrouped}.
 */
final class InventoryData {
  static final Mark BUILTIN = Mark.of("<built-in>");

  static final class G {
    final String name;
    final Mark mark;
    final List<G> children = new ArrayList<>();
    final List<G> parents = new ArrayList<>();
    final LinkedHashSet<String> hosts = new LinkedHashSet<>();
    final Map<String, Object> vars = new LinkedHashMap<>();
    int priority = 1;

    G(String name, Mark mark) {
      this.name = name;
      this.mark = mark;
    }

    Set<G> ancestors() {
      Set<G> seen = new LinkedHashSet<>();
      List<G> todo = new ArrayList<>(parents);
      while (!todo.isEmpty()) {
        G g = todo.remove(todo.size() - 1);
        if (seen.add(g)) {
          todo.addAll(g.parents);
        }
      }
      return seen;
    }
  }

  static final class H {
    final String name;
    final Mark mark;
    final Map<String, Object> vars = new LinkedHashMap<>();

    H(String name, Mark mark) {
      this.name = name;
      this.mark = mark;
    }
  }

  final Map<String, G> groups = new LinkedHashMap<>();
  final Map<String, H> hosts = new LinkedHashMap<>();

  InventoryData() {
    G all = group("all", BUILTIN);
    G ungrouped = group("ungrouped", BUILTIN);
    all.children.add(ungrouped);
    ungrouped.parents.add(all);
  }

  G group(String name, Mark mark) {
    return groups.computeIfAbsent(name, n -> new G(n, mark));
  }

  /** Adds (or finds) a host, puts it in {@code group} when given; a port sets ansible_port on first sight. */
  H host(String name, G group, Integer port, Mark mark) {
    H h = hosts.get(name);
    if (h == null) {
      h = new H(name, mark);
      hosts.put(name, h);
      if (port != null) {
        h.vars.put("ansible_port", port);
      }
    }
    if (group != null) {
      group.hosts.add(name);
    }
    return h;
  }

  void addChild(G parent, G child, Mark mark) throws SourceException {
    if (parent == child) {
      throw new SourceException(mark, "group '" + child.name + "' cannot be a child of itself");
    }
    if (parent.children.contains(child)) {
      return;
    }
    if (parent.ancestors().contains(child)) {
      throw new SourceException(
          mark,
          "making '" + child.name + "' a child of '" + parent.name + "' creates a loop: '" + parent.name
              + "' is already inside '" + child.name + "'");
    }
    parent.children.add(child);
    if (!child.parents.contains(parent)) {
      child.parents.add(parent);
    }
  }

  void setGroupVar(G group, String key, Object value, Mark mark) throws SourceException {
    if (key.equals("ansible_group_priority")) {
      group.priority = priority(value, mark);
    } else {
      group.vars.put(key, value);
    }
  }

  private static int priority(Object value, Mark mark) throws SourceException {
    try {
      if (value instanceof Integer i) {
        return i;
      }
      if (value instanceof Number n && !(value instanceof BigInteger)) {
        return (int) n.doubleValue();
      }
      if (value instanceof String s) {
        return Integer.parseInt(s.strip());
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new SourceException(mark, "ansible_group_priority must be a whole number, got '" + value + "'");
  }

  /** Ansible's reconcile_inventory: every group hangs under all, and every host is in some group. */
  void reconcile() {
    G all = groups.get("all");
    G ungrouped = groups.get("ungrouped");
    for (G g : groups.values()) {
      if (g != all && g.parents.isEmpty()) {
        all.children.add(g);
        g.parents.add(all);
      }
    }
    Map<String, Set<String>> direct = new LinkedHashMap<>();
    for (G g : groups.values()) {
      for (String h : g.hosts) {
        direct.computeIfAbsent(h, k -> new HashSet<>()).add(g.name);
      }
    }
    for (H h : hosts.values()) {
      Set<String> mine = new HashSet<>(direct.getOrDefault(h.name, Set.of()));
      mine.remove("all");
      if (mine.contains("ungrouped")) {
        mine.remove("ungrouped");
        if (!mine.isEmpty()) {
          ungrouped.hosts.remove(h.name);
        }
      } else if (mine.isEmpty()) {
        ungrouped.hosts.add(h.name);
      }
    }
  }
}
