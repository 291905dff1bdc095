package jplay.engine.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import jplay.engine.api.Suggestions;

/**
 * jplay's configuration: every setting's effective value and where it came from. Precedence is Ansible's:
 * command line &gt; environment ({@code JPLAY_*} before {@code ANSIBLE_*}) &gt; configuration file &gt; default. The
 * command line is applied by picocli, which asks {@link #optionDefault} for the rest.
 *
 * <p>One file is read, the first found of: {@code $JPLAY_CONFIG}, {@code ./jplay.cfg}, {@code ~/.jplay.cfg}, then
 * Ansible's own search, {@code $ANSIBLE_CONFIG}, {@code ./ansible.cfg}, {@code ~/.ansible.cfg},
 * {@code /etc/ansible/ansible.cfg}. A jplay.cfg is a choice made for jplay, so any of them beats an ansible.cfg;
 * with none, an existing Ansible setup works unchanged.
 *
 * <pre>{@code
 * Config config = Config.load(System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
 * config.warnings().forEach(System.err::println);
 * String forks = config.value("forks").orElseThrow();
 * }</pre>
 */
public final class Config {
  /** Ansible's system-wide file. */
  public static final Path SYSTEM_FILE = Path.of("/etc/ansible/ansible.cfg");

  /** A setting's effective value ({@code null} for none) and where it came from. */
  public record Value(String name, String value, String origin, boolean isDefault) {}

  /** A key Ansible knows that jplay does not use, as found in the file. */
  private record Ignored(String name, String value, String origin, String why) {}

  private final Path file;
  private final Map<Setting, Value> values;
  private final List<Ignored> ignored;
  private final List<String> warnings;

  private Config(Path file, Map<Setting, Value> values, List<Ignored> ignored, List<String> warnings) {
    this.file = file;
    this.values = values;
    this.ignored = List.copyOf(ignored);
    this.warnings = List.copyOf(warnings);
  }

  /** The defaults alone, for callers without a configuration. */
  public static Config defaults() {
    Map<Setting, Value> values = new LinkedHashMap<>();
    for (Setting s : Settings.ALL) {
      values.put(s, new Value(s.name(), s.defaultValue(), "default", true));
    }
    return new Config(null, values, List.of(), List.of());
  }

  /** Finds and reads the configuration for a process with this environment, working folder and home. */
  public static Config load(Map<String, String> env, Path cwd, Path home) throws ConfigException {
    return load(env, cwd, home, SYSTEM_FILE);
  }

  static Config load(Map<String, String> env, Path cwd, Path home, Path systemFile) throws ConfigException {
    List<String> warnings = new ArrayList<>();
    Path file = discover(env, cwd, home, systemFile, warnings);
    IniFile.Parsed ini = file == null ? null : IniFile.parse(file);
    return resolve(ini, env, home, warnings);
  }

  /** The file to read, or null; a {@code *_CONFIG} variable naming nothing is a warning, as Ansible ignores it. */
  static Path discover(Map<String, String> env, Path cwd, Path home, Path systemFile, List<String> warnings) {
    List<Path> candidates = new ArrayList<>();
    fromEnv(env, "JPLAY_CONFIG", "jplay.cfg", cwd, warnings).ifPresent(candidates::add);
    candidates.add(cwd.resolve("jplay.cfg"));
    candidates.add(home.resolve(".jplay.cfg"));
    fromEnv(env, "ANSIBLE_CONFIG", "ansible.cfg", cwd, warnings).ifPresent(candidates::add);
    candidates.add(cwd.resolve("ansible.cfg"));
    candidates.add(home.resolve(".ansible.cfg"));
    candidates.add(systemFile);
    for (Path p : candidates) {
      if (Files.isRegularFile(p) && Files.isReadable(p)) {
        return p;
      }
    }
    return null;
  }

  private static Optional<Path> fromEnv(Map<String, String> env, String name, String fileName, Path cwd,
      List<String> warnings) {
    String v = env.get(name);
    if (v == null || v.isEmpty()) {
      return Optional.empty();
    }
    Path p = cwd.resolve(v);
    if (Files.isDirectory(p)) {
      p = p.resolve(fileName);
    }
    if (!Files.isRegularFile(p)) {
      warnings.add(name + " names " + p + ", which does not exist; looking for the next configuration file");
      return Optional.empty();
    }
    return Optional.of(p);
  }

  private static Config resolve(IniFile.Parsed ini, Map<String, String> env, Path home, List<String> warnings)
      throws ConfigException {
    List<String> errors = new ArrayList<>();
    Map<Setting, Value> fromFile = new LinkedHashMap<>();
    List<Ignored> ignored = new ArrayList<>();
    if (ini != null) {
      readFile(ini, home, fromFile, ignored, warnings, errors);
    }
    Map<Setting, Value> fromEnv = new LinkedHashMap<>();
    for (Setting s : Settings.ALL) {
      for (String name : s.env()) {
        String v = env.get(name);
        if (v != null && !v.isEmpty()) {
          try {
            fromEnv.put(s, new Value(s.name(), Settings.check(s, unquote(v), home), "env: " + name, false));
          } catch (IllegalArgumentException e) {
            errors.add(name + ": " + e.getMessage());
          }
          break;
        }
      }
    }
    Map<Setting, Value> implied = new LinkedHashMap<>();
    Value sshArgs = fromEnv.containsKey(ssh("ssh_args")) ? fromEnv.get(ssh("ssh_args")) : fromFile.get(ssh("ssh_args"));
    if (sshArgs != null) {
      Path base = fromEnv.containsKey(ssh("ssh_args")) || ini == null ? null
          : ini.file().toAbsolutePath().getParent();
      SshArgs.apply(sshArgs, home, base, implied, warnings, errors);
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    Map<Setting, Value> values = new LinkedHashMap<>();
    for (Setting s : Settings.ALL) {
      Value v = fromEnv.get(s);
      if (v == null) {
        v = fromFile.get(s);
      }
      if (v == null) {
        v = implied.get(s);
      }
      if (v == null) {
        v = new Value(s.name(), s.defaultValue(), "default", true);
      }
      values.put(s, v);
    }
    return new Config(ini == null ? null : ini.file(), values, ignored, warnings);
  }

  private static void readFile(IniFile.Parsed ini, Path home, Map<Setting, Value> fromFile, List<Ignored> ignored,
      List<String> warnings, List<String> errors) {
    Set<String> allSections = new HashSet<>(Settings.ANSIBLE_SECTIONS);
    for (IniFile.Section section : ini.sections()) {
      String name = section.name();
      if (!allSections.contains(name) && !name.startsWith("callback_") && !name.startsWith("inventory_plugin_")) {
        warnings.add(ini.file() + ":" + section.line() + ": unknown section [" + name + "]"
            + Suggestions.hint(name, Settings.ANSIBLE_SECTIONS) + "; jplay reads [defaults], [privilege_escalation]"
            + " and [ssh_connection]");
      }
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (IniFile.Entry e : ini.entries()) {
      if (!Settings.READ_SECTIONS.contains(e.section())) {
        continue;
      }
      String where = ini.file() + ":" + e.line();
      String id = e.section() + "." + e.key();
      Integer before = seen.put(id, e.line());
      if (before != null) {
        errors.add(where + ": '" + e.key() + "' is set twice in [" + e.section() + "] (first on line " + before + ")");
        continue;
      }
      Optional<Setting> setting = Settings.find(e.section(), e.key());
      if (setting.isPresent()) {
        try {
          Path base = ini.file().toAbsolutePath().getParent();
          fromFile.put(setting.get(), new Value(e.key(),
              Settings.check(setting.get(), unquote(e.value()), home, base), where, false));
        } catch (IllegalArgumentException ex) {
          errors.add(where + ": " + ex.getMessage());
        }
        continue;
      }
      String why = Settings.NO_EFFECT.get(id);
      if (why != null) {
        ignored.add(new Ignored(e.key(), e.value(), where, why));
        continue;
      }
      warnings.add(where + ": unknown key '" + e.key() + "' in [" + e.section() + "]"
          + Suggestions.hint(e.key(), keysOf(e.section())) + "; it has no effect");
    }
  }

  private static List<String> keysOf(String section) {
    List<String> keys = new ArrayList<>();
    for (Setting s : Settings.ALL) {
      if (s.section().equals(section)) {
        keys.add(s.name());
      }
    }
    for (String k : Settings.NO_EFFECT.keySet()) {
      if (k.startsWith(section + ".")) {
        keys.add(k.substring(section.length() + 1));
      }
    }
    return keys;
  }

  private static Setting ssh(String name) {
    return Settings.find(Settings.SSH, name).orElseThrow();
  }

  /** Ansible strips one pair of matching quotes from string values. */
  static String unquote(String v) {
    String t = v.strip();
    if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  /** The file read, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** What the user should hear about: unknown keys and sections, with file:line. */
  public List<String> warnings() {
    return warnings;
  }

  /** A setting's effective value, empty when it has none. */
  public Optional<String> value(String name) {
    return values.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst()
        .map(e -> e.getValue().value());
  }

  /** A setting's value and origin. */
  public Value get(String name) {
    return values.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst()
        .map(Map.Entry::getValue).orElseThrow(() -> new IllegalArgumentException("no setting named " + name));
  }

  /** The inventory sources the configuration names, empty for none. */
  public List<String> inventory() {
    return value("inventory").map(v -> List.of(v.split(","))).orElse(List.of());
  }

  /**
   * The default for a command-line option ({@code --forks}) when the configuration sets it, else null (then the
   * option's own default applies).
   */
  public String optionDefault(String option) {
    Optional<Setting> s = Settings.byOption(option);
    if (s.isEmpty()) {
      return null;
    }
    Value v = values.get(s.get());
    if (v == null || v.isDefault() || v.value() == null) {
      return null;
    }
    return Settings.optionValue(s.get(), v.value());
  }

  /**
   * Every setting as {@code name(origin) = value}, as {@code ansible-config dump}; with {@code onlyChanged}, those
   * not at their default. Keys found in the file that have no effect in jplay follow, saying why.
   */
  public String dump(boolean onlyChanged) {
    StringBuilder b = new StringBuilder();
    b.append("CONFIG_FILE() = ").append(file == null ? "None" : file.toString()).append('\n');
    for (Value v : values.values()) {
      if (onlyChanged && v.isDefault()) {
        continue;
      }
      b.append(v.name()).append('(').append(v.origin()).append(") = ").append(v.value() == null ? "None" : v.value())
          .append('\n');
    }
    for (Ignored i : ignored) {
      b.append(i.name()).append('(').append(i.origin()).append(") = ").append(i.value()).append("  # ")
          .append(i.why()).append('\n');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "Config[" + (file == null ? "no file" : file) + ", "
        + values.values().stream().filter(v -> !v.isDefault()).map(Value::name).collect(Collectors.joining(","))
        + "]";
  }
}
