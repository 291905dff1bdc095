package jplay.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The probe's output split back into its sections (see {@link Probe}): pure, so it is tested on captured output.
 *
 * @param sections in the order printed
 */
record ProbeOutput(List<Section> sections) {
  /** One section: the words after the mark ({@code name}, then {@code arg}, the rest of the line) and its body. */
  record Section(String name, String arg, String body) {
    /** The body's lines, without a trailing empty one. */
    List<String> lines() {
      return body.isEmpty() ? List.of() : List.of(body.split("\n"));
    }
  }

  ProbeOutput {
    sections = List.copyOf(sections);
  }

  static ProbeOutput parse(String stdout) {
    List<Section> out = new ArrayList<>();
    String sep = "\n" + Probe.MARK;
    int at = stdout.indexOf(sep);
    while (at >= 0) {
      int headerStart = at + sep.length();
      int headerEnd = stdout.indexOf('\n', headerStart);
      if (headerEnd < 0) {
        headerEnd = stdout.length();
      }
      String header = stdout.substring(headerStart, headerEnd);
      int next = stdout.indexOf(sep, headerEnd);
      String body = headerEnd >= stdout.length() ? "" : stdout.substring(headerEnd + 1, next < 0 ? stdout.length() : next);
      int space = header.indexOf(' ');
      String name = space < 0 ? header : header.substring(0, space);
      String arg = space < 0 ? "" : header.substring(space + 1);
      out.add(new Section(name, arg, body));
      at = next;
    }
    return new ProbeOutput(out);
  }

  /** True if the probe printed a section by that name (even an empty one). */
  boolean has(String name) {
    return sections.stream().anyMatch(s -> s.name().equals(name));
  }

  /** The body of the first section named {@code name}. */
  Optional<String> body(String name) {
    return sections.stream().filter(s -> s.name().equals(name)).map(Section::body).findFirst();
  }

  /** The lines of the first section named {@code name}; empty when absent. */
  List<String> lines(String name) {
    return sections.stream().filter(s -> s.name().equals(name)).findFirst().map(Section::lines).orElse(List.of());
  }

  /** The content of a file the probe printed; empty when it was absent or unreadable. */
  Optional<String> file(String path) {
    return sections.stream()
        .filter(s -> s.name().equals("file") && s.arg().equals(path))
        .map(Section::body)
        .findFirst();
  }

  /** The first line of a file, trimmed; empty when the file is absent or empty. */
  Optional<String> firstLine(String path) {
    return file(path).map(c -> c.lines().findFirst().orElse("").strip()).filter(s -> !s.isEmpty());
  }

  /** The paths the probe found to exist. */
  Set<String> existing() {
    return new LinkedHashSet<>(lines("exists"));
  }

  /** Every file the probe printed, by path. */
  Map<String, String> files() {
    Map<String, String> out = new LinkedHashMap<>();
    sections.stream().filter(s -> s.name().equals("file")).forEach(s -> out.putIfAbsent(s.arg(), s.body()));
    return out;
  }
}
