package jplay.modules.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Diff;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code lineinfile}: one probe reads the file (content and stat), the new content is computed here by
 * Ansible's own algorithm ({@link LineEdit}, Python regex semantics through {@link PyRegex}), and a change is one
 * atomic write.
 */
public final class LineInFile implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("lineinfile")
            .aliases("ansible.builtin.lineinfile")
            .summary("Manage lines in text files")
            .description(
                "Ensures a particular line is in a file, or replaces an existing line using a back-referenced"
                    + " regular expression. Regular expressions are Python's (re module), matched line by line"
                    + " against the file's bytes. For several lines, see blockinfile; for every match, replace.")
            .param(Param.path("path").required().aliases("dest", "destfile", "name").doc("The file to modify."))
            .param(
                Param.str("state")
                    .defaultValue("present")
                    .choices("absent", "present")
                    .doc("Whether the line should be there or not."))
            .param(
                Param.str("regexp")
                    .aliases("regex")
                    .doc(
                        "The regular expression to look for in every line. With state=present, the last matching line"
                            + " is replaced (the first with firstmatch); with state=absent, every matching line is"
                            + " removed. A line matching nothing is added per insertafter/insertbefore."))
            .param(
                Param.str("search_string")
                    .doc("A literal string to look for in every line; as regexp, but no regular expression."))
            .param(
                Param.str("line")
                    .aliases("value")
                    .doc("The line to insert or replace with; with backrefs, may hold \\1 and \\g<name> groups."))
            .param(
                Param.str("insertafter")
                    .doc(
                        "With state=present and no match: insert after the last line matching this regular"
                            + " expression (the first with firstmatch), or EOF (the default) or BOF."))
            .param(
                Param.str("insertbefore")
                    .doc("As insertafter, but before the matching line; BOF inserts at the beginning of the file."))
            .param(
                Param.bool("backrefs")
                    .defaultValue(false)
                    .doc(
                        "Expand regexp's groups in line; a file without a matching line is then left alone"
                            + " (nothing is added)."))
            .param(Param.bool("create").defaultValue(false).doc("Create the file (and its directories) if missing."))
            .param(
                Param.bool("backup")
                    .defaultValue(false)
                    .doc("Keep a timestamped copy of the original file; its path is returned as 'backup'."))
            .param(
                Param.bool("firstmatch")
                    .defaultValue(false)
                    .doc("Use the first line matching insertafter/insertbefore/regexp rather than the last."))
            .param(
                Param.str("validate")
                    .doc(
                        "A command that checks the new file before it replaces the old one; %s stands for the"
                            + " file's path, e.g. 'visudo -cf %s'. Run without a shell."));
    Attrs.params().forEach(b::param);
    SPEC =
        b.mutuallyExclusive("insertbefore", "insertafter")
            .mutuallyExclusive("regexp", "search_string")
            .mutuallyExclusive("backrefs", "search_string")
            .examples(
                """
                - name: SELinux enforcing
                  lineinfile:
                    path: /etc/selinux/config
                    regexp: '^SELINUX='
                    line: SELINUX=enforcing
                - name: Comment out swap in /etc/fstab (idempotent)
                  lineinfile:
                    path: /etc/fstab
                    regexp: '^([^#].*\\sswap\\s.*)$'
                    line: '# \\1'
                    backrefs: yes
                - name: No wheel line
                  lineinfile: path=/etc/sudoers state=absent regexp='^%wheel' validate='visudo -cf %s'
                - name: A host entry after the localhost one
                  lineinfile:
                    path: /etc/hosts
                    insertafter: '^127\\.0\\.0\\.1'
                    line: 10.0.0.5 db
                    create: yes
                    mode: "0644"
                """)
            .build();
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** Its plan reads the path's facts and computes; a new path's probe is guessed. */
  @Override
  public boolean plansFromGuesses() {
    return true;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String path = args.str("path");
    String regexp = args.str("regexp");
    String search = args.str("search_string");
    String line = args.str("line");
    List<Object> warnings = new ArrayList<>();
    if ("".equals(regexp) || "".equals(search)) {
      String name = "".equals(regexp) ? "regular expression" : "search string";
      String w = "The " + name + " is an empty string, which will match every line in the file. This may have"
          + " unintended consequences, such as replacing the last line in the file rather than appending.";
      if ("".equals(regexp)) {
        w += " If this is desired, use '^' to match every line in the file and avoid this warning.";
      }
      warnings.add(w);
    }
    RemoteFile now = ctx.fact(RemoteFile.fact(path, null, RemoteFile.ALL));
    if (now.isDirectory()) {
      throw new ModuleException("Path " + path + " is a directory !", Map.of("rc", 256));
    }
    boolean present = args.str("state").equals("present");
    if (present) {
      if (args.bool("backrefs") && regexp == null) {
        throw new ModuleException("regexp is required with backrefs=true");
      }
      if (line == null) {
        throw new ModuleException("line is required with state=present");
      }
    } else if (regexp == null && search == null && line == null) {
      throw new ModuleException("one of line, search_string, or regexp is required with state=absent");
    }
    boolean exists = now.state().exists() && now.isFile();
    if (now.state().exists() && !now.isFile() && !(now.state().entry().kind() == PathState.Kind.LINK)) {
      throw new ModuleException("Path " + path + " is no regular file");
    }
    if (exists && now.content() == null) {
      throw new ModuleException("cannot read " + path + ": permission denied");
    }
    String dest = now.state().target() != null ? now.state().target() : path;
    String before = exists ? PyRegex.Latin1.of(now.content()) : "";
    PyRegex re = regexp == null ? null : PyRegex.bytes("regexp", regexp, 0);
    String searchBytes = search == null ? null : PyRegex.Latin1.of(search);
    String lineBytes = line == null ? null : PyRegex.Latin1.of(line);

    LineEdit.Result result;
    if (present) {
      if (!exists && !args.bool("create")) {
        throw new ModuleException("Destination " + path + " does not exist !", Map.of("rc", 257));
      }
      String after = args.str("insertafter");
      String beforeOpt = args.str("insertbefore");
      if (after == null && beforeOpt == null) {
        after = "EOF";
      }
      result = LineEdit.present(before, "regexp", re, searchBytes, lineBytes, after, beforeOpt,
          args.bool("backrefs"), args.bool("firstmatch"));
    } else {
      if (!exists) {
        return new Plan.Noop("file not present", withWarnings(Map.of(), warnings, "file not present"));
      }
      result = LineEdit.absent(before, re, searchBytes, lineBytes);
    }

    byte[] newBytes = PyRegex.Latin1.bytes(result.text());
    Diff diff = new Diff(path + " (content)", utf8(now.content()), path + " (content)", utf8(newBytes));
    ContentChange c = new ContentChange(args, dest, now)
        .backup(args.bool("backup"))
        .backupKey("backup")
        .validate(args.str("validate"))
        .makeDirs(!exists)
        .diff(diff)
        .msg(result.msg());
    if (!present) {
      c.put("found", result.found());
    }
    if (!warnings.isEmpty()) {
      c.put("warnings", warnings);
    }
    if (result.changed()) {
      c.content(newBytes);
    } else if (!exists) {
      // Ansible's check mode and missing file: nothing to change, nothing to set.
      return new Plan.Noop("nothing to add to the missing " + path, withWarnings(Map.of("backup", ""), warnings, ""));
    }
    return c.plan(noopReason(present, path));
  }

  private static String noopReason(boolean present, String path) {
    return present ? "the line is already in " + path : "no such line in " + path;
  }

  private static Outcome withWarnings(Map<String, Object> data, List<Object> warnings, String msg) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(data);
    if (!warnings.isEmpty()) {
      out.put("warnings", warnings);
    }
    return Outcome.ok(out).withMsg(msg);
  }

  private static String utf8(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
