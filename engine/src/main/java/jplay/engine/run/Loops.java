package jplay.engine.run;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.api.ModuleException;
import jplay.engine.template.TemplateException;
import jplay.engine.template.Templar;

/** The items of a task's {@code loop} or {@code with_*} lookup, as Ansible computes them. */
final class Loops {
  private static final Pattern SEQUENCE_SHORT = Pattern.compile("(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(-([^/:\\s]+))?(/([^:\\s]+))?(:(.+))?");

  private Loops() {}

  /** The loop keyword of a task or include ({@code loop} or a {@code with_*}), or null when it does not loop. */
  static String keyword(Map<String, Object> keywords) {
    for (String k : keywords.keySet()) {
      if (k.equals("loop") || k.startsWith("with_")) {
        return k;
      }
    }
    return null;
  }

  /**
   * The items for one host.
   *
   * @param searchDirs where {@code with_fileglob} patterns are looked for, in order
   * @throws ModuleException for terms of the wrong shape, with Ansible's message
   */
  static List<Object> items(String keyword, Object terms, Map<String, Object> vars, Templar templar, List<Path> searchDirs)
      throws TemplateException {
    Object rendered = templar.render(terms, vars);
    rendered = Variables.resolved(rendered);
    switch (keyword) {
      case "loop":
        if (!(rendered instanceof List<?> l)) {
          throw new ModuleException("Invalid data passed to 'loop', it requires a list, got this instead: "
              + PyRepr.str(rendered) + ". Hint: If you passed a list/dict of just one element, try adding"
              + " wantlist=True to your lookup invocation or use q/query instead of lookup.");
        }
        return new ArrayList<>(l);
      case "with_list":
        return rendered instanceof List<?> l ? new ArrayList<>(l) : listOf(rendered);
      case "with_items":
        return flatten(rendered);
      case "with_indexed_items": {
        List<Object> out = new ArrayList<>();
        List<Object> flat = flatten(rendered);
        for (int i = 0; i < flat.size(); i++) {
          out.add(List.of(i, flat.get(i)));
        }
        return out;
      }
      case "with_dict": {
        if (!(rendered instanceof Map<?, ?> m)) {
          throw new ModuleException("with_dict expects a dict, got " + PyRepr.str(rendered));
        }
        List<Object> out = new ArrayList<>();
        m.forEach((k, v) -> {
          Map<String, Object> kv = new LinkedHashMap<>();
          kv.put("key", k);
          kv.put("value", v);
          out.add(kv);
        });
        return out;
      }
      case "with_fileglob":
        return fileglob(rendered instanceof List<?> l ? l : List.of(rendered), searchDirs);
      case "with_sequence": {
        List<Object> out = new ArrayList<>();
        for (Object term : rendered instanceof List<?> l ? l : List.of(rendered)) {
          out.addAll(sequence(String.valueOf(term)));
        }
        return out;
      }
      default:
        throw new ModuleException("unknown loop '" + keyword + "'");
    }
  }

  private static List<Object> listOf(Object o) {
    List<Object> out = new ArrayList<>();
    out.add(o);
    return out;
  }

  /** {@code with_items} flattens one level: a list of lists is one list. */
  private static List<Object> flatten(Object terms) {
    List<Object> out = new ArrayList<>();
    if (!(terms instanceof List<?> l)) {
      out.add(terms);
      return out;
    }
    for (Object t : l) {
      if (t instanceof List<?> inner) {
        out.addAll(inner);
      } else {
        out.add(t);
      }
    }
    return out;
  }

  /** Files (not folders) matching each pattern, in the first search folder where it matches, sorted. */
  private static List<Object> fileglob(List<?> patterns, List<Path> searchDirs) {
    List<Object> out = new ArrayList<>();
    for (Object p : patterns) {
      String pattern = String.valueOf(p);
      List<Path> dirs = new ArrayList<>();
      if (Path.of(pattern).isAbsolute()) {
        dirs.add(Path.of("/"));
      } else {
        for (Path base : searchDirs) {
          dirs.add(base.resolve("files"));
          dirs.add(base);
        }
      }
      for (Path dir : dirs) {
        Path full = dir.resolve(pattern).toAbsolutePath().normalize();
        Path parent = full.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
          continue;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + full.getFileName());
        TreeSet<String> found = new TreeSet<>();
        try (var list = Files.list(parent)) {
          list.filter(Files::isRegularFile).filter(f -> m.matches(f.getFileName()))
              .forEach(f -> found.add(f.toString()));
        } catch (IOException e) {
          continue;
        }
        if (!found.isEmpty()) {
          out.addAll(found);
          break;
        }
      }
    }
    return out;
  }

  /** Ansible's {@code with_sequence}: {@code start=1 end=5 stride=1 format=%d}, {@code count=N}, or {@code 1-5/1:%d}. */
  static List<String> sequence(String term) {
    long start = 1;
    Long end = null;
    Long count = null;
    long stride = 1;
    String format = "%d";
    String t = term.strip();
    Matcher shortcut = SEQUENCE_SHORT.matcher(t);
    if (!t.contains("=") && shortcut.matches()) {
      long first = parseInt(shortcut.group(1));
      if (shortcut.group(3) == null) {
        end = first;
      } else {
        start = first;
        end = parseInt(shortcut.group(3));
      }
      if (shortcut.group(5) != null) {
        stride = parseInt(shortcut.group(5));
      }
      if (shortcut.group(7) != null) {
        format = shortcut.group(7);
      }
    } else {
      for (String word : t.split("\\s+")) {
        int eq = word.indexOf('=');
        if (eq < 0) {
          throw new ModuleException("with_sequence: can't parse arg '" + word + "' of '" + term + "'");
        }
        String k = word.substring(0, eq).toLowerCase(Locale.ROOT);
        String v = word.substring(eq + 1);
        switch (k) {
          case "start" -> start = parseInt(v);
          case "end" -> end = parseInt(v);
          case "count" -> count = parseInt(v);
          case "stride" -> stride = parseInt(v);
          case "format" -> format = v;
          default -> throw new ModuleException("with_sequence: unrecognized arguments to with_sequence: " + k);
        }
      }
    }
    if (count != null) {
      if (end != null) {
        throw new ModuleException("with_sequence: can't specify both count and end in with_sequence");
      }
      if (count == 0) {
        return List.of();
      }
      end = start + count * stride - 1;
    }
    if (end == null) {
      throw new ModuleException("with_sequence: must specify count or end in with_sequence");
    }
    if (stride == 0) {
      return List.of();
    }
    if (stride > 0 && end < start || stride < 0 && end > start) {
      throw new ModuleException("with_sequence: to count backwards make stride negative");
    }
    List<String> out = new ArrayList<>();
    String f = format.replace("%d", "%d");
    for (long i = start; stride > 0 ? i <= end : i >= end; i += stride) {
      try {
        out.add(String.format(Locale.ROOT, f, i));
      } catch (java.util.IllegalFormatException e) {
        throw new ModuleException("with_sequence: bad formatting string: " + format);
      }
      if (out.size() > 1_000_000) {
        throw new ModuleException("with_sequence: more than a million items");
      }
    }
    return out;
  }

  private static long parseInt(String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("0x")) {
        return Long.parseLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.startsWith("0")) {
        return Long.parseLong(s.substring(1), 8);
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ModuleException("with_sequence: can't parse integer '" + v + "'");
    }
  }
}
