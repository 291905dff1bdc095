package jplay.engine.inventory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jplay.engine.api.Suggestions;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * Hosts, groups and their variables, read from Ansible inventory sources, with Ansible's host patterns.
 *
 * <pre>{@code
 * Inventory inv = Inventory.load(List.of("inventory/hosts"), Path.of("playbooks"));
 * for (Host h : inv.select("web:&staging")) {
 *   Object port = inv.hostVars(h.name()).get("ansible_port");
 * }
 * }</pre>
 *
 * <p>Variables follow Ansible's precedence for inventory data, lowest first: {@code all} group vars (inline, then
 * inventory-adjacent group_vars/all, then playbook-adjacent group_vars/all); the host's other groups sorted by
 * (depth, ansible_group_priority, name) (inline, then inventory-adjacent files, then playbook-adjacent files);
 * the host's own vars (inline, then host_vars/ beside the inventory, then beside the playbook). Magic variables
 * ({@code inventory_hostname}, {@code groups}, ...) are the executor's business, not this class's.
 */
public final class Inventory {
  /** File names a directory source skips, as Ansible's INVENTORY_IGNORE_EXTS (yes, {@code .ini} too). */
  private static final Pattern IGNORED =
      Pattern.compile(
          "^\\.|^host_vars$|^group_vars$|^vars_plugins$"
              + "|(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");
  private static final Pattern YAML_START = Pattern.compile("^(---|%YAML.*|\\{.*|[A-Za-z0-9_.\\-]+:(\\s.*)?)$");

  private final List<Host> hosts;
  private final Map<String, Host> hostsByName;
  private final Map<String, Group> groups;
  private final Map<String, List<String>> groupsOfHost;
  private final Map<String, Map<String, Object>> hostVars = new HashMap<>();
  private final Map<String, List<Host>> hostsOfGroup = new HashMap<>();
  private final Map<String, Host> implicit = new LinkedHashMap<>();
  /** What {@link #load} read, for {@link #reload}; empty for an inventory of no sources. */
  private List<String> sources = List.of();
  private Path playbookDir;

  private Inventory(InventoryData data, List<Path> varDirs, Path playbookDir) throws SourceException {
    Map<String, Integer> depth = new HashMap<>();
    Map<String, Group> gs = new LinkedHashMap<>();
    for (InventoryData.G g : data.groups.values()) {
      gs.put(
          g.name,
          new Group(
              g.name,
              g.children.stream().map(c -> c.name).toList(),
              List.copyOf(g.hosts),
              g.vars,
              depth(g, depth),
              g.priority,
              g.mark));
    }
    this.groups = Collections.unmodifiableMap(gs);
    List<Host> hs = new ArrayList<>();
    Map<String, Host> byName = new LinkedHashMap<>();
    for (InventoryData.H h : data.hosts.values()) {
      Host host = new Host(h.name, h.mark, false);
      hs.add(host);
      byName.put(h.name, host);
    }
    this.hosts = List.copyOf(hs);
    this.hostsByName = Collections.unmodifiableMap(byName);

    Map<String, Set<String>> memberOf = new LinkedHashMap<>();
    for (InventoryData.G g : data.groups.values()) {
      Set<InventoryData.G> withAncestors = new LinkedHashSet<>();
      withAncestors.add(g);
      withAncestors.addAll(g.ancestors());
      for (String h : g.hosts) {
        Set<String> mine = memberOf.computeIfAbsent(h, k -> new LinkedHashSet<>());
        withAncestors.forEach(a -> mine.add(a.name));
      }
    }
    Map<String, List<String>> of = new HashMap<>();
    memberOf.forEach((h, gsOf) -> of.put(h, List.copyOf(gsOf)));
    this.groupsOfHost = Collections.unmodifiableMap(of);

    VarsFiles files = new VarsFiles();
    List<Path> playDirs = playbookDir == null ? List.of() : List.of(playbookDir);
    for (InventoryData.H h : data.hosts.values()) {
      hostVars.put(h.name, merge(files, varDirs, playDirs, h.name, groupsOfHost.getOrDefault(h.name, List.of()), h.vars));
    }
    // Ansible creates an implicit localhost only when no localhost-like host is defined; otherwise
    // "localhost" resolves to that first one.
    Host definedLocal = hosts.stream().filter(h -> HostPatterns.LOCALHOST.contains(h.name())).findFirst().orElse(null);
    for (String name : HostPatterns.LOCALHOST) {
      if (hostsByName.containsKey(name)) {
        continue;
      }
      if (definedLocal != null) {
        implicit.put(name, definedLocal);
        continue;
      }
      implicit.put(name, new Host(name, InventoryData.BUILTIN, true));
      // jplay needs no Python on the target, so unlike Ansible no ansible_python_interpreter is set here.
      Map<String, Object> own = Map.of("ansible_connection", "local");
      hostVars.put(name, merge(files, varDirs, playDirs, name, List.of(), own));
    }
  }

  private static int depth(InventoryData.G g, Map<String, Integer> memo) {
    Integer known = memo.get(g.name);
    if (known != null) {
      return known;
    }
    int d = 0;
    for (InventoryData.G p : g.parents) {
      d = Math.max(d, depth(p, memo) + 1);
    }
    memo.put(g.name, d);
    return d;
  }

  private Map<String, Object> merge(
      VarsFiles files,
      List<Path> varDirs,
      List<Path> playDirs,
      String host,
      List<String> memberOf,
      Map<String, Object> own)
      throws SourceException {
    Map<String, Object> out = new LinkedHashMap<>(groups.get("all").vars());
    for (Path d : varDirs) {
      out.putAll(files.vars(d, "group_vars", "all"));
    }
    for (Path d : playDirs) {
      out.putAll(files.vars(d, "group_vars", "all"));
    }
    List<Group> sorted =
        memberOf.stream()
            .filter(g -> !g.equals("all"))
            .map(groups::get)
            .sorted(Comparator.comparingInt(Group::depth).thenComparingInt(Group::priority).thenComparing(Group::name))
            .toList();
    sorted.forEach(g -> out.putAll(g.vars()));
    for (List<Path> dirs : List.of(varDirs, playDirs)) {
      for (Path d : dirs) {
        for (Group g : sorted) {
          out.putAll(files.vars(d, "group_vars", g.name()));
        }
      }
    }
    out.putAll(own);
    for (List<Path> dirs : List.of(varDirs, playDirs)) {
      for (Path d : dirs) {
        out.putAll(files.vars(d, "host_vars", host));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Loads inventory sources, as {@code -i} does (repeatable): an INI file, a YAML file, a directory of such files
   * (read in sorted order, skipping the names Ansible skips), or a comma-separated host list such as
   * {@code "a,b,"}. group_vars/ and host_vars/ beside each source, and beside {@code playbookDir} (nullable),
   * are read too.
   */
  public static Inventory load(List<String> sources, Path playbookDir) throws SourceException {
    InventoryData data = new InventoryData();
    List<Path> varDirs = new ArrayList<>();
    for (String source : sources) {
      Path path;
      try {
        path = Path.of(source);
      } catch (InvalidPathException e) {
        path = null;
      }
      if (path != null && Files.isDirectory(path)) {
        parseDirectory(data, path);
        varDirs.add(path);
      } else if (path != null && Files.exists(path)) {
        parseFile(data, path);
        varDirs.add(path.getParent() == null ? Path.of("") : path.getParent());
      } else if (source.contains(",")) {
        parseHostList(data, source);
      } else {
        throw new SourceException(
            Mark.of(source),
            "inventory source does not exist (for a single host without an inventory file, write '" + source
                + ",')");
      }
    }
    data.reconcile();
    Inventory inventory = new Inventory(data, varDirs, playbookDir);
    inventory.sources = List.copyOf(sources);
    inventory.playbookDir = playbookDir;
    return inventory;
  }

  /**
   * The same sources read again, as {@code meta: refresh_inventory} does: files a run changed (a host added, a
   * group var edited) are seen by what comes after. An inventory of no sources stays as it is.
   */
  public Inventory reload() throws SourceException {
    return sources.isEmpty() ? this : load(sources, playbookDir);
  }

  /** An inventory with no hosts: only the implicit localhost resolves. */
  public static Inventory empty() {
    InventoryData data = new InventoryData();
    data.reconcile();
    try {
      return new Inventory(data, List.of(), null);
    } catch (SourceException e) {
      throw new IllegalStateException("an empty inventory reads no files", e);
    }
  }

  private static void parseDirectory(InventoryData data, Path dir) throws SourceException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new SourceException(Mark.of(dir.toString()), "cannot list inventory directory: " + e.getMessage());
    }
    for (Path p : entries) {
      if (IGNORED.matcher(p.getFileName().toString()).find()) {
        continue;
      }
      if (Files.isDirectory(p)) {
        parseDirectory(data, p);
      } else {
        parseFile(data, p);
      }
    }
  }

  private static void parseFile(InventoryData data, Path file) throws SourceException {
    String name = file.toString();
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (jplay.engine.vault.Vault.isEncrypted(bytes)) {
        bytes = YamlLoader.decryptFile(bytes, name);
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new SourceException(Mark.of(name), "inventory file is not UTF-8 text");
    } catch (IOException e) {
      throw new SourceException(Mark.of(name), "cannot read inventory: " + e.getMessage());
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (isYaml(name, text)) {
      Optional<Node> doc = YamlLoader.load(text, name);
      if (doc.isEmpty() || doc.get() instanceof Node.Scalar s && s.value() == null) {
        return; // an empty inventory file defines nothing, as Ansible (which only warns)
      }
      YamlInventoryParser.parse(data, doc.get());
    } else {
      IniParser.parse(data, name, text);
    }
  }

  private static boolean isYaml(String name, String text) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yml") || lower.endsWith(".yaml") || lower.endsWith(".json")) {
      return true;
    }
    if (lower.endsWith(".ini")) {
      return false;
    }
    for (String line : text.split("\r\n|\r|\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      return YAML_START.matcher(line.stripTrailing()).matches();
    }
    return false;
  }

  private static void parseHostList(InventoryData data, String list) {
    Mark mark = Mark.of(list);
    for (String part : list.split(",")) {
      String h = part.strip();
      if (h.isEmpty()) {
        continue;
      }
      HostRanges.Address a = HostRanges.parseAddress(h, false);
      data.host(a == null ? h : a.host(), data.groups.get("ungrouped"), a == null ? null : a.port(), mark);
    }
  }

  /** All hosts the sources define, in definition order (the implicit localhost is not among them). */
  public List<Host> hosts() {
    return hosts;
  }

  /** The host of that name; "localhost", "127.0.0.1" and "::1" always resolve (implicitly, as in Ansible). */
  public Optional<Host> host(String name) {
    Host h = hostsByName.get(name);
    return h != null ? Optional.of(h) : Optional.ofNullable(implicit.get(name));
  }

  /** A host defined by the sources (not the implicit localhost), or null. */
  Host definedHost(String name) {
    return hostsByName.get(name);
  }

  /** All groups by name, in creation order, {@code all} and {@code ungrouped} first. */
  public Map<String, Group> groups() {
    return groups;
  }

  /** Ansible's {@code group_names}: the host's groups and their ancestors, sorted, without all/ungrouped. */
  public List<String> groupNames(String host) {
    return groupsOfHost.getOrDefault(host, List.of()).stream()
        .filter(g -> !g.equals("all") && !g.equals("ungrouped"))
        .sorted()
        .toList();
  }

  /** The host's inventory variables, merged by Ansible's precedence; empty for an unknown host. */
  public Map<String, Object> hostVars(String host) {
    Host h = host(host).orElse(null);
    return h == null ? Map.of() : hostVars.getOrDefault(h.name(), Map.of());
  }

  /**
   * The hosts a pattern selects, in inventory order without duplicates: {@code all}, {@code *}, globs, group and
   * host names, {@code a:b} / {@code a,b} (union), {@code a:&b} (intersection), {@code a:!b} (exclusion),
   * {@code ~regex}, and subscripts {@code g[0]}, {@code g[-1]}, {@code g[1:3]} (inclusive), {@code g[2:]}. A
   * pattern that matches nothing gives an empty list (see {@link #suggest}).
   *
   * @throws SourceException for an invalid {@code ~regex}
   */
  public List<Host> select(String pattern) throws SourceException {
    return new HostPatterns(this).select(pattern);
  }

  /**
   * For a pattern that selected fewer hosts than meant: the known group or host name closest to its first term
   * that matches nothing ("did you mean"). Empty when every term matches something or nothing is close.
   */
  public Optional<String> suggest(String pattern) {
    HostPatterns patterns = new HostPatterns(this);
    Set<String> names = new LinkedHashSet<>(groups.keySet());
    names.addAll(hostsByName.keySet());
    for (String term : HostPatterns.split(pattern)) {
      String bare = term.startsWith("&") || term.startsWith("!") ? term.substring(1) : term;
      if (bare.isEmpty() || bare.startsWith("~")) {
        continue;
      }
      try {
        if (!patterns.matchOne(bare).isEmpty()) {
          continue;
        }
      } catch (SourceException e) {
        continue;
      }
      String name = bare.replaceFirst("\\[[^\\[\\]]*\\]$", "");
      if (names.contains(name)) {
        continue; // a known name with an out-of-range subscript: nothing to suggest
      }
      Optional<String> close = Suggestions.closest(name, names);
      if (close.isPresent()) {
        return close;
      }
    }
    return Optional.empty();
  }

  /** The hosts of a group and its descendants, in Ansible's order (breadth-first over child groups). */
  List<Host> hostsOf(String group) {
    return hostsOfGroup.computeIfAbsent(group, this::computeHostsOf);
  }

  private List<Host> computeHostsOf(String name) {
    Group g = groups.get(name);
    if (g == null) {
      return List.of();
    }
    List<Group> ordered = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    ordered.add(g);
    seen.add(g.name());
    List<Group> level = new ArrayList<>();
    for (String c : g.children()) {
      if (seen.add(c)) {
        level.add(groups.get(c));
      }
    }
    while (!level.isEmpty()) {
      ordered.addAll(level);
      List<Group> next = new ArrayList<>();
      for (Group x : level) {
        for (String c : x.children()) {
          if (seen.add(c)) {
            next.add(groups.get(c));
          }
        }
      }
      level = next;
    }
    Map<String, Host> out = new LinkedHashMap<>();
    for (Group x : ordered) {
      for (String h : x.hosts()) {
        out.putIfAbsent(h, hostsByName.get(h));
      }
    }
    return List.copyOf(out.values());
  }
}
