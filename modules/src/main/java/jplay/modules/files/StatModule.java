package jplay.modules.files;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code stat}: everything about a path in one probe ({@code stat -c}, test operators for access,
 * {@code readlink}, a checksum tool, {@code file} for the MIME type and {@code lsattr} for attributes when present).
 * Never changes anything.
 */
public final class StatModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("stat")
          .aliases("ansible.builtin.stat")
          .summary("Retrieve file or file system status")
          .description("Reads facts about a path (kind, mode, owner, times, checksum ...) into 'stat'; changes nothing.")
          .param(Param.path("path").required().aliases("dest", "name").doc("The path to look at."))
          .param(Param.bool("follow").defaultValue(false).doc("Follow a symlink and report on its target."))
          .param(
              Param.bool("get_checksum")
                  .defaultValue(true)
                  .doc("Compute the checksum of a regular file the user can read."))
          .param(
              Param.str("checksum_algorithm")
                  .defaultValue("sha1")
                  .aliases("checksum", "checksum_algo")
                  .choices("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
                  .doc("The algorithm of the checksum."))
          .param(
              Param.bool("get_mime")
                  .defaultValue(true)
                  .aliases("mime", "mime_type", "mime-type")
                  .doc("Add mimetype and charset, from the target's 'file' command when it has one."))
          .param(
              Param.bool("get_attributes")
                  .defaultValue(true)
                  .aliases("attr", "attributes")
                  .doc("Add attributes, attr_flags and version, from the target's 'lsattr' when it works there."))
          .examples(
              """
              - name: Is there a swap file?
                stat:
                  path: /swapfile
                register: swap
              - debug:
                  msg: "swap is {{ swap.stat.size }} bytes"
                when: swap.stat.exists
              - name: The sha256 of a download
                stat: path=/tmp/app.tar.gz checksum_algorithm=sha256 get_mime=no
                register: tarball
              """)
          .build();

  /** lsattr's letters and Ansible's names for them (module_utils.basic.FILE_ATTRIBUTES). */
  private static final Map<Character, String> ATTRIBUTES = Map.ofEntries(
      Map.entry('A', "noatime"), Map.entry('a', "append"), Map.entry('c', "compressed"), Map.entry('C', "nocow"),
      Map.entry('d', "nodump"), Map.entry('D', "dirsync"), Map.entry('e', "extents"), Map.entry('E', "encrypted"),
      Map.entry('h', "blocksize"), Map.entry('i', "immutable"), Map.entry('I', "indexed"),
      Map.entry('j', "journalled"), Map.entry('N', "inline"), Map.entry('s', "zero"), Map.entry('S', "synchronous"),
      Map.entry('t', "notail"), Map.entry('T', "blockroot"), Map.entry('u', "undelete"),
      Map.entry('X', "compressedraw"), Map.entry('Z', "compresseddirty"), Map.entry('F', "casefold"),
      Map.entry('P', "projinherit"), Map.entry('V', "verity"), Map.entry('x', "dax"));

  private static final String END = "\n@@jplay-end@@\n";

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String path = args.str("path");
    Map<String, Object> stat = ctx.fact(fact(path, args.bool("follow"),
        args.bool("get_checksum") ? args.str("checksum_algorithm") : null, args.bool("get_mime"),
        args.bool("get_attributes")));
    return Plan.noop("stat reads only", Map.of("stat", stat));
  }

  static Fact<Map<String, Object>> fact(String path, boolean follow, String algorithm, boolean mime, boolean attrs) {
    String l = follow ? " -L" : "";
    StringBuilder s = new StringBuilder();
    s.append("p=").append(Shell.quote(path)).append('\n');
    s.append(follow ? "if [ -e \"$p\" ]; then\n" : "if [ -e \"$p\" ] || [ -L \"$p\" ]; then\n");
    s.append("  printf 'stat '; stat").append(l)
        .append(" -c '%f %h %u %g %s %i %d %b %B %t %T|%x|%y|%z|%U|%G' -- \"$p\" || exit\n");
    s.append("  printf 'access '; [ -r \"$p\" ] && printf r; [ -w \"$p\" ] && printf w; [ -x \"$p\" ] && printf x;"
        + " echo\n");
    if (algorithm != null) {
      s.append("  if [ -f \"$p\" ] && [ -r \"$p\" ]").append(follow ? "" : " && [ ! -L \"$p\" ]")
          .append("; then printf 'checksum '; ").append(algorithm).append("sum < \"$p\"; fi\n");
    }
    if (mime) {
      // A directory's type needs no process: file prints this for every directory, whatever its magic.
      s.append("  if [ -d \"$p\" ]").append(follow ? "" : " && [ ! -L \"$p\" ]")
          .append(" && command -v file >/dev/null 2>&1; then echo 'mime inode/directory; charset=binary'\n")
          .append("  elif command -v file >/dev/null 2>&1; then printf 'mime '; file").append(follow ? " -L" : "")
          .append(" -b --mime-type --mime-encoding -- \"$p\" 2>/dev/null || echo; fi\n");
    }
    if (attrs) {
      // No subshell: a failing lsattr leaves a bare "lsattr " line, read as no attributes.
      s.append("  printf 'lsattr '; lsattr -vd -- \"$p\" 2>/dev/null || echo\n");
    }
    if (!follow) {
      s.append("  if [ -L \"$p\" ]; then printf 'lnk_target %s").append(END.replace("\n", "\\n"))
          .append("' \"$(readlink -- \"$p\")\"; printf 'lnk_source %s").append(END.replace("\n", "\\n"))
          .append("' \"$(readlink -f -- \"$p\")\"; fi\n");
    }
    s.append("  :\nelse echo absent\nfi\n");
    return Fact.of("stat " + follow + " " + algorithm + " " + mime + " " + attrs + " " + path,
        Command.of(s.toString()), r -> parse(path, r));
  }

  static Map<String, Object> parse(String path, CommandResult r) {
    if (!r.ok()) {
      throw new ModuleException("cannot stat " + path + ": " + (r.stderr().isBlank() ? "exit " + r.rc() : r.stderr().strip()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    String text = r.stdout();
    if (text.equals("absent\n")) {
      out.put("exists", false);
      return out;
    }
    String lnkTarget = section(text, "lnk_target ");
    String lnkSource = section(text, "lnk_source ");
    int cut = text.indexOf("lnk_target ");
    if (cut >= 0) {
      text = text.substring(0, cut);
    }
    String access = "";
    String checksum = null;
    String mimeLine = null;
    String lsattr = null;
    String statLine = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("stat ")) {
        statLine = line.substring(5);
      } else if (line.startsWith("access ")) {
        access = line.substring(7);
      } else if (line.equals("access")) {
        access = "";
      } else if (line.startsWith("checksum ")) {
        String[] f = line.substring(9).trim().split("\\s+");
        checksum = f.length > 0 && f[0].matches("[0-9a-f]+") ? f[0] : null;
      } else if (line.startsWith("mime ") || line.equals("mime")) {
        mimeLine = line.length() > 5 ? line.substring(5) : "";
      } else if (line.startsWith("lsattr ")) {
        lsattr = line.substring(7);
      }
    }
    if (statLine == null) {
      throw new ModuleException("cannot stat " + path + ": unexpected probe output '" + r.stdout().strip() + "'");
    }
    String[] parts = statLine.split("\\|", -1);
    String[] f = parts[0].trim().split(" +");
    if (parts.length != 6 || f.length != 11) {
      throw new ModuleException("cannot stat " + path + ": unexpected stat output '" + statLine + "'");
    }
    int raw = Integer.parseInt(f[0], 16);
    int mode = raw & 07777;
    int type = raw & 0170000;
    long uid = Long.parseLong(f[2]);
    long gid = Long.parseLong(f[3]);
    out.put("exists", true);
    out.put("path", path);
    out.put("mode", Modes.format(mode));
    out.put("isdir", type == 0040000);
    out.put("ischr", type == 0020000);
    out.put("isblk", type == 0060000);
    out.put("isreg", type == 0100000);
    out.put("isfifo", type == 0010000);
    out.put("islnk", type == 0120000);
    out.put("issock", type == 0140000);
    out.put("uid", uid);
    out.put("gid", gid);
    out.put("size", Long.parseLong(f[4]));
    out.put("inode", Long.parseLong(f[5]));
    out.put("dev", Long.parseLong(f[6]));
    out.put("nlink", Long.parseLong(f[1]));
    out.put("atime", epoch(parts[1], path));
    out.put("mtime", epoch(parts[2], path));
    out.put("ctime", epoch(parts[3], path));
    out.put("wusr", (mode & 0200) != 0);
    out.put("rusr", (mode & 0400) != 0);
    out.put("xusr", (mode & 0100) != 0);
    out.put("wgrp", (mode & 020) != 0);
    out.put("rgrp", (mode & 040) != 0);
    out.put("xgrp", (mode & 010) != 0);
    out.put("woth", (mode & 02) != 0);
    out.put("roth", (mode & 04) != 0);
    out.put("xoth", (mode & 01) != 0);
    out.put("isuid", (mode & 04000) != 0);
    out.put("isgid", (mode & 02000) != 0);
    out.put("blocks", Long.parseLong(f[7]));
    out.put("block_size", Long.parseLong(f[8]));
    out.put("device_type", type == 0020000 || type == 0060000
        ? (Long.parseLong(f[9], 16) << 8) | Long.parseLong(f[10], 16) : 0L);
    out.put("readable", access.contains("r"));
    out.put("writeable", access.contains("w"));
    out.put("executable", access.contains("x"));
    out.put("pw_name", parts[4].equals("UNKNOWN") ? Long.toString(uid) : parts[4]);
    out.put("gr_name", parts[5].equals("UNKNOWN") ? Long.toString(gid) : parts[5]);
    if (checksum != null) {
      out.put("checksum", checksum);
    }
    if (lnkTarget != null) {
      out.put("lnk_source", lnkSource);
      out.put("lnk_target", lnkTarget);
    }
    if (mimeLine != null) {
      String mimetype = "unknown";
      String charset = "unknown";
      int semi = mimeLine.indexOf(';');
      if (semi > 0) {
        mimetype = mimeLine.substring(0, semi).strip();
        int eq = mimeLine.indexOf('=', semi);
        if (eq > 0) {
          charset = mimeLine.substring(eq + 1).strip();
        }
      }
      out.put("mimetype", mimetype);
      out.put("charset", charset);
    }
    if (lsattr != null) {
      String[] a = lsattr.trim().split("\\s+", 3);
      if (a.length >= 2) {
        out.put("version", a[0]);
        String flags = a[1].replace("-", "");
        List<String> names = new ArrayList<>();
        for (char c : flags.toCharArray()) {
          names.add(ATTRIBUTES.getOrDefault(c, String.valueOf(c)));
        }
        out.put("attributes", names);
        out.put("attr_flags", flags);
      }
    }
    return out;
  }

  private static String section(String text, String tag) {
    int i = text.indexOf(tag);
    if (i < 0) {
      return null;
    }
    int end = text.indexOf(END, i);
    return end < 0 ? null : text.substring(i + tag.length(), end);
  }

  private static final DateTimeFormatter STAT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.n] xx");

  /** {@code stat}'s "2024-01-01 12:00:00.123456789 +0100" as Ansible's float seconds since the epoch. */
  static double epoch(String shown, String path) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(shown.strip(), STAT_TIME);
      return t.toEpochSecond() + t.getNano() / 1e9;
    } catch (DateTimeParseException e) {
      throw new ModuleException("cannot stat " + path + ": unexpected time '" + shown + "'");
    }
  }
}
