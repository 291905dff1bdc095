package jplay.engine.run;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jplay.engine.inventory.Inventory;
import jplay.engine.playbook.Play;
import jplay.engine.playbook.Task;

/**
 * Builds the variables a host sees for one task, lowest precedence first (Ansible's order for the sources jplay
 * has): inventory (group then host vars) &lt; facts &lt; play vars &lt; task vars &lt; registered and set_fact
 * values &lt; extra vars; then the magic variables, which users cannot override.
 */
final class Variables {
  /** Ansible's placeholder for {@code omit}: an argument whose value renders to it is dropped. */
  static final String OMIT = "__omit_place_holder__" + Long.toHexString(new java.security.SecureRandom().nextLong());

  private final Inventory inventory;
  private final Map<String, HostState> hosts;
  private final Map<String, Object> extraVars;
  private final Map<String, Object> runMagic;

  Variables(Inventory inventory, Map<String, HostState> hosts, Map<String, Object> extraVars, Map<String, Object> runMagic) {
    this.inventory = inventory;
    this.hosts = hosts;
    this.extraVars = extraVars;
    this.runMagic = runMagic;
  }

  /** The variables of {@code host} for {@code task} in {@code play}; play-level magic in {@code playMagic}. */
  Map<String, Object> forTask(String host, Play play, Task task, Map<String, Object> playMagic) {
    Map<String, Object> vars = new LinkedHashMap<>(base(host));
    vars.putAll(play.vars());
    if (task != null) {
      Object taskVars = task.keywords().get("vars");
      if (taskVars instanceof Map<?, ?> m) {
        m.forEach((k, v) -> vars.put(String.valueOf(k), v));
      }
    }
    HostState state = hosts.get(host);
    if (state != null) {
      synchronized (state.runtimeVars) {
        vars.putAll(state.runtimeVars);
      }
    }
    vars.putAll(extraVars);
    vars.putAll(runMagic);
    vars.putAll(playMagic);
    vars.put("inventory_hostname", host);
    vars.put("inventory_hostname_short", host.split("\\.", 2)[0]);
    vars.put("group_names", inventory.groupNames(host));
    vars.put("hostvars", new HostVarsView());
    vars.put("omit", OMIT);
    return vars;
  }

  /** Inventory variables and facts of a host: what {@code hostvars[h]} shows of another host. */
  private Map<String, Object> base(String host) {
    Map<String, Object> vars = new LinkedHashMap<>(inventory.hostVars(host));
    HostState state = hosts.get(host);
    if (state != null && !state.facts.isEmpty()) {
      Map<String, Object> facts = new LinkedHashMap<>(state.facts);
      vars.put("ansible_facts", facts);
      facts.forEach((k, v) -> vars.put(k.startsWith("ansible_") ? k : "ansible_" + k, v));
    }
    if (state != null) {
      synchronized (state.runtimeVars) {
        vars.putAll(state.runtimeVars);
      }
    }
    vars.put("inventory_hostname", host);
    vars.put("inventory_hostname_short", host.split("\\.", 2)[0]);
    vars.put("group_names", inventory.groupNames(host));
    return vars;
  }

  /** Groups and their host names, as Ansible's {@code groups}. */
  static Map<String, Object> groups(Inventory inventory) {
    Map<String, Object> out = new LinkedHashMap<>();
    inventory.groups().forEach((name, g) -> {
      try {
        out.put(name, inventory.select(name).stream().map(h -> h.name()).toList());
      } catch (jplay.engine.yaml.SourceException e) {
        out.put(name, List.of());
      }
    });
    return out;
  }

  /** {@code hostvars}, computed per host only when a template looks one up: 200 hosts must not cost 200 maps a task. */
  private final class HostVarsView extends AbstractMap<String, Object> {
    @Override
    public Object get(Object key) {
      return key instanceof String h && inventory.host(h).isPresent() ? base(h) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String h && inventory.host(h).isPresent();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return inventory.hosts().stream()
          .collect(Collectors.toMap(h -> h.name(), h -> (Object) base(h.name()), (a, b) -> a, LinkedHashMap::new))
          .entrySet();
    }

    @Override
    public String toString() {
      return "hostvars" + inventory.hosts().stream().map(h -> h.name()).collect(Collectors.toList());
    }
  }

}
