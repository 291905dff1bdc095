package jplay.engine.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML node that remembers where it was written. Parsers walk nodes to report errors at the right place, and
 * turn them into plain Java values ({@link #toPlain()}) for variables.
 */
public sealed interface Node {
  Mark mark();

  /**
   * The node as plain values: {@code LinkedHashMap<String,Object>}, {@code ArrayList<Object>}, String, Boolean,
   * Integer/Long, Double or null, with YAML 1.1 scalar rules as Ansible reads them.
   */
  Object toPlain();

  /** A scalar; {@code value} is already resolved (YAML 1.1) unless the scalar was quoted (then a String). */
  record Scalar(String text, Object value, boolean quoted, String tag, Mark mark) implements Node {
    @Override
    public Object toPlain() {
      return value;
    }
  }

  record Seq(List<Node> items, Mark mark) implements Node {
    public Seq {
      items = List.copyOf(items);
    }

    @Override
    public Object toPlain() {
      List<Object> out = new ArrayList<>(items.size());
      for (Node n : items) {
        out.add(n.toPlain());
      }
      return out;
    }
  }

  /** One key and its value; the key is a scalar (non-scalar keys are rejected when loading). */
  record Entry(Scalar key, Node value) {}

  record MapNode(List<Entry> entries, Mark mark) implements Node {
    public MapNode {
      entries = List.copyOf(entries);
    }

    public Optional<Node> get(String key) {
      for (Entry e : entries) {
        if (e.key().text().equals(key)) {
          return Optional.of(e.value());
        }
      }
      return Optional.empty();
    }

    public Optional<Entry> entry(String key) {
      return entries.stream().filter(e -> e.key().text().equals(key)).findFirst();
    }

    public List<String> keys() {
      return entries.stream().map(e -> e.key().text()).toList();
    }

    @Override
    public Object toPlain() {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Entry e : entries) {
        out.put(e.key().text(), e.value().toPlain());
      }
      return out;
    }
  }
}
