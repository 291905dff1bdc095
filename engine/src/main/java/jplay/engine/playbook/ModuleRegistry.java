package jplay.engine.playbook;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import jplay.engine.api.Module;

/**
 * The modules on the class path (found through {@link ServiceLoader}), by name and by every alias, such as the
 * Ansible fully-qualified names ({@code ansible.builtin.file}).
 */
public final class ModuleRegistry {
  private final Map<String, Module> byName = new LinkedHashMap<>();
  private final Map<String, Module> byAnyName = new LinkedHashMap<>();

  public ModuleRegistry(Collection<? extends Module> modules) {
    for (Module m : modules) {
      String name = m.spec().name();
      if (byAnyName.containsKey(name)) {
        throw new IllegalStateException("two modules are named " + name);
      }
      byName.put(name, m);
      byAnyName.put(name, m);
      for (String alias : m.spec().aliases()) {
        if (byAnyName.putIfAbsent(alias, m) != null) {
          throw new IllegalStateException("two modules answer to " + alias);
        }
      }
    }
  }

  /** The modules registered through {@code META-INF/services/jplay.engine.api.Module}. */
  public static ModuleRegistry discover() {
    List<Module> found = new ArrayList<>();
    ServiceLoader.load(Module.class).forEach(found::add);
    return new ModuleRegistry(found);
  }

  /** The module that answers to {@code name}, its own name or an alias. */
  public Optional<Module> find(String name) {
    return Optional.ofNullable(byAnyName.get(name));
  }

  /** Canonical names, sorted: for {@code jplay doc --list} and completion. */
  public List<String> names() {
    return List.copyOf(new TreeMap<>(byName).keySet());
  }

  /** Every name a module answers to: for "did you mean". */
  public Collection<String> allNames() {
    return byAnyName.keySet();
  }

  public Collection<Module> modules() {
    return new TreeMap<>(byName).values();
  }
}
