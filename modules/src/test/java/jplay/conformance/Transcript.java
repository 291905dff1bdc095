package jplay.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run printed in Ansible's default (human) layout, reduced to what the conformance suite compares: the
 * PLAY RECAP numbers per host, and every result that carries a JSON body ({@code debug}, {@code assert}) per task,
 * with hosts sorted inside a task (forks finish in any order) and keys sorted inside a body.
 */
record Transcript(Map<String, String> recap, List<String> results) {
  private static final Pattern HEADER = Pattern.compile("^(TASK|RUNNING HANDLER) \\[(.*)] \\*+$");
  // ok: [h1] => {   |   ok: [h1 -> localhost] => (item=a) => {
  private static final Pattern RESULT =
      Pattern.compile("^(ok|changed): \\[([^\\]]+)] => (?:\\((item=.*)\\) => )?\\{$");
  private static final Pattern RECAP = Pattern.compile("^(\\S+)\\s+: (ok=.*)$");

  /** Parses {@code out}; {@code work} (the run's private directory) is replaced by {@code <work>}. */
  static Transcript parse(String out, String work) {
    String[] lines = out.replace(work, "<work>").split("\n", -1);
    Map<String, String> recap = new TreeMap<>();
    List<String> results = new ArrayList<>();
    String task = null;
    List<String> block = new ArrayList<>();
    boolean inRecap = false;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].stripTrailing();
      Matcher h = HEADER.matcher(line);
      if (h.matches() || line.startsWith("PLAY ")) {
        flush(task, block, results);
        task = h.matches() ? h.group(1) + " [" + h.group(2) + "]" : null;
        inRecap = line.startsWith("PLAY RECAP");
        continue;
      }
      if (inRecap) {
        Matcher r = RECAP.matcher(line.strip());
        if (r.matches()) {
          recap.put(r.group(1), r.group(2).replaceAll("\\s+", " "));
        }
        continue;
      }
      Matcher m = RESULT.matcher(line);
      if (m.matches()) {
        StringBuilder json = new StringBuilder("{");
        while (++n < lines.length && !lines[n].equals("}")) {
          json.append(lines[n]).append('\n');
        }
        json.append('}');
        String item = m.group(3) == null ? "" : " (" + m.group(3) + ")";
        block.add(m.group(1) + ": [" + m.group(2) + "]" + item + " => " + CanonicalJson.of(json.toString()));
      }
    }
    flush(task, block, results);
    return new Transcript(recap, List.copyOf(results));
  }

  private static void flush(String task, List<String> block, List<String> results) {
    if (block.isEmpty()) {
      return;
    }
    // Sorting by the whole line keeps a host's loop items in order: "[h1] (item=a)" < "[h1] (item=b)" only by
    // accident, so sort stably by host alone.
    block.sort((a, b) -> host(a).compareTo(host(b)));
    results.add(task);
    for (String r : block) {
      results.add("  " + r);
    }
    block.clear();
  }

  private static String host(String result) {
    return result.substring(result.indexOf('['), result.indexOf(']') + 1);
  }

  /** The compared form, one line per recap host and result. */
  String render() {
    StringBuilder b = new StringBuilder();
    for (String r : results) {
      b.append(r).append('\n');
    }
    b.append("RECAP\n");
    recap.forEach((host, numbers) -> b.append("  ").append(host).append(" : ").append(numbers).append('\n'));
    return b.toString();
  }
}
