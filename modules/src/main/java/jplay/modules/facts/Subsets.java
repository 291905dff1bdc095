package jplay.modules.facts;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Suggestions;

/**
 * Turns {@code gather_subset} into the collectors to run, with Ansible's rules: the minimal set is always
 * included first, {@code all} adds everything, {@code !name} removes a collector (and the fact names it provides),
 * {@code !all} keeps the minimal set, {@code !min} drops it, and anything named without {@code !} is kept even if
 * an exclusion would remove it. Collectors others depend on are added back ({@code pkg_mgr} needs
 * {@code distribution}).
 */
final class Subsets {
  private static final Map<String, Collector> NAMES = new LinkedHashMap<>();

  static {
    for (Collector c : Collector.values()) {
      NAMES.put(c.id(), c);
    }
    for (Collector c : Collector.values()) {
      c.factIds.forEach(id -> NAMES.putIfAbsent(id, c));
    }
  }

  private Subsets() {}

  /** The collectors {@code gatherSubset} selects, dependencies included; unimplemented ones are left out. */
  static Set<Collector> resolve(List<String> gatherSubset) {
    List<String> spec = new ArrayList<>();
    spec.add("min");
    spec.addAll(gatherSubset.isEmpty() ? List.of("all") : gatherSubset);
    Set<String> minNames = new HashSet<>();
    Collector.MIN.forEach(c -> minNames.add(c.id()));
    Set<String> added = new HashSet<>();
    Set<String> excluded = new HashSet<>();
    Set<String> explicit = new HashSet<>();
    for (String raw : spec) {
      String item = raw.trim();
      if (item.equals("min")) {
        added.addAll(minNames);
      } else if (item.equals("all")) {
        added.addAll(NAMES.keySet());
      } else if (item.startsWith("!")) {
        String name = item.substring(1);
        if (name.equals("min")) {
          excluded.addAll(minNames);
        } else if (name.equals("all")) {
          Set<String> rest = new HashSet<>(NAMES.keySet());
          rest.removeAll(minNames);
          excluded.addAll(rest);
        } else {
          // As Ansible: excluding an unknown name is not an error.
          excluded.add(name);
          Collector c = NAMES.get(name);
          if (c != null && c.id().equals(name)) {
            excluded.addAll(c.factIds);
          }
        }
      } else {
        if (!NAMES.containsKey(item)) {
          List<String> choices = new ArrayList<>(List.of("all", "min"));
          choices.addAll(NAMES.keySet());
          throw new ModuleException("unknown gather_subset '" + item + "'" + Suggestions.hint(item, choices)
              + ": use all, min, hardware, network, virtual, a collector name (" + String.join(", ", collectorIds())
              + ") or one of them with '!' to exclude it");
        }
        explicit.add(item);
        added.add(item);
      }
    }
    excluded.removeAll(explicit);
    added.removeAll(excluded);
    EnumSet<Collector> out = EnumSet.noneOf(Collector.class);
    for (String name : added) {
      addWithRequirements(NAMES.get(name), out);
    }
    out.removeIf(c -> !c.implemented);
    return out;
  }

  private static void addWithRequirements(Collector c, Set<Collector> out) {
    if (out.add(c)) {
      c.requires().forEach(r -> addWithRequirements(r, out));
    }
  }

  private static List<String> collectorIds() {
    List<String> ids = new ArrayList<>();
    for (Collector c : Collector.values()) {
      ids.add(c.id());
    }
    return ids;
  }
}
