package jplay.modules.modprobe;

import java.util.LinkedHashMap;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * A kernel module's state, read by one probe: whether it is loaded (/proc/modules) or built in (modules.builtin),
 * whether modprobe could load it ({@code modprobe -n}), and, when persistence is managed, the text of every
 * {@code *.conf} file in the modules-load.d and modprobe.d directories.
 *
 * @param modprobe the path of modprobe, null when the host has none
 * @param loaded listed in /proc/modules
 * @param builtin listed in modules.builtin of the running kernel
 * @param dryRunError what {@code modprobe -n NAME} said when it failed (the module cannot be loaded), else null
 * @param dirs for each configuration directory asked for, whether it exists
 * @param files the text of each {@code *.conf} file in those directories, by path
 */
record ModprobeState(
    String modprobe,
    boolean loaded,
    boolean builtin,
    String dryRunError,
    Map<String, Boolean> dirs,
    Map<String, String> files) {

  static Fact<ModprobeState> fact(String name, String... dirs) {
    return Fact.of(
        "modprobe " + name + " " + String.join(" ", dirs), probe(name, dirs), r -> parse(name, r));
  }

  /**
   * The probe. Names in /proc/modules use '_' where users often write '-' ({@code br-netfilter}), and
   * modules.builtin lists file paths with either; both sides are compared with '_'. File contents come line by
   * line behind one space, so no content line can be mistaken for the probe's own lines.
   */
  static Command probe(String name, String... dirs) {
    String norm = name.replace('-', '_');
    StringBuilder s = new StringBuilder();
    s.append("n=").append(Shell.quote(name)).append('\n');
    s.append("mp=$(command -v modprobe) || for d in /usr/sbin /sbin; do [ -x \"$d/modprobe\" ] && mp=$d/modprobe && break; done\n");
    s.append("echo \"modprobe ${mp:-none}\"\n");
    s.append("state=unloaded\n");
    s.append("if [ -r /proc/modules ] && grep -q '^").append(norm).append(" ' /proc/modules; then state=loaded; fi\n");
    s.append("b=/lib/modules/$(uname -r)/modules.builtin\n");
    s.append("if [ -r \"$b\" ] && tr - _ < \"$b\" | grep -q '/").append(norm).append("\\.ko$'; then echo builtin; fi\n");
    s.append("echo \"$state\"\n");
    s.append("if [ $state = unloaded ] && [ -n \"$mp\" ]; then\n");
    s.append("  r=$(\"$mp\" -n \"$n\" 2>&1) || printf 'cannot %s\\n' \"$(printf '%s' \"$r\" | tr '\\n' ' ')\"\n");
    s.append("fi\n");
    if (dirs.length > 0) {
      s.append("for d in ").append(Shell.join(java.util.List.of(dirs))).append("; do\n");
      s.append("  if [ ! -d \"$d\" ]; then echo \"nodir $d\"; continue; fi\n");
      s.append("  echo \"dir $d\"\n");
      s.append("  for f in \"$d\"/*.conf; do\n");
      s.append("    [ -f \"$f\" ] || continue\n");
      s.append("    echo \"file $f\"\n");
      s.append("    sed 's/^/ /' -- \"$f\" || exit\n");
      s.append("    if [ -n \"$(tail -c1 -- \"$f\")\" ]; then echo; echo noeol; fi\n");
      s.append("  done\n");
      s.append("done\n");
    }
    return Command.of(s.toString());
  }

  static ModprobeState parse(String name, CommandResult r) {
    if (!r.ok()) {
      throw new ModuleException(
          "cannot read the state of kernel module " + name + ": "
              + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
    }
    String tool = null;
    boolean loaded = false;
    boolean builtin = false;
    String cannot = null;
    Map<String, Boolean> dirs = new LinkedHashMap<>();
    Map<String, StringBuilder> files = new LinkedHashMap<>();
    StringBuilder current = null;
    boolean sawState = false;
    for (String line : r.stdout().split("\n", -1)) {
      if (line.startsWith(" ") && current != null) {
        current.append(line.substring(1)).append('\n');
      } else if (line.equals("noeol") && current != null && current.length() > 0) {
        current.setLength(current.length() - 1);
      } else if (line.startsWith("file ")) {
        current = new StringBuilder();
        files.put(line.substring("file ".length()), current);
      } else if (line.startsWith("dir ")) {
        dirs.put(line.substring("dir ".length()), true);
      } else if (line.startsWith("nodir ")) {
        dirs.put(line.substring("nodir ".length()), false);
      } else if (line.startsWith("modprobe ")) {
        String t = line.substring("modprobe ".length());
        tool = t.equals("none") ? null : t;
      } else if (line.equals("loaded") || line.equals("unloaded")) {
        loaded = line.equals("loaded");
        sawState = true;
      } else if (line.equals("builtin")) {
        builtin = true;
      } else if (line.startsWith("cannot ")) {
        cannot = line.substring("cannot ".length()).strip();
      } else if (!line.isEmpty()) {
        // Empty lines of a file come as " " (content is indented); a bare empty line is only the output's end.
        throw new ModuleException(
            "cannot read the state of kernel module " + name + ": unexpected probe output '" + line + "'");
      }
    }
    if (!sawState) {
      throw new ModuleException("cannot read the state of kernel module " + name + ": the probe gave no state");
    }
    Map<String, String> texts = new LinkedHashMap<>();
    files.forEach((k, v) -> texts.put(k, v.toString()));
    return new ModprobeState(tool, loaded, builtin, cannot, dirs, texts);
  }
}
