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
 * Ansible's {@code blockinfile}: a block of lines between two marker lines, inserted, replaced or removed. The
 * algorithm is Ansible's, on the file's bytes; a change is one atomic write.
 */
public final class BlockInFile implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("blockinfile")
            .aliases("ansible.builtin.blockinfile")
            .summary("Insert/update/remove a text block surrounded by marker lines")
            .description(
                "Manages a block of lines between a begin and an end marker line. The block is found by its"
                    + " markers; a block without both markers is inserted per insertafter/insertbefore.")
            .param(Param.path("path").required().aliases("dest", "destfile", "name").doc("The file to modify."))
            .param(
                Param.str("state")
                    .defaultValue("present")
                    .choices("absent", "present")
                    .doc("Whether the block should be there or not."))
            .param(
                Param.str("marker")
                    .defaultValue("# {mark} ANSIBLE MANAGED BLOCK")
                    .doc(
                        "The marker line template; {mark} becomes marker_begin or marker_end. Use a different"
                            + " marker for each block in one file."))
            .param(
                Param.str("block")
                    .defaultValue("")
                    .aliases("content")
                    .doc("The text to put between the markers; empty removes the block (as state=absent)."))
            .param(
                Param.str("insertafter")
                    .doc(
                        "Without markers in the file: insert after the last line matching this regular expression,"
                            + " or EOF (the default). Applied to the whole file when the regex sets (?m)."))
            .param(Param.str("insertbefore").doc("As insertafter, but before the match; BOF for the beginning."))
            .param(Param.bool("create").defaultValue(false).doc("Create the file (and its directories) if missing."))
            .param(
                Param.bool("backup")
                    .defaultValue(false)
                    .doc("Keep a timestamped copy of the original; its path is returned as backup_file."))
            .param(
                Param.str("validate")
                    .doc("A command that checks the new file before it replaces the old one; %s is the file."))
            .param(Param.str("marker_begin").defaultValue("BEGIN").doc("What {mark} becomes in the first marker."))
            .param(Param.str("marker_end").defaultValue("END").doc("What {mark} becomes in the last marker."));
    Attrs.params().forEach(b::param);
    SPEC =
        b.mutuallyExclusive("insertbefore", "insertafter")
            .examples(
                """
                - name: Match users in sshd_config
                  blockinfile:
                    path: /etc/ssh/sshd_config
                    block: |
                      Match User ansible-agent
                      PasswordAuthentication no
                - name: Hosts, with our own markers
                  blockinfile:
                    path: /etc/hosts
                    marker: "# {mark} cluster nodes"
                    block: |
                      10.0.0.1 node1
                      10.0.0.2 node2
                - name: Gone again
                  blockinfile:
                    path: /etc/hosts
                    marker: "# {mark} cluster nodes"
                    state: absent
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
    RemoteFile now = ctx.fact(RemoteFile.fact(path, null, RemoteFile.ALL));
    if (now.isDirectory()) {
      throw new ModuleException("Path " + path + " is a directory !", Map.of("rc", 256));
    }
    boolean exists = now.isFile();
    boolean present = args.str("state").equals("present");
    if (!exists) {
      if (!args.bool("create")) {
        throw new ModuleException("Path " + path + " does not exist !", Map.of("rc", 257));
      }
    } else if (now.content() == null) {
      throw new ModuleException("cannot read " + path + ": permission denied");
    }
    if (!present && !exists) {
      return new Plan.Noop("no file, no block", Outcome.ok(Map.of()).withMsg("File " + path + " not present"));
    }
    String original = exists ? PyRegex.Latin1.of(now.content()) : null;
    String result = edit(original, present, PyRegex.Latin1.of(args.str("block")), PyRegex.Latin1.of(args.str("marker")),
        PyRegex.Latin1.of(args.str("marker_begin")), PyRegex.Latin1.of(args.str("marker_end")),
        args.str("insertafter"), args.str("insertbefore"));
    String msg;
    if (result.equals(original)) {
      msg = "";
    } else if (original == null) {
      msg = "File created";
    } else if (!present || args.str("block").isEmpty()) {
      msg = "Block removed";
    } else {
      msg = "Block inserted";
    }
    byte[] bytes = PyRegex.Latin1.bytes(result);
    Diff diff = new Diff(path + " (content)", original == null ? "" : utf8(now.content()), path + " (content)",
        utf8(bytes));
    String dest = now.state().target() != null ? now.state().target() : path;
    ContentChange c = new ContentChange(args, dest, now)
        .backup(args.bool("backup"))
        .validate(args.str("validate"))
        .makeDirs(!exists)
        .diff(diff)
        .msg(msg);
    if (!msg.isEmpty()) {
      c.content(bytes);
    } else if (!exists) {
      return new Plan.Noop("nothing to write to the missing " + path, Outcome.ok(Map.of()));
    }
    return c.plan("the block in " + path + " is as asked");
  }

  /**
   * Ansible's algorithm. All strings are Latin-1 (one char per byte); {@code original} is null for a missing file.
   */
  static String edit(String original, boolean present, String block, String marker, String markerBegin,
      String markerEnd, String insertafter, String insertbefore) {
    List<String> lines = original == null ? new ArrayList<>() : splitKeep(original);
    if (insertbefore == null && insertafter == null) {
      insertafter = "EOF";
    }
    PyRegex insertre = null;
    if (insertafter != null && !insertafter.equals("EOF")) {
      insertre = PyRegex.bytes("insertafter", insertafter, 0);
    } else if (insertbefore != null && !insertbefore.equals("BOF")) {
      insertre = PyRegex.bytes("insertbefore", insertbefore, 0);
    }
    String marker0 = marker.replace("{mark}", markerBegin) + "\n";
    String marker1 = marker.replace("{mark}", markerEnd) + "\n";
    List<String> blocklines = new ArrayList<>();
    if (present && !block.isEmpty()) {
      String b = block.endsWith("\n") ? block : block + "\n";
      blocklines.add(marker0);
      blocklines.addAll(splitKeep(b));
      blocklines.add(marker1);
    }
    Integer n0 = null;
    Integer n1 = null;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals(marker0)) {
        n0 = i;
      }
      if (lines.get(i).equals(marker1)) {
        n1 = i;
      }
    }
    if (n0 == null || n1 == null) {
      n0 = null;
      if (insertre != null) {
        if (insertre.multiline()) {
          String text = original == null ? "" : original;
          java.util.regex.Matcher m = insertre.matcher(text);
          if (m.find()) {
            if (insertafter != null) {
              n0 = count(text, m.end());
            } else if (insertbefore != null) {
              n0 = count(text, m.start());
            }
          }
        } else {
          for (int i = 0; i < lines.size(); i++) {
            if (insertre.search(lines.get(i))) {
              n0 = i;
            }
          }
        }
        if (n0 == null) {
          n0 = lines.size();
        } else if (insertafter != null) {
          n0 += 1;
        }
      } else if (insertbefore != null) {
        n0 = 0;
      } else {
        n0 = lines.size();
      }
    } else if (n0 < n1) {
      lines.subList(n0, n1 + 1).clear();
    } else {
      lines.subList(n1, n0 + 1).clear();
      n0 = n1;
    }
    if (n0 > 0 && !lines.get(n0 - 1).endsWith("\n")) {
      lines.set(n0 - 1, lines.get(n0 - 1) + "\n");
    }
    lines.addAll(n0, blocklines);
    return String.join("", lines);
  }

  private static int count(String text, int end) {
    int n = 0;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /**
   * Python's {@code bytes.splitlines(True)}: breaks at \n, \r\n and \r (bytes know no other line breaks), each
   * line keeping its break.
   */
  static List<String> splitKeep(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        out.add(s.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
