package jplay.modules.modprobe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jplay.modules.sysctl.ConfFiles;

/**
 * Plans the persistent configuration of one kernel module as data: the texts of the {@code *.conf} files in
 * modules-load.d (one module name per line) and modprobe.d ({@code options NAME PARAM...} lines) before, and the
 * texts they should have after. Names compare with '-' and '_' equal, as the kernel's.
 */
final class ModprobeConf {
  private ModprobeConf() {}

  /** Whether some file in modules-load.d names the module on an active line. */
  static boolean listed(Map<String, String> loadFiles, String name) {
    return loadFiles.values().stream().anyMatch(text -> ConfFiles.lines(text).stream().anyMatch(l -> names(l, name)));
  }

  /** The module's parameters from every active {@code options} line in modprobe.d. */
  static Set<String> options(Map<String, String> optionFiles, String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String text : optionFiles.values()) {
      for (String line : ConfFiles.lines(text)) {
        List<String> words = optionWords(line, name);
        if (words != null) {
          out.addAll(words.subList(2, words.size()));
        }
      }
    }
    return out;
  }

  /**
   * The files to rewrite (path to new text) so that the module is loaded at boot: unless some file lists it
   * already, {@code DIR/NAME.conf} lists it (a line commented out by state=absent is enabled again).
   */
  static Map<String, String> listIn(Map<String, String> loadFiles, String dir, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (listed(loadFiles, name)) {
      return out;
    }
    String path = dir + "/" + name + ".conf";
    String text = loadFiles.get(path);
    if (text == null) {
      out.put(path, name + "\n");
      return out;
    }
    List<String> lines = new ArrayList<>(ConfFiles.lines(text));
    int commented = -1;
    for (int i = 0; i < lines.size() && commented < 0; i++) {
      String t = lines.get(i).strip();
      if (t.startsWith("#") && names(t.substring(1), name)) {
        commented = i;
      }
    }
    if (commented >= 0) {
      lines.set(commented, lines.get(commented).strip().substring(1).strip());
    } else {
      lines.add(name);
    }
    out.put(path, ConfFiles.join(lines));
    return out;
  }

  /** The files to rewrite so that no file in modules-load.d lists the module: its lines are commented out. */
  static Map<String, String> unlist(Map<String, String> loadFiles, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    loadFiles.forEach(
        (path, text) -> {
          List<String> lines = ConfFiles.lines(text);
          List<String> next = lines.stream().map(l -> names(l, name) ? "#" + l : l).toList();
          if (!next.equals(lines)) {
            out.put(path, ConfFiles.join(next));
          }
        });
    return out;
  }

  /**
   * The files to rewrite so that the module's options are exactly {@code params} (as a set, as Ansible compares
   * them): options lines elsewhere are commented out, those in {@code DIR/NAME.conf} replaced by one line with
   * all of them. Nothing when they are already so.
   */
  static Map<String, String> setOptions(Map<String, String> optionFiles, String dir, String name, List<String> params) {
    Map<String, String> out = new LinkedHashMap<>();
    if (options(optionFiles, name).equals(new LinkedHashSet<>(params))) {
      return out;
    }
    String own = dir + "/" + name + ".conf";
    optionFiles.forEach(
        (path, text) -> {
          if (!path.equals(own)) {
            List<String> lines = ConfFiles.lines(text);
            List<String> next = lines.stream().map(l -> optionWords(l, name) != null ? "#" + l : l).toList();
            if (!next.equals(lines)) {
              out.put(path, ConfFiles.join(next));
            }
          }
        });
    List<String> lines = new ArrayList<>();
    String existing = optionFiles.get(own);
    if (existing != null) {
      ConfFiles.lines(existing).stream().filter(l -> optionWords(l, name) == null).forEach(lines::add);
    }
    if (!params.isEmpty()) {
      lines.add("options " + name + " " + String.join(" ", params));
    }
    if (existing != null || !lines.isEmpty()) {
      String text = ConfFiles.join(lines);
      if (!text.equals(existing)) {
        out.put(own, text);
      }
    }
    return out;
  }

  /** The files to rewrite so that no options line for the module is active: they are commented out. */
  static Map<String, String> unsetOptions(Map<String, String> optionFiles, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    optionFiles.forEach(
        (path, text) -> {
          List<String> lines = ConfFiles.lines(text);
          List<String> next = lines.stream().map(l -> optionWords(l, name) != null ? "#" + l : l).toList();
          if (!next.equals(lines)) {
            out.put(path, ConfFiles.join(next));
          }
        });
    return out;
  }

  // A modules-load.d line names the module when its first word does; '#' and ';' start comments.
  private static boolean names(String line, String name) {
    String t = stripComment(line);
    if (t.isEmpty()) {
      return false;
    }
    return same(t.split("\\s+")[0], name);
  }

  /** The words of an active {@code options NAME ...} line for the module, else null. */
  private static List<String> optionWords(String line, String name) {
    String t = line.strip();
    if (t.startsWith("#")) {
      return null;
    }
    List<String> words = List.of(t.split("\\s+"));
    return words.size() >= 2 && words.get(0).equals("options") && same(words.get(1), name) ? words : null;
  }

  private static String stripComment(String line) {
    String t = line.strip();
    int hash = indexOfAny(t, "#;");
    return (hash >= 0 ? t.substring(0, hash) : t).strip();
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static boolean same(String a, String b) {
    return a.replace('-', '_').equals(b.replace('-', '_'));
  }
}
