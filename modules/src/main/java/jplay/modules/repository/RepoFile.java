package jplay.modules.repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .repo} file as dnf's (and Python's configparser's) INI dialect reads it, kept as text blocks so that a
 * section can be replaced or removed while every other byte of the file, comments included, stays as it was.
 *
 * <p>A block is the optional preamble before the first section header, or one section: its header line and every
 * line up to the next header. Values continue on lines that start with whitespace; {@code #} and {@code ;} start
 * comment lines; keys are case-insensitive (configparser lower-cases them) and may be separated by {@code =} or
 * {@code :}.
 */
record RepoFile(List<Block> blocks) {

  /** The preamble (name null) or one section, with its text exactly as in the file. */
  record Block(String name, String text) {}

  RepoFile {
    blocks = List.copyOf(blocks);
  }

  static RepoFile parse(String text) {
    List<Block> out = new ArrayList<>();
    String name = null;
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("(?<=\n)")) {
      String header = header(line);
      if (header != null) {
        if (name != null || cur.length() > 0) {
          out.add(new Block(name, cur.toString()));
        }
        name = header;
        cur = new StringBuilder();
      }
      cur.append(line);
    }
    if (name != null || cur.length() > 0) {
      out.add(new Block(name, cur.toString()));
    }
    return new RepoFile(out);
  }

  /** The section name when the line is a section header ({@code [name]}), else null. */
  private static String header(String line) {
    String s = line.strip();
    if (s.startsWith("[") && s.indexOf(']') > 1 && !Character.isWhitespace(line.charAt(0))) {
      return s.substring(1, s.indexOf(']'));
    }
    return null;
  }

  List<String> sections() {
    return blocks.stream().filter(b -> b.name() != null).map(Block::name).toList();
  }

  Optional<Block> section(String name) {
    return blocks.stream().filter(b -> name.equals(b.name())).findFirst();
  }

  /** The options of a section as configparser reads them: lower-case keys, continuation lines joined by "\n". */
  static Map<String, String> options(Block block) {
    Map<String, String> out = new LinkedHashMap<>();
    String key = null;
    String[] lines = block.text().split("\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      String s = line.strip();
      if (s.isEmpty() || ((s.startsWith("#") || s.startsWith(";")) && !Character.isWhitespace(line.charAt(0)))) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0)) && key != null) {
        out.put(key, out.get(key).isEmpty() ? s : out.get(key) + "\n" + s);
        continue;
      }
      int eq = firstSeparator(s);
      if (eq < 0) {
        key = s.toLowerCase(java.util.Locale.ROOT);
        out.put(key, "");
      } else {
        key = s.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
        out.put(key, s.substring(eq + 1).strip());
      }
    }
    return out;
  }

  private static int firstSeparator(String s) {
    int eq = s.indexOf('=');
    int colon = s.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  /** The section as configparser writes it: {@code key = value}, continuation lines indented by a tab. */
  static String render(String name, Map<String, String> options) {
    StringBuilder sb = new StringBuilder("[").append(name).append("]\n");
    options.forEach((k, v) -> sb.append(k).append(" = ").append(v.replace("\n", "\n\t")).append('\n'));
    return sb.toString();
  }

  /**
   * The blank and comment lines that end a block. They stay when the section is replaced or removed: a comment
   * just above the next header most likely describes that next section.
   */
  static String trailer(Block block) {
    String[] lines = block.text().split("(?<=\n)");
    int i = lines.length;
    while (i > 1) {
      String s = lines[i - 1].strip();
      if (!(s.isEmpty() || s.startsWith("#") || s.startsWith(";"))) {
        break;
      }
      i--;
    }
    return String.join("", java.util.Arrays.asList(lines).subList(i, lines.length));
  }

  /**
   * This file with the section replaced in place, or appended (after a blank line) when it is new; {@code text}
   * is the section as {@link #render} writes it.
   */
  RepoFile with(String name, String text) {
    List<Block> out = new ArrayList<>();
    boolean replaced = false;
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (!name.equals(b.name())) {
        out.add(b);
      } else if (!replaced) {
        String trailer = trailer(b);
        boolean last = i == blocks.size() - 1;
        out.add(new Block(name, text + (trailer.isEmpty() && !last ? "\n" : trailer)));
        replaced = true;
      }
    }
    if (!replaced) {
      if (!out.isEmpty()) {
        Block last = out.get(out.size() - 1);
        String t = last.text();
        String fixed = t.isEmpty() || t.endsWith("\n\n") ? t : t.endsWith("\n") ? t + "\n" : t + "\n\n";
        out.set(out.size() - 1, new Block(last.name(), fixed));
      }
      out.add(new Block(name, text));
    }
    return new RepoFile(out);
  }

  /** This file without the section (every block of that name, as configparser would merge them). */
  RepoFile without(String name) {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (!name.equals(b.name())) {
        out.add(b);
      } else if (!trailer(b).isBlank()) {
        out.add(new Block(null, trailer(b)));
      }
    }
    return new RepoFile(out);
  }

  /** True when no section is left (comments alone do not make a repo file worth keeping, as Ansible). */
  boolean empty() {
    return sections().isEmpty();
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    blocks.forEach(b -> sb.append(b.text()));
    return sb.toString();
  }
}
