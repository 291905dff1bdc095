package jplay.engine.inventory;

import java.util.List;
import java.util.Map;
import jplay.engine.api.Suggestions;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;

/**
 * Ansible's YAML inventory: top-level keys are groups; each group is a mapping of {@code hosts} (host name or
 * range to its vars), {@code vars} and {@code children} (more groups, recursively). Where Ansible only warns and
 * skips (a group that is not a mapping, an unknown key), this is an error at the node: a skipped group is a host
 * that silently never gets configured.
 */
final class YamlInventoryParser {
  private static final List<String> SECTIONS = List.of("hosts", "vars", "children");

  private final InventoryData data;

  private YamlInventoryParser(InventoryData data) {
    this.data = data;
  }

  static void parse(InventoryData data, Node doc) throws SourceException {
    if (!(doc instanceof Node.MapNode top)) {
      throw new SourceException(
          doc.mark(), "a YAML inventory is a mapping of group names (such as 'all:') to groups, not " + what(doc));
    }
    if (top.get("plugin").isPresent()) {
      throw new SourceException(
          top.entry("plugin").orElseThrow().key().mark(),
          "inventory plugin configuration files are not supported; list hosts and groups instead");
    }
    YamlInventoryParser p = new YamlInventoryParser(data);
    for (Node.Entry e : top.entries()) {
      p.group(e.key(), e.value());
    }
  }

  private InventoryData.G group(Node.Scalar key, Node body) throws SourceException {
    String name = key.text();
    if (name.isEmpty()) {
      throw new SourceException(key.mark(), "a group needs a name");
    }
    InventoryData.G group = data.group(name, key.mark());
    if (isNull(body)) {
      return group;
    }
    if (!(body instanceof Node.MapNode map)) {
      throw new SourceException(
          body.mark(),
          "group '" + name + "' must be a mapping with 'hosts', 'vars' and/or 'children', not " + what(body));
    }
    for (Node.Entry e : map.entries()) {
      String section = e.key().text();
      if (!SECTIONS.contains(section)) {
        throw new SourceException(
            e.key().mark(),
            "unknown key '" + section + "' in group '" + name + "': a group holds only 'hosts', 'vars' and 'children'"
                + Suggestions.hint(section, SECTIONS));
      }
      Node value = e.value();
      if (isNull(value)) {
        continue;
      }
      if (value instanceof Node.Scalar s) {
        // Ansible accepts "hosts: web1" as shorthand for "hosts: {web1: null}".
        value = new Node.MapNode(List.of(new Node.Entry(s, new Node.Scalar("", null, false, "", s.mark()))), s.mark());
      }
      if (!(value instanceof Node.MapNode entries)) {
        throw new SourceException(
            value.mark(),
            "'" + section + "' of group '" + name + "' must be a mapping"
                + (section.equals("vars") ? " of variable names to values" : " of names (each followed by ':')")
                + ", not " + what(value));
      }
      switch (section) {
        case "vars" -> {
          for (Node.Entry v : entries.entries()) {
            data.setGroupVar(group, v.key().text(), v.value().toPlain(), v.key().mark());
          }
        }
        case "children" -> {
          for (Node.Entry c : entries.entries()) {
            InventoryData.G child = group(c.key(), c.value());
            data.addChild(group, child, c.key().mark());
          }
        }
        default -> {
          for (Node.Entry h : entries.entries()) {
            hosts(group, h);
          }
        }
      }
    }
    return group;
  }

  private void hosts(InventoryData.G group, Node.Entry entry) throws SourceException {
    Node.Scalar key = entry.key();
    if (!key.quoted() && !(key.value() instanceof String)) {
      throw new SourceException(
          key.mark(), "host name " + key.text() + " is read as a " + what(key) + ": put it in quotes");
    }
    HostRanges.Expanded hosts;
    try {
      hosts = HostRanges.expand(key.text());
    } catch (HostRanges.RangeException e) {
      throw new SourceException(key.mark(), e.getMessage());
    }
    Node body = entry.value();
    Map<?, ?> vars = Map.of();
    if (!isNull(body)) {
      if (!(body instanceof Node.MapNode)) {
        throw new SourceException(
            body.mark(), "the vars of host '" + key.text() + "' must be a mapping of names to values, not " + what(body));
      }
      vars = (Map<?, ?>) body.toPlain();
    }
    for (String name : hosts.names()) {
      InventoryData.H h = data.host(name, group, hosts.port(), key.mark());
      vars.forEach((k, v) -> h.vars.put((String) k, v));
    }
  }

  private static boolean isNull(Node n) {
    return n instanceof Node.Scalar s && s.value() == null && !s.quoted();
  }

  static String what(Node n) {
    if (n instanceof Node.MapNode) {
      return "a mapping";
    }
    if (n instanceof Node.Seq) {
      return "a list";
    }
    Object v = ((Node.Scalar) n).value();
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof Number) {
      return "number";
    }
    return "a string ('" + ((Node.Scalar) n).text() + "')";
  }
}
