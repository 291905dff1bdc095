package jplay.engine.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import jplay.engine.yaml.Mark;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.SourceException;
import jplay.engine.yaml.YamlLoader;

/**
 * {@code group_vars/} and {@code host_vars/} beside a base directory, found the way Ansible's host_group_vars
 * plugin finds them: for entity {@code web} the first of {@code web} (a file, or a directory whose files merge in
 * sorted order, recursively), {@code web.yml}, {@code web.yaml}, {@code web.json}.
 */
final class VarsFiles {
  private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

  private final Map<String, Map<String, Object>> cache = new HashMap<>();

  /** The merged vars of {@code entity} under {@code base/subdir}; empty when there are none. */
  Map<String, Object> vars(Path base, String subdir, String entity) throws SourceException {
    String key = base + "\0" + subdir + "\0" + entity;
    Map<String, Object> known = cache.get(key);
    if (known != null) {
      return known;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Path dir = base.resolve(subdir);
    // Names like /path/to/chroot are not file names under group_vars/.
    if (!entity.startsWith("/") && !entity.isEmpty() && Files.isDirectory(dir)) {
      for (Path file : find(dir, entity)) {
        out.putAll(load(file));
      }
    }
    cache.put(key, out);
    return out;
  }

  private static List<Path> find(Path dir, String entity) throws SourceException {
    for (String ext : EXTENSIONS) {
      Path p;
      try {
        p = dir.resolve(entity + ext);
      } catch (java.nio.file.InvalidPathException e) {
        return List.of();
      }
      if (Files.isDirectory(p)) {
        List<Path> found = new ArrayList<>();
        walk(p, found);
        return found;
      }
      if (Files.isRegularFile(p)) {
        return List.of(p);
      }
    }
    return List.of();
  }

  private static void walk(Path dir, List<Path> found) throws SourceException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new SourceException(Mark.of(dir.toString()), "cannot list vars directory: " + e.getMessage());
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.startsWith(".") || name.endsWith("~")) {
        continue; // hidden files and editor backups
      }
      int dot = name.lastIndexOf('.');
      String ext = dot <= 0 ? "" : name.substring(dot);
      if (Files.isDirectory(p) && ext.isEmpty()) {
        walk(p, found);
      } else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) {
        found.add(p);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path file) throws SourceException {
    Optional<Node> doc = YamlLoader.load(file);
    if (doc.isEmpty() || doc.get() instanceof Node.Scalar s && s.value() == null) {
      return Map.of();
    }
    if (!(doc.get() instanceof Node.MapNode)) {
      throw new SourceException(
          doc.get().mark(),
          "a vars file holds a mapping of variable names to values, not " + YamlInventoryParser.what(doc.get()));
    }
    return (Map<String, Object>) doc.get().toPlain();
  }
}
