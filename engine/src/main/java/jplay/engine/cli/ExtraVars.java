package jplay.engine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/** Parses {@code -e} values as Ansible does: {@code k=v ...}, {@code @file.yml}, or inline YAML/JSON. */
final class ExtraVars {
  private ExtraVars() {}

  static Map<String, Object> parse(List<String> values) throws SourceException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String v : values) {
      out.putAll(parseOne(v));
    }
    return out;
  }

  private static Map<String, Object> parseOne(String value) throws SourceException {
    String v = value.strip();
    if (v.startsWith("@")) {
      Path file = Path.of(v.substring(1));
      if (!Files.isRegularFile(file)) {
        throw new SourceException(jplay.engine.yaml.Mark.of("-e " + value), "no such file: " + file);
      }
      return asMap(YamlLoader.load(file), "-e " + value);
    }
    if (v.startsWith("{") || v.startsWith("[")) {
      return asMap(YamlLoader.load(v, "-e"), "-e " + value);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String word : KeyValue.split(v)) {
      int eq = word.indexOf('=');
      if (eq <= 0) {
        throw new SourceException(
            jplay.engine.yaml.Mark.of("-e"),
            "'" + word + "' is not key=value; give -e as key=value pairs, @file.yml, or YAML/JSON such as '{\"k\": 1}'");
      }
      out.put(word.substring(0, eq), word.substring(eq + 1));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Optional<Node> node, String origin) throws SourceException {
    if (node.isEmpty()) {
      return Map.of();
    }
    Object plain = node.get().toPlain();
    if (!(plain instanceof Map<?, ?>)) {
      throw new SourceException(node.get().mark(), "extra vars must be a mapping of names to values (" + origin + ")");
    }
    return (Map<String, Object>) plain;
  }
}
