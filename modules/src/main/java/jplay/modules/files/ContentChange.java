package jplay.modules.files;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;

/**
 * The plan shared by the modules that write a file's content (copy, template, lineinfile, blockinfile, replace):
 * nothing when content and attributes are as asked; only chown/chgrp/chmod when the content is; else one atomic
 * {@link FileWrite} that carries the final attributes. Every change ends with a {@link PathState} probe, so the
 * returned values are what the host holds afterwards.
 */
final class ContentChange {
  /** Ansible's default {@code max_file_size_for_diff}. */
  static final int MAX_DIFF_SIZE = 104448;

  private final Args args;
  private final String dest;
  private final RemoteFile current;
  private byte[] content;
  private String validate;
  private boolean backup;
  private boolean makeDirs;
  private String keyForInfo;
  private Diff diff;
  private String msg = "";
  private String attrsMsg = "ownership, perms or SE linux context changed";
  private String backupKey = "backup_file";
  private final Map<String, Object> data = new LinkedHashMap<>();
  private Integer mode;
  private String remoteSource;
  private String remoteChecksum;
  private boolean replaceLink;

  /**
   * @param dest the real path to write (a symlink already resolved when the module writes through links)
   * @param current the path as it is now
   */
  ContentChange(Args args, String dest, RemoteFile current) {
    this.args = args;
    this.dest = dest;
    this.current = current;
  }

  /** The new content; null or equal to the current content means the content stays. */
  ContentChange content(byte[] bytes) {
    this.content = bytes;
    return this;
  }

  /** The content comes from a file on the target with this checksum (copy with remote_src). */
  ContentChange remoteSource(String path, String checksum) {
    this.remoteSource = path;
    this.remoteChecksum = checksum;
    return this;
  }

  /** {@code dest} is a symlink that the new file replaces (copy without follow): always written, as new. */
  ContentChange replaceLink(boolean on) {
    this.replaceLink = on;
    return this;
  }

  ContentChange validate(String command) {
    this.validate = command;
    return this;
  }

  ContentChange backup(boolean on) {
    this.backup = on;
    return this;
  }

  /** Ansible's key for the backup's path: lineinfile says {@code backup}, the others {@code backup_file}. */
  ContentChange backupKey(String key) {
    this.backupKey = key;
    return this;
  }

  ContentChange makeDirs(boolean on) {
    this.makeDirs = on;
    return this;
  }

  /** Adds the path's uid, gid, owner, group, mode, state and size to the values (Ansible's add_path_info). */
  ContentChange pathInfo(String key) {
    this.keyForInfo = key;
    return this;
  }

  ContentChange diff(Diff d) {
    this.diff = d;
    return this;
  }

  /** The message when the content changes ("line added"); attribute changes are appended to it. */
  ContentChange msg(String text) {
    this.msg = text;
    return this;
  }

  /** A mode that overrides the one the arguments give (copy's {@code mode: preserve}). */
  ContentChange mode(int m) {
    this.mode = m;
    return this;
  }

  ContentChange put(String key, Object value) {
    data.put(key, value);
    return this;
  }

  /** True when the content must be written: the path is no regular file, or its content differs. */
  boolean writes() {
    if (remoteSource != null) {
      return replaceLink || !current.isFile() || current.checksum() == null
          || !current.checksum().equals(remoteChecksum);
    }
    if (content == null) {
      return false;
    }
    if (replaceLink || !current.isFile()) {
      return true;
    }
    if (current.content() != null && !current.truncated()) {
      return !java.util.Arrays.equals(current.content(), content);
    }
    return current.checksum() == null || !current.checksum().equals(Checksums.hex("SHA-1", content));
  }

  Plan plan(String noopReason) {
    int umask = current.state().umask();
    PathState.Entry existing = current.isFile() && !replaceLink ? current.fileEntry() : null;
    if (writes()) {
      String owner = args.str("owner");
      String group = args.str("group");
      int finalMode = mode != null ? mode : Attrs.finalMode(args, existing, umask);
      String keep = existing == null ? null : existing.uid() + ":" + existing.gid();
      FileWrite w = new FileWrite(dest, remoteSource == null ? content : null, finalMode, owner, group, keep, validate, backup,
          makeDirs, remoteSource);
      Diff d = diff;
      if (d == null && existing != null) {
        d = attrsDiff(attrs(existing));
      }
      return change(List.of(w.command()), d, msg, true);
    }
    if (existing == null) {
      throw new ModuleException("cannot set the attributes of " + dest + ": it is no regular file");
    }
    Attrs a = attrs(existing);
    if (!a.changed()) {
      Map<String, Object> out = new LinkedHashMap<>(data);
      if (keyForInfo != null) {
        out.putAll(existing.info());
      }
      if (backupKey.equals("backup")) {
        out.put("backup", "");
      }
      return new Plan.Noop(noopReason, Outcome.ok(out).withMsg(msg.isEmpty() ? "" : msg));
    }
    return change(a.commands, attrsDiff(a), msg.isEmpty() ? attrsMsg : msg + " and " + attrsMsg, false);
  }

  private Attrs attrs(PathState.Entry existing) {
    String spec = mode != null ? String.format("%04o", mode) : args.str("mode");
    return Attrs.of(spec, args.str("owner"), args.str("group"), dest, existing, current.state().umask());
  }

  private Diff attrsDiff(Attrs a) {
    if (a.before.isEmpty()) {
      return null;
    }
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("path", dest);
    before.putAll(a.before);
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("path", dest);
    after.putAll(a.after);
    return FileModule.diff(dest + " (file attributes)", before, after);
  }

  private Plan change(List<Command> commands, Diff d, String message, boolean writing) {
    List<Command> all = new ArrayList<>(commands);
    if (keyForInfo != null) {
      all.add(PathState.probe(dest));
    }
    Map<String, Object> checkData = new LinkedHashMap<>(data);
    if (backupKey.equals("backup")) {
      checkData.put("backup", "");
    }
    Outcome check = Outcome.changed(checkData).withMsg(message).withDiff(d);
    return new Plan.Change(all, d, check, results -> interpret(results, all.size(), d, message, writing));
  }

  private Outcome interpret(List<CommandResult> results, int planned, Diff d, String message, boolean writing) {
    Map<String, Object> out = new LinkedHashMap<>(data);
    for (CommandResult r : results) {
      if (!r.ok()) {
        return Outcome.failed(writing ? FileWrite.failure(r) : failure(r), out).withDiff(d);
      }
    }
    String backupFile = writing ? FileWrite.backupFile(results.get(0)) : null;
    if (backupFile != null) {
      out.put(backupKey, backupFile);
    } else if (backupKey.equals("backup")) {
      out.put("backup", "");
    }
    if (keyForInfo != null && results.size() == planned) {
      PathState after = PathState.parse(dest, results.get(results.size() - 1));
      if (after.exists()) {
        out.putAll(after.entry().info());
      }
    }
    return Outcome.changed(out).withMsg(message).withDiff(d);
  }

  private static String failure(CommandResult r) {
    String err = r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip();
    return err.isEmpty() ? "command failed with exit code " + r.rc() : err;
  }

  /** The bytes as text for a diff, or null when they are not UTF-8 text (Ansible: "appears to be binary"). */
  static String text(byte[] bytes) {
    if (bytes == null) {
      return "";
    }
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * A content diff as Ansible shows it: the texts, or one line saying why the diff is skipped (binary, too large).
   *
   * @param before the current content, null when the file does not exist
   */
  static Diff contentDiff(String beforeHeader, byte[] before, boolean beforeTruncated, String afterHeader,
      byte[] after) {
    String b = text(before);
    String a = text(after);
    if (beforeTruncated || before != null && before.length > MAX_DIFF_SIZE) {
      return new Diff(beforeHeader, "", afterHeader,
          "diff skipped: destination file size is greater than " + MAX_DIFF_SIZE + "\n");
    }
    if (after.length > MAX_DIFF_SIZE) {
      return new Diff(beforeHeader, "", afterHeader,
          "diff skipped: source file size is greater than " + MAX_DIFF_SIZE + "\n");
    }
    if (b == null) {
      return new Diff(beforeHeader, "", afterHeader, "diff skipped: destination file appears to be binary\n");
    }
    if (a == null) {
      return new Diff(beforeHeader, "", afterHeader, "diff skipped: source file appears to be binary\n");
    }
    return new Diff(beforeHeader, b, afterHeader, a);
  }
}
