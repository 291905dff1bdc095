package jplay.engine.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jplay.engine.connection.Target;

/** What the run knows about one host across tasks and plays: facts, registered results, whether it has failed. */
final class HostState {
  final String name;
  /** Facts (gathered or set with set_fact), exposed as ansible_facts and as top-level ansible_* variables. */
  final Map<String, Object> facts = new ConcurrentHashMap<>();
  /** Registered results, set_fact and include_vars values, in the order they were set. */
  final Map<String, Object> runtimeVars = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  /** The runtime variables that came from files (include_vars) and so may hold templates to render on use. */
  final java.util.Set<String> templated = java.util.concurrent.ConcurrentHashMap.newKeySet();
  volatile boolean failed;
  volatile boolean unreachable;
  /** {@code meta: end_host}: the host sits out the rest of the play. */
  volatile boolean ended;
  volatile Target target;
  /** What its probes printed, for guessing later ones (see TaskContext.speculate). */
  final ProbeMemory probes = new ProbeMemory();

  HostState(String name) {
    this.name = name;
  }

  boolean active() {
    return !failed && !unreachable && !ended;
  }
}
