package jplay.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jplay.engine.playbook.KvArgs;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * Parses {@code -e} values as Ansible does: {@code k=v ...}, {@code @file.yml}, or inline YAML/JSON. Unlike
 * Ansible, a word without {@code =} is an error rather than silently dropped, and every mistake is a bad option
 * (exit 5) naming the value and, for a file, its line and column.
 */
final class ExtraVars {
  private ExtraVars() {}

  static Map<String, Object> parse(List<String> values) throws UsageException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String v : values) {
      try {
        out.putAll(parseOne(v));
      } catch (SourceException e) {
        throw new UsageException(e.errors().stream().map(Object::toString).collect(Collectors.joining("; ")));
      }
    }
    return out;
  }

  private static Map<String, Object> parseOne(String value) throws SourceException, UsageException {
    String v = value.strip();
    String origin = "-e '" + value + "'";
    if (v.startsWith("@")) {
      Path file = Path.of(v.substring(1));
      if (!Files.isRegularFile(file)) {
        throw new UsageException(origin + ": no such file: " + file);
      }
      return asMap(YamlLoader.load(file), origin);
    }
    if (v.startsWith("{") || v.startsWith("[")) {
      return asMap(YamlLoader.load(v, origin), origin);
    }
    // Ansible's parse_kv, as for a task's k=v arguments: quotes and Jinja2 blocks ({{ a | b }}) keep their spaces.
    KvArgs.Parsed kv;
    try {
      kv = KvArgs.parse(v, null);
    } catch (IllegalArgumentException e) {
      throw new UsageException(origin + ": " + e.getMessage());
    }
    if (kv.rawParams() != null) {
      String word = KvArgs.split(kv.rawParams()).get(0).text();
      throw new UsageException(origin + ": '" + word + "' is not key=value; give -e as key=value pairs,"
          + " @file.yml, or YAML/JSON such as '{\"k\": 1}'");
    }
    return new LinkedHashMap<>(kv.options());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Optional<Node> node, String origin) throws UsageException {
    if (node.isEmpty()) {
      return Map.of();
    }
    Object plain = node.get().toPlain();
    if (!(plain instanceof Map<?, ?>)) {
      throw new UsageException(origin + ": extra vars must be a mapping of names to values, not a "
          + (plain instanceof List<?> ? "list" : "single value"));
    }
    return (Map<String, Object>) plain;
  }
}
