package jplay.engine.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.SourceException;

/**
 * Ansible's host patterns, ported from its InventoryManager so the same hosts come out in the same order: terms
 * separated by {@code ,} (or {@code :}), {@code &term} intersects, {@code !term} excludes, a term is a group or host
 * name, a shell glob or a {@code ~regex}, optionally subscripted ({@code web[0]}, {@code web[-1]},
 * {@code web[1:3]} inclusive, {@code web[2:]}).
 */
final class HostPatterns {
  private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");
  private static final Pattern COLON_TERMS = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");
  static final List<String> LOCALHOST = List.of("127.0.0.1", "localhost", "::1");

  private final Inventory inventory;

  HostPatterns(Inventory inventory) {
    this.inventory = inventory;
  }

  /** Ansible's split_host_pattern: commas always separate; colons only when the whole is no host:port. */
  static List<String> split(String pattern) {
    List<String> parts = new ArrayList<>();
    if (pattern.contains(",")) {
      parts.addAll(List.of(pattern.split(",", -1)));
    } else if (HostRanges.parseAddress(pattern, true) != null) {
      parts.add(pattern);
    } else {
      Matcher m = COLON_TERMS.matcher(pattern);
      while (m.find()) {
        parts.add(m.group());
      }
    }
    return parts.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  List<Host> select(String pattern) throws SourceException {
    List<String> regular = new ArrayList<>();
    List<String> intersect = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    for (String p : split(pattern)) {
      (p.startsWith("!") ? exclude : p.startsWith("&") ? intersect : regular).add(p);
    }
    if (regular.isEmpty()) {
      regular.add("all");
    }
    List<String> ordered = new ArrayList<>(regular);
    ordered.addAll(intersect);
    ordered.addAll(exclude);
    Map<String, Host> hosts = new LinkedHashMap<>();
    for (String p : ordered) {
      Host plain = inventory.definedHost(p);
      if (plain != null) {
        hosts.putIfAbsent(plain.name(), plain);
        continue;
      }
      List<Host> that = matchOne(p);
      if (p.startsWith("!")) {
        that.forEach(h -> hosts.remove(h.name()));
      } else if (p.startsWith("&")) {
        List<String> keep = that.stream().map(Host::name).toList();
        hosts.keySet().retainAll(keep);
      } else {
        that.forEach(h -> hosts.putIfAbsent(h.name(), h));
      }
    }
    return List.copyOf(hosts.values());
  }

  /** The hosts one term (without its leading {@code &} or {@code !}) stands for, subscript applied. */
  List<Host> matchOne(String term) throws SourceException {
    String pattern = term.startsWith("&") || term.startsWith("!") ? term.substring(1) : term;
    if (pattern.isEmpty()) {
      return List.of();
    }
    String expr = pattern;
    Integer start = null;
    Integer end = null;
    boolean range = false;
    if (!pattern.startsWith("~")) {
      Matcher m = SUBSCRIPT.matcher(pattern);
      if (m.matches()) {
        expr = m.group(1);
        if (m.group(2) != null) {
          start = Integer.valueOf(m.group(2));
        } else {
          range = true;
          start = Integer.valueOf(m.group(3));
          end = m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5));
        }
      }
    }
    List<Host> hosts = enumerate(expr);
    if (hosts.isEmpty() || start == null) {
      return hosts;
    }
    if (range && end != 0) {
      int last = end == -1 ? hosts.size() - 1 : end;
      int from = Math.min(start, hosts.size());
      int to = Math.max(from, Math.min(last + 1, hosts.size()));
      return new ArrayList<>(hosts.subList(from, to));
    }
    // Ansible reads [x:0] as the single index x (its "if end:" treats 0 as absent).
    int i = start < 0 ? hosts.size() + start : start;
    return i >= 0 && i < hosts.size() ? new ArrayList<>(List.of(hosts.get(i))) : new ArrayList<>();
  }

  private List<Host> enumerate(String pattern) throws SourceException {
    Pattern re = compile(pattern);
    boolean regex = pattern.startsWith("~");
    List<Host> results = new ArrayList<>();
    boolean groupMatched = false;
    for (String group : inventory.groups().keySet()) {
      if (matches(re, regex, group)) {
        groupMatched = true;
        results.addAll(inventory.hostsOf(group));
      }
    }
    if (!groupMatched || regex || pattern.chars().anyMatch(c -> ".?*[".indexOf(c) >= 0)) {
      for (Host h : inventory.hosts()) {
        if (matches(re, regex, h.name())) {
          results.add(h);
        }
      }
    }
    if (results.isEmpty() && LOCALHOST.contains(pattern)) {
      inventory.host(pattern).ifPresent(results::add);
    }
    return results;
  }

  private static boolean matches(Pattern re, boolean regex, String name) {
    Matcher m = re.matcher(name);
    return regex ? m.lookingAt() : m.matches();
  }

  private static Pattern compile(String pattern) throws SourceException {
    if (pattern.startsWith("~")) {
      try {
        return Pattern.compile(pattern.substring(1));
      } catch (PatternSyntaxException e) {
        throw new SourceException(
            Mark.of("host pattern"),
            "invalid regular expression in host pattern '" + pattern + "': " + e.getDescription());
      }
    }
    return jplay.engine.api.Glob.compile(pattern);
  }
}
