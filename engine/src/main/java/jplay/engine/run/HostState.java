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
  /** Registered results and set_fact values, in the order they were set. */
  final Map<String, Object> runtimeVars = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  volatile boolean failed;
  volatile boolean unreachable;
  volatile Target target;

  HostState(String name) {
    this.name = name;
  }

  boolean active() {
    return !failed && !unreachable;
  }
}
