package jplay.engine.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.api.Suggestions;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceError;
import jplay.engine.yaml.SourceException;

/**
 * Ansible's INI inventory format. Lines before any section are hosts of {@code ungrouped}; {@code [g]} lists
 * hosts (with inline {@code key=value} vars), {@code [g:children]} child groups, {@code [g:vars]} group vars.
 * Every value goes through Python's literal rules ({@link PyLiteral}), in {@code :vars} sections too: that is
 * what Ansible does, whatever its documentation says about strings there.
 */
final class IniParser {
  private static final Pattern SECTION =
      Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern GROUP_NAME =
      Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$", Pattern.UNICODE_CHARACTER_CLASS);

  private final InventoryData data;
  private final String file;

  /** A [g:children] or [g:vars] naming a group that no [g] or [g:children] section has declared (yet). */
  private record Pending(String state, Mark mark, List<String> parents) {}

  private IniParser(InventoryData data, String file) {
    this.data = data;
    this.file = file;
  }

  static void parse(InventoryData data, String file, String text) throws SourceException {
    new IniParser(data, file).parse(text);
  }

  private Mark mark(int line, int offset) {
    return new Mark(file, line, offset + 1);
  }

  private void parse(String text) throws SourceException {
    Map<String, Pending> pending = new LinkedHashMap<>();
    InventoryData.G group = data.groups.get("ungrouped");
    String state = "hosts";
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String raw = lines[i];
      String line = raw.strip();
      if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
        continue;
      }
      int indent = raw.indexOf(line.charAt(0));
      Matcher m = SECTION.matcher(line);
      if (m.matches()) {
        String name = m.group(1);
        state = m.group(2) == null ? "hosts" : m.group(2);
        if (!List.of("hosts", "children", "vars").contains(state)) {
          throw new SourceException(
              mark(lineNo, indent + m.start(2)),
              "section [" + name + ":" + state + "] has unknown type '" + state + "': use [" + name + "], [" + name
                  + ":children] or [" + name + ":vars]");
        }
        if (!data.groups.containsKey(name) && state.equals("vars") && !pending.containsKey(name)) {
          pending.put(name, new Pending("vars", mark(lineNo, indent), new ArrayList<>()));
        }
        group = data.group(name, mark(lineNo, indent));
        Pending p = pending.get(name);
        if (p != null && !state.equals("vars")) {
          if (p.state().equals("children")) {
            addPendingChildren(name, pending);
          } else {
            pending.remove(name);
          }
        }
        continue;
      }
      if (line.startsWith("[") && !line.contains("]")) {
        throw new SourceException(
            mark(lineNo, indent), "section header " + line + " has no closing ']': write [" + line.substring(1).strip() + "]");
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        throw new SourceException(
            mark(lineNo, indent),
            "invalid section header " + line + ": write [group], [group:children] or [group:vars], without spaces");
      }
      switch (state) {
        case "hosts" -> hostLine(group, raw, lineNo);
        case "vars" -> varLine(group, line, lineNo, indent);
        default -> {
          Matcher g = GROUP_NAME.matcher(line);
          if (!g.matches()) {
            throw new SourceException(
                mark(lineNo, indent), "expected a group name in [" + group.name + ":children], got '" + line + "'");
          }
          String child = g.group(1);
          InventoryData.G existing = data.groups.get(child);
          if (existing == null) {
            Pending p = pending.get(child);
            if (p == null) {
              pending.put(child, new Pending("children", mark(lineNo, indent), new ArrayList<>(List.of(group.name))));
            } else {
              p.parents().add(group.name);
            }
          } else {
            data.addChild(group, existing, mark(lineNo, indent));
          }
        }
      }
    }
    List<SourceError> errors = new ArrayList<>();
    // Pending names are in data.groups already (as Ansible adds them); they are no suggestion for themselves.
    List<String> defined = data.groups.keySet().stream().filter(g -> !pending.containsKey(g)).toList();
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      String name = e.getKey();
      Pending p = e.getValue();
      if (p.state().equals("vars")) {
        errors.add(
            new SourceError(
                p.mark(),
                "[" + name + ":vars] is for a group that is never defined: add a [" + name + "] section"
                    + Suggestions.hint(name, defined)));
      } else {
        String parent = p.parents().get(p.parents().size() - 1);
        errors.add(
            new SourceError(
                p.mark(),
                "[" + parent + ":children] names group '" + name + "', which is never defined: add a [" + name
                    + "] section" + Suggestions.hint(name, defined)));
      }
    }
    if (!errors.isEmpty()) {
      throw new SourceException(errors);
    }
  }

  private void addPendingChildren(String name, Map<String, Pending> pending) throws SourceException {
    Pending p = pending.get(name);
    for (String parent : p.parents()) {
      data.addChild(data.groups.get(parent), data.groups.get(name), p.mark());
      Pending up = pending.get(parent);
      if (up != null && up.state().equals("children")) {
        addPendingChildren(parent, pending);
      }
    }
    pending.remove(name);
  }

  private void hostLine(InventoryData.G group, String raw, int lineNo) throws SourceException {
    List<Shlex.Word> words;
    try {
      words = Shlex.split(raw);
    } catch (Shlex.ShlexException e) {
      throw new SourceException(mark(lineNo, e.offset()), "cannot read host line: " + e.getMessage());
    }
    if (words.isEmpty()) {
      return; // only a comment after leading quotes, e.g. '' # x
    }
    Shlex.Word first = words.get(0);
    HostRanges.Expanded hosts;
    try {
      hosts = HostRanges.expand(first.text());
    } catch (HostRanges.RangeException e) {
      throw new SourceException(mark(lineNo, first.offset()), e.getMessage());
    }
    if (hosts.names().contains("---")) {
      throw new SourceException(
          mark(lineNo, first.offset()), "'---' is not a host name; is this a YAML file? Give it a .yml extension");
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    for (Shlex.Word w : words.subList(1, words.size())) {
      int eq = w.text().indexOf('=');
      if (eq < 0) {
        throw new SourceException(
            mark(lineNo, w.offset()),
            "expected key=value after host '" + first.text() + "', got '" + w.text()
                + "' (one host per line; quote values that hold spaces)");
      }
      vars.put(w.text().substring(0, eq), PyLiteral.parseValue(w.text().substring(eq + 1)));
    }
    Mark at = mark(lineNo, first.offset());
    for (String name : hosts.names()) {
      InventoryData.H h = data.host(name, group, hosts.port(), at);
      h.vars.putAll(vars);
    }
  }

  private void varLine(InventoryData.G group, String line, int lineNo, int indent)
      throws SourceException {
    int eq = line.indexOf('=');
    if (eq < 0) {
      throw new SourceException(
          mark(lineNo, indent), "expected key=value in [" + group.name + ":vars], got '" + line + "'");
    }
    String key = line.substring(0, eq).strip();
    Object value = PyLiteral.parseValue(line.substring(eq + 1).strip());
    data.setGroupVar(group, key, value, mark(lineNo, indent));
  }
}
