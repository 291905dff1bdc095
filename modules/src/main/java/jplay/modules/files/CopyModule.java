package jplay.modules.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code copy}: a controller file, a controller directory tree, inline {@code content}, or (remote_src)
 * a file already on the target, to {@code dest}. Checksums first: one probe reads the destination's sha1 and stat
 * (one probe for a whole tree), and only what differs travels, as the write command's standard input, into a temp
 * file beside the destination that is renamed over it.
 */
public final class CopyModule implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("copy")
            .aliases("ansible.builtin.copy")
            .summary("Copy files to remote locations")
            .description(
                "Copies a file or a directory tree from the controller (or, with remote_src, a file on the target)"
                    + " to the target, or writes 'content' there. Nothing is sent when the destination's checksum"
                    + " already matches; then only mode, owner and group are set if they differ.")
            .param(
                Param.path("src")
                    .doc(
                        "The file or directory to copy. Relative paths are looked up in the role's files/, the role,"
                            + " the playbook's files/ and the playbook folder. A directory ending with '/' copies"
                            + " what is inside it; without, the directory itself."))
            .param(
                Param.raw("content")
                    .noLog()
                    .doc("The file's content, instead of src; a mapping or list is written as JSON."))
            .param(
                Param.path("dest")
                    .required()
                    .doc(
                        "Where to copy to. A path ending with '/' (or an existing directory) receives the file"
                            + " under its own name; missing parent directories are then created."))
            .param(
                Param.bool("backup")
                    .defaultValue(false)
                    .doc("Keep a timestamped copy of the file being replaced; its path is returned as backup_file."))
            .param(
                Param.bool("force")
                    .defaultValue(true)
                    .doc("Replace a destination whose content differs; with no, only copy when it is missing."))
            .param(
                Param.bool("remote_src")
                    .defaultValue(false)
                    .doc("src is a file on the target, not on the controller."))
            .param(
                Param.str("validate")
                    .doc("A command that checks the new file before it replaces the old one; %s is the file."))
            .param(
                Param.mode("directory_mode")
                    .doc("Mode of the directories a recursive copy creates (and sets on those it copies into)."))
            .param(
                Param.bool("follow")
                    .defaultValue(false)
                    .doc("When dest is a symlink, write to its target instead of replacing the link."))
            .param(
                Param.bool("local_follow")
                    .defaultValue(true)
                    .doc("Follow symlinks in the controller-side source tree."))
            .param(
                Param.str("checksum")
                    .doc("The sha1 the source must have; the copy fails otherwise."));
    Attrs.params().forEach(b::param);
    SPEC =
        b.mutuallyExclusive("src", "content")
            .requiredOneOf("src", "content")
            .examples(
                """
                - name: A config file from the role's files/
                  copy:
                    src: app.conf
                    dest: /etc/app/app.conf
                    owner: root
                    mode: "0644"
                    backup: yes
                - name: Inline content, checked before it goes live
                  copy:
                    content: "%admin ALL=(ALL) NOPASSWD: ALL\\n"
                    dest: /etc/sudoers.d/admin
                    mode: "0440"
                    validate: visudo -cf %s
                - name: A whole tree
                  copy:
                    src: site/
                    dest: /srv/www/
                    directory_mode: "0755"
                - name: A file already on the host
                  copy: src=/etc/hosts dest=/tmp/hosts.bak remote_src=yes
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
    String dest = args.str("dest");
    if (dest.isEmpty()) {
      throw new ModuleException("dest is required");
    }
    if (args.has("content")) {
      if (dest.endsWith("/")) {
        throw new ModuleException("can not use content with a dir as dest");
      }
      byte[] bytes = contentBytes(args.raw("content"));
      return single(ctx, null, bytes, -1, dest, "content");
    }
    String src = args.str("src");
    if (args.bool("remote_src")) {
      return remote(ctx, src, dest);
    }
    Path local = LocalSource.find(ctx, "files", src);
    if (Files.isDirectory(local)) {
      return tree(ctx, local, src.endsWith("/"), dest);
    }
    byte[] bytes = LocalSource.read(local);
    return single(ctx, local, bytes, LocalSource.mode(local), dest, local.toString());
  }

  static byte[] contentBytes(Object content) {
    if (content instanceof Map<?, ?> || content instanceof List<?>) {
      return asciiJson(jplay.engine.output.Json.write(content)).getBytes(StandardCharsets.UTF_8);
    }
    return String.valueOf(content).getBytes(StandardCharsets.UTF_8);
  }

  /** Python's json.dumps escapes every non-ASCII character (ensure_ascii), so Ansible's content does too. */
  private static String asciiJson(String json) {
    StringBuilder sb = new StringBuilder(json.length());
    for (char ch : json.toCharArray()) {
      if (ch > 0x7e) {
        sb.append(String.format("\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** One file: from the controller (local is its path) or inline content (local null). */
  static Plan single(ModuleContext ctx, Path local, byte[] bytes, int localMode, String dest, String srcShown) {
    Args args = ctx.args();
    String sum = Checksums.sha1(bytes);
    if (args.has("checksum") && !args.str("checksum").equalsIgnoreCase(sum)) {
      throw new ModuleException("Copied file does not match the expected checksum. Transfer failed.",
          Map.of("checksum", sum, "expected_checksum", args.str("checksum")));
    }
    long limit = ctx.diffMode() ? ContentChange.MAX_DIFF_SIZE : RemoteFile.NONE;
    String name = local == null ? "" : local.getFileName().toString();
    String target = dest.endsWith("/") ? dest + name : dest;
    RemoteFile now = ctx.fact(RemoteFile.fact(target, "sha1", limit));
    if (now.isDirectory() && !(now.state().entry().kind() == PathState.Kind.LINK && !args.bool("follow"))) {
      if (local == null) {
        throw new ModuleException("can not use content with a dir as dest");
      }
      target = target.endsWith("/") ? target + name : target + "/" + name;
      now = ctx.fact(RemoteFile.fact(target, "sha1", limit));
    }
    if (now.state().exists() && !args.bool("force")) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("dest", target);
      out.put("src", srcShown);
      return Plan.noop(target + " exists and force is off", out);
    }
    boolean link = now.state().exists() && now.state().entry().kind() == PathState.Kind.LINK;
    String writeTo = link && args.bool("follow") && now.state().target() != null ? now.state().target() : target;
    ContentChange c = new ContentChange(args, writeTo, now)
        .content(bytes)
        .replaceLink(link && !args.bool("follow"))
        .backup(args.bool("backup"))
        .validate(args.str("validate"))
        .makeDirs(dest.endsWith("/"))
        .pathInfo("dest");
    if ("preserve".equals(args.str("mode"))) {
      if (localMode < 0) {
        throw new ModuleException("mode 'preserve' needs a src file to take the mode from, not content");
      }
      c.mode(localMode);
    }
    c.put("dest", writeTo);
    boolean writes = c.writes();
    if (writes) {
      c.put("src", srcShown);
      c.put("md5sum", Checksums.md5(bytes));
      c.put("checksum", sum);
      c.diff(ContentChange.contentDiff(target, now.isFile() && !link ? orEmpty(now) : null,
          now.truncated(), local == null ? "dynamically generated" : local.toString(), bytes));
    } else {
      c.put("path", writeTo);
      c.put("checksum", sum);
    }
    return c.plan(target + " has the same content");
  }

  private static byte[] orEmpty(RemoteFile now) {
    return now.content() == null ? new byte[0] : now.content();
  }

  /** remote_src: a file on the target to {@code dest}, compared by checksum there. */
  private static Plan remote(ModuleContext ctx, String src, String dest) {
    Args args = ctx.args();
    RemoteFile source = ctx.fact(RemoteFile.fact(src, "sha1", RemoteFile.NONE));
    if (!source.state().exists()) {
      throw new ModuleException("Source " + src + " not found");
    }
    if (source.isDirectory()) {
      throw new ModuleException(
          "Cannot copy the directory '" + src + "' with remote_src: jplay copies single files on the target");
    }
    if (!source.isFile()) {
      throw new ModuleException("Cannot copy invalid source '" + src + "': not a file");
    }
    if (!source.readable() || source.checksum() == null) {
      throw new ModuleException("Source " + src + " not readable");
    }
    if (args.has("checksum") && !args.str("checksum").equalsIgnoreCase(source.checksum())) {
      throw new ModuleException("Copied file does not match the expected checksum. Transfer failed.",
          Map.of("checksum", source.checksum(), "expected_checksum", args.str("checksum")));
    }
    String target = dest.endsWith("/") ? dest + Path.of(src).getFileName() : dest;
    RemoteFile now = ctx.fact(RemoteFile.fact(target, "sha1", RemoteFile.NONE));
    if (now.isDirectory()) {
      target = target + "/" + Path.of(src).getFileName();
      now = ctx.fact(RemoteFile.fact(target, "sha1", RemoteFile.NONE));
    }
    if (now.state().exists() && !args.bool("force")) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("dest", target);
      out.put("src", src);
      return new Plan.Noop(target + " exists and force is off", Outcome.ok(out).withMsg("file already exists"));
    }
    boolean link = now.state().exists() && now.state().entry().kind() == PathState.Kind.LINK;
    String writeTo = link && args.bool("follow") && now.state().target() != null ? now.state().target() : target;
    ContentChange c = new ContentChange(args, writeTo, now)
        .remoteSource(src, source.checksum())
        .replaceLink(link && !args.bool("follow"))
        .backup(args.bool("backup"))
        .validate(args.str("validate"))
        .makeDirs(dest.endsWith("/"))
        .pathInfo("dest");
    if ("preserve".equals(args.str("mode"))) {
      c.mode(source.fileEntry().mode());
    }
    c.put("dest", writeTo);
    c.put("src", src);
    c.put("checksum", source.checksum());
    return c.plan(target + " has the same content as " + src);
  }

  /** A controller directory: one probe for every path of the tree, then one command per thing that differs. */
  private static Plan tree(ModuleContext ctx, Path top, boolean contentsOnly, String dest) {
    Args args = ctx.args();
    List<LocalSource.Item> files = new ArrayList<>();
    List<LocalSource.Dir> dirs = new ArrayList<>();
    LocalSource.walk(top, contentsOnly, args.bool("local_follow"), files, dirs);
    String root = dest.endsWith("/") ? dest : dest + "/";
    List<String> paths = new ArrayList<>();
    paths.add(root.length() > 1 ? root.substring(0, root.length() - 1) : root);
    dirs.forEach(d -> paths.add(root + d.relative()));
    files.forEach(f -> paths.add(root + f.relative()));
    List<RemoteFile> states = ctx.fact(RemoteFile.facts(paths, "sha1", RemoteFile.NONE));
    int umask = states.get(0).state().umask();
    String dirMode = args.str("directory_mode");
    List<Command> commands = new ArrayList<>();
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    // The destination itself and the tree's directories: created when missing, else given directory_mode.
    for (int i = 0; i < dirs.size() + 1; i++) {
      String path = paths.get(i);
      RemoteFile st = states.get(i);
      if (!st.state().exists()) {
        List<String> steps = new ArrayList<>();
        steps.add("mkdir -p -- " + Shell.quote(path));
        if (args.has("owner")) {
          steps.add("chown -- " + Shell.quote(args.str("owner")) + " " + Shell.quote(path));
        }
        if (args.has("group")) {
          steps.add("chgrp -- " + Shell.quote(args.str("group")) + " " + Shell.quote(path));
        }
        if (dirMode != null) {
          int want = Modes.resolve(dirMode, 0777 & ~umask, true, umask);
          steps.add("chmod -- " + String.format("%04o", want) + " " + Shell.quote(path));
        }
        commands.add(Command.of(String.join(" && ", steps)));
        before.append(path).append(": absent\n");
        after.append(path).append(": directory\n");
      } else if (!st.isDirectory()) {
        throw new ModuleException(path + " exists and is not a directory", Map.of("path", path));
      } else if (i > 0) {
        Attrs a = Attrs.of(dirMode, args.str("owner"), args.str("group"), path, st.fileEntry(), umask);
        commands.addAll(a.commands);
        a.before.forEach((k, v) -> before.append(path).append(": ").append(k).append(' ').append(v).append('\n'));
        a.after.forEach((k, v) -> after.append(path).append(": ").append(k).append(' ').append(v).append('\n'));
      }
    }
    for (int i = 0; i < files.size(); i++) {
      LocalSource.Item f = files.get(i);
      RemoteFile st = states.get(1 + dirs.size() + i);
      String path = paths.get(1 + dirs.size() + i);
      if (st.state().exists() && !args.bool("force")) {
        continue;
      }
      if (st.isDirectory()) {
        throw new ModuleException(path + " is a directory, cannot copy the file " + f.local() + " over it");
      }
      ContentChange c = new ContentChange(args, path, st)
          .content(f.bytes())
          .replaceLink(st.state().exists() && st.state().entry().kind() == PathState.Kind.LINK)
          .validate(args.str("validate"))
          .backup(args.bool("backup"))
          .makeDirs(true);
      if ("preserve".equals(args.str("mode"))) {
        c.mode(f.mode());
      }
      if (c.writes()) {
        before.append(path).append(": ").append(st.isFile() ? "sha1 " + st.checksum() : st.state().state())
            .append('\n');
        after.append(path).append(": sha1 ").append(Checksums.sha1(f.bytes())).append('\n');
      }
      Plan p = c.plan("");
      if (p instanceof Plan.Change ch) {
        // No pathInfo: a tree returns dest and src only, so no per-file stat probe follows the write.
        commands.addAll(ch.commands());
        if (!c.writes() && ch.diff() != null) {
          before.append(ch.diff().before());
          after.append(ch.diff().after());
        }
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dest", root);
    data.put("src", top.toString() + (contentsOnly ? "/" : ""));
    if (commands.isEmpty()) {
      return Plan.noop("every file below " + root + " is as asked", data);
    }
    Diff diff = Diff.of(root, before.toString(), after.toString());
    Outcome done = Outcome.changed(data).withDiff(diff);
    return new Plan.Change(commands, diff, done, results -> {
      for (CommandResult r : results) {
        if (!r.ok()) {
          return Outcome.failed(FileWrite.failure(r), data).withDiff(diff);
        }
      }
      return done;
    });
  }
}
