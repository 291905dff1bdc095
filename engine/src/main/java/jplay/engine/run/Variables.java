package jplay.engine.run;

import com.hubspot.jinjava.interpret.LazyExpression;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jplay.engine.api.Args;
import jplay.engine.inventory.Inventory;
import jplay.engine.playbook.Role;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;

/**
 * Builds the variables a host sees for one task, lowest precedence first (Ansible's order for the sources jplay
 * has; docs/variables.md):
 *
 * <ol>
 *   <li>role defaults: of every role in the play's {@code roles:}, then of the task's own roles (outer first)
 *   <li>inventory variables (group then host, inventory then playbook group_vars/host_vars: see Inventory)
 *   <li>facts ({@code ansible_facts} and the top-level {@code ansible_*} names)
 *   <li>play {@code vars}, then {@code vars_files}
 *   <li>role vars: of the play's roles, then of the task's own roles
 *   <li>block vars (outer first), then task vars
 *   <li>{@code include_vars}, {@code set_fact} and registered values, in the order they were set
 *   <li>role parameters and include parameters (outer first)
 *   <li>extra vars ({@code -e})
 * </ol>
 *
 * <p>then the magic variables, which users cannot override. Values written by users are templated lazily and
 * recursively, as Ansible does: with {@code a: "{{ b }}"} and {@code b: "{{ c }}"}, {@code a} is {@code c}'s value,
 * rendered when (and only when) a template reads it. Registered results and facts are never templated again.
 */
final class Variables {
  /** Ansible's placeholder for {@code omit}: an argument whose value renders to it is dropped. */
  static final String OMIT = "__omit_place_holder__" + Long.toHexString(new java.security.SecureRandom().nextLong());

  private static final ThreadLocal<Deque<String>> RESOLVING = ThreadLocal.withInitial(ArrayDeque::new);

  // Replaced by meta: refresh_inventory; tasks running at that moment see the old or the new one, whole.
  private volatile Inventory inventory;
  private volatile Map<String, Object> groups;
  private final Map<String, HostState> hosts;
  private final Map<String, Object> extraVars;
  private final Map<String, Object> runMagic;
  private final Templar templar;

  Variables(
      Inventory inventory, Map<String, HostState> hosts, Map<String, Object> extraVars, Map<String, Object> runMagic,
      Templar templar) {
    this.inventory = inventory;
    this.groups = Map.of("groups", groups(inventory));
    this.hosts = hosts;
    this.extraVars = extraVars;
    this.runMagic = runMagic;
    this.templar = templar;
  }

  Inventory inventory() {
    return inventory;
  }

  /** After {@code meta: refresh_inventory}: later lookups see the new hosts, groups and inventory variables. */
  void inventory(Inventory fresh) {
    Map<String, Object> g = Map.of("groups", groups(fresh));
    inventory = fresh;
    groups = g;
  }

  /** What one play contributes to its hosts' variables. */
  record PlayScope(
      Map<String, Object> vars, List<Role> roles, java.util.function.Function<String, Map<String, Object>> varsFiles,
      Map<String, Object> magic) {
    static final PlayScope NONE = new PlayScope(Map.of(), List.of(), h -> Map.of(), Map.of());
  }

  /**
   * The variables of {@code host} for a task.
   *
   * @param frames the levels the task is nested in (their roles, vars and params)
   * @param taskVars the task's own {@code vars}
   * @param extra per-item variables ({@code item}, the index var, ...), above everything
   */
  Map<String, Object> forTask(
      String host, PlayScope play, List<Frame> frames, Map<String, Object> taskVars, Map<String, Object> extra) {
    Layers l = new Layers();
    for (Role r : play.roles()) {
      l.user(r.defaults());
    }
    for (Frame f : frames) {
      if (f.role() != null) {
        l.user(f.role().defaults());
      }
    }
    l.user(inventory.hostVars(host));
    HostState state = hosts.get(host);
    facts(l, state);
    l.user(play.vars());
    l.user(play.varsFiles().apply(host));
    for (Role r : play.roles()) {
      l.user(r.vars());
    }
    for (Frame f : frames) {
      if (f.role() != null) {
        l.user(f.role().vars());
      }
    }
    for (Frame f : frames) {
      if (f.keywords().get("vars") instanceof Map<?, ?> m) {
        l.user(cast(m));
      }
    }
    l.user(taskVars);
    runtime(l, state);
    for (Frame f : frames) {
      l.user(f.params());
    }
    l.user(extraVars);
    l.fixed(runMagic);
    l.fixed(groups);
    l.fixed(play.magic());
    Role role = Frame.role(frames);
    if (role != null) {
      l.fixed(Map.of("role_path", role.dir().toAbsolutePath().toString(), "role_name", role.name()));
    }
    l.fixed(hostMagic(host));
    l.fixed(Map.of("hostvars", new HostVarsView(play)));
    l.fixed(extra);
    return l.live();
  }

  private void facts(Layers l, HostState state) {
    if (state != null && !state.facts.isEmpty()) {
      Map<String, Object> facts = new LinkedHashMap<>(state.facts);
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("ansible_facts", facts);
      facts.forEach((k, v) -> top.put(k.startsWith("ansible_") ? k : "ansible_" + k, v));
      l.fixed(top);
    }
  }

  private void runtime(Layers l, HostState state) {
    if (state == null) {
      return;
    }
    synchronized (state.runtimeVars) {
      for (Map.Entry<String, Object> e : state.runtimeVars.entrySet()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(e.getKey(), e.getValue());
        if (state.templated.contains(e.getKey())) {
          l.user(one);
        } else {
          l.fixed(one);
        }
      }
    }
  }

  private Map<String, Object> hostMagic(String host) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inventory_hostname", host);
    m.put("inventory_hostname_short", host.split("\\.", 2)[0]);
    m.put("group_names", inventory.groupNames(host));
    m.put("omit", OMIT);
    return m;
  }

  /** What {@code hostvars[h]} shows of a host: all but task-level variables. */
  private Map<String, Object> base(String host, PlayScope play) {
    Layers l = new Layers();
    for (Role r : play.roles()) {
      l.user(r.defaults());
    }
    l.user(inventory.hostVars(host));
    HostState state = hosts.get(host);
    facts(l, state);
    l.user(play.vars());
    l.user(play.varsFiles().apply(host));
    for (Role r : play.roles()) {
      l.user(r.vars());
    }
    runtime(l, state);
    l.user(extraVars);
    l.fixed(runMagic);
    l.fixed(groups);
    l.fixed(play.magic());
    l.fixed(hostMagic(host));
    return l.live();
  }

  /**
   * The layers merged, later ones winning; {@code templated} remembers which values came from users (and so may
   * be templates to render on use).
   */
  private final class Layers {
    final Map<String, Object> raw = new LinkedHashMap<>();
    final Set<String> templated = new LinkedHashSet<>();

    void user(Map<String, Object> m) {
      m.forEach((k, v) -> {
        raw.put(k, v);
        if (Args.holdsTemplate(v)) {
          templated.add(k);
        } else {
          templated.remove(k);
        }
      });
    }

    void fixed(Map<String, Object> m) {
      raw.putAll(m);
      templated.removeAll(m.keySet());
    }

    Map<String, Object> live() {
      Map<String, Object> live = new LinkedHashMap<>(raw);
      for (String name : templated) {
        Object value = raw.get(name);
        live.put(name, LazyExpression.of(() -> resolve(name, value, live), String.valueOf(value)));
      }
      return live;
    }
  }

  /** Renders a variable's value with the same variables, refusing a variable that needs itself. */
  private Object resolve(String name, Object value, Map<String, Object> vars) {
    Deque<String> stack = RESOLVING.get();
    if (stack.contains(name)) {
      List<String> chain = new java.util.ArrayList<>(stack);
      java.util.Collections.reverse(chain);
      chain = chain.subList(chain.indexOf(name), chain.size());
      throw new IllegalStateException("recursive loop detected in template: the value of '" + name + "' needs itself ("
          + String.join(" -> ", chain) + " -> " + name + ")");
    }
    stack.push(name);
    try {
      return templar.render(value, vars);
    } catch (TemplateException e) {
      throw new IllegalStateException("in the value of '" + name + "': " + e.getMessage(), e);
    } finally {
      stack.pop();
    }
  }

  /** The value as templates see it: a lazily templated variable rendered. */
  static Object resolved(Object value) {
    return value instanceof LazyExpression lazy ? lazy.get() : value;
  }

  /** A read-only view of variables for modules and settings: values come rendered. */
  static Map<String, Object> resolvedView(Map<String, Object> vars) {
    return new AbstractMap<>() {
      @Override
      public Object get(Object key) {
        return resolved(vars.get(key));
      }

      @Override
      public boolean containsKey(Object key) {
        return vars.containsKey(key);
      }

      @Override
      public Set<Entry<String, Object>> entrySet() {
        return vars.entrySet().stream()
            .map(e -> (Entry<String, Object>) new SimpleImmutableEntry<String, Object>(e.getKey(), resolved(e.getValue())))
            .collect(Collectors.toCollection(LinkedHashSet::new));
      }
    };
  }

  /**
   * The variables a play's own keywords ({@code hosts}, {@code serial}, ...) are rendered with, before it has
   * hosts: its roles' defaults and vars, its {@code vars}, extra vars and the run's magic variables, as Ansible's
   * play post_validate sees them (no host, so no inventory variables or facts).
   */
  Map<String, Object> forPlay(Map<String, Object> playVars, List<Role> roles) {
    Layers l = new Layers();
    roles.forEach(r -> l.user(r.defaults()));
    l.user(playVars);
    roles.forEach(r -> l.user(r.vars()));
    l.user(extraVars);
    l.fixed(runMagic);
    l.fixed(groups);
    return l.live();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
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
    private final PlayScope play;

    HostVarsView(PlayScope play) {
      this.play = play;
    }

    @Override
    public Object get(Object key) {
      return key instanceof String h && known(h) ? base(h, play) : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String h && known(h);
    }

    private boolean known(String h) {
      return inventory.host(h).isPresent() || hosts.containsKey(h);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return inventory.hosts().stream()
          .collect(Collectors.toMap(h -> h.name(), h -> (Object) base(h.name(), play), (a, b) -> a, LinkedHashMap::new))
          .entrySet();
    }

    @Override
    public String toString() {
      return "hostvars" + inventory.hosts().stream().map(h -> h.name()).collect(Collectors.toList());
    }
  }
}
