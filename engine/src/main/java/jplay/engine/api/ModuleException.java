package jplay.engine.api;

import java.util.Map;

/** A module cannot go on for this host: the task fails with this message (and these values, if any). */
public final class ModuleException extends RuntimeException {
  private final transient Map<String, Object> data;

  public ModuleException(String message) {
    this(message, Map.of());
  }

  public ModuleException(String message, Map<String, Object> data) {
    super(message);
    this.data = Map.copyOf(data);
  }

  public Map<String, Object> data() {
    return data;
  }
}
