package jplay.engine.run;

import java.util.ArrayList;
import java.util.List;

/** Splits a play's hosts into {@code serial} batches: a number, a percentage, or a list of them (the last repeats). */
final class Batches {
  private Batches() {}

  static List<List<String>> split(List<String> hosts, Object serial) {
    if (hosts.isEmpty()) {
      return List.of();
    }
    if (serial == null) {
      return List.of(hosts);
    }
    List<?> steps = serial instanceof List<?> l ? l : List.of(serial);
    if (steps.isEmpty()) {
      return List.of(hosts);
    }
    List<List<String>> out = new ArrayList<>();
    int i = 0;
    int step = 0;
    while (i < hosts.size()) {
      Object s = steps.get(Math.min(step, steps.size() - 1));
      int size = size(s, hosts.size());
      if (size <= 0) {
        size = hosts.size();
      }
      out.add(List.copyOf(hosts.subList(i, Math.min(hosts.size(), i + size))));
      i += size;
      step++;
    }
    return out;
  }

  private static int size(Object s, int total) {
    String text = String.valueOf(s).trim();
    if (text.endsWith("%")) {
      double pct = Double.parseDouble(text.substring(0, text.length() - 1));
      // Ansible rounds down but never below one host.
      return Math.max(1, (int) (total * pct / 100.0));
    }
    return Integer.parseInt(text);
  }
}
