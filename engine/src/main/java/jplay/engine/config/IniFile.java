package jplay.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An INI file as Python's configparser reads ansible.cfg: {@code [section]} headers, {@code key = value} or
 * {@code key: value}, whole-line comments with {@code #} or {@code ;}, inline comments after {@code " ;"}, and
 * indented continuation lines. Keys are lower-cased, as configparser does.
 */
final class IniFile {
  /** One {@code key = value}, with the line it starts on. */
  record Entry(String section, String key, String value, int line) {}

  /** A {@code [section]} header and its line. */
  record Section(String name, int line) {}

  private IniFile() {}

  /** The file's entries and sections; a malformed line is an error naming its file and line. */
  static Parsed parse(Path file) throws ConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the configuration file: " + e.getMessage());
    }
    return parse(file, lines);
  }

  static Parsed parse(Path file, List<String> lines) throws ConfigException {
    List<Entry> entries = new ArrayList<>();
    List<Section> sections = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String section = null;
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      String line = raw.strip();
      int n = i + 1;
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (Character.isWhitespace(raw.charAt(0)) && !entries.isEmpty() && entries.get(entries.size() - 1).section()
          .equals(section)) {
        // A continuation line: configparser joins it to the value above with a newline.
        Entry last = entries.remove(entries.size() - 1);
        entries.add(new Entry(last.section(), last.key(), last.value() + "\n" + uncomment(line), last.line()));
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          errors.add(file + ":" + n + ": a section header is written [name], not '" + line + "'");
          continue;
        }
        section = line.substring(1, line.length() - 1).strip();
        sections.add(new Section(section, n));
        continue;
      }
      int eq = line.indexOf('=');
      int colon = line.indexOf(':');
      int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (sep <= 0) {
        errors.add(file + ":" + n + ": expected 'key = value' or '[section]', not '" + line + "'");
        continue;
      }
      if (section == null) {
        errors.add(file + ":" + n + ": '" + line.substring(0, sep).strip()
            + "' comes before any section; put it under [defaults]");
        continue;
      }
      String key = line.substring(0, sep).strip().toLowerCase(java.util.Locale.ROOT);
      entries.add(new Entry(section, key, uncomment(line.substring(sep + 1).strip()), n));
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new Parsed(file, entries, sections);
  }

  /** Ansible's parser takes {@code ;} after whitespace as the start of a comment. */
  private static String uncomment(String value) {
    for (int i = 1; i < value.length(); i++) {
      if (value.charAt(i) == ';' && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i).strip();
      }
    }
    return value;
  }

  /** What a file holds. */
  record Parsed(Path file, List<Entry> entries, List<Section> sections) {
    Parsed {
      entries = List.copyOf(entries);
      sections = List.copyOf(sections);
    }
  }
}
