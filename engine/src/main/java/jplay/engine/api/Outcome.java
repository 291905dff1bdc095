package jplay.engine.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a module reports for one host: whether it changed or failed, a message, the returned values that
 * {@code register} captures (Ansible's return values), and an optional diff.
 */
public record Outcome(boolean changed, boolean failed, boolean skipped, String msg, Map<String, Object> data, Diff diff) {
  public Outcome {
    data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    msg = msg == null ? "" : msg;
  }

  public static Outcome ok(Map<String, Object> data) {
    return new Outcome(false, false, false, "", data, null);
  }

  public static Outcome changed(Map<String, Object> data) {
    return new Outcome(true, false, false, "", data, null);
  }

  public static Outcome failed(String msg, Map<String, Object> data) {
    return new Outcome(false, true, false, msg, data, null);
  }

  public static Outcome skipped(String msg) {
    return new Outcome(false, false, true, msg, Map.of(), null);
  }

  public Outcome withDiff(Diff d) {
    return new Outcome(changed, failed, skipped, msg, data, d);
  }

  public Outcome withMsg(String m) {
    return new Outcome(changed, failed, skipped, m, data, diff);
  }
}
