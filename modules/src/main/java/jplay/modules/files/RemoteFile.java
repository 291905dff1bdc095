package jplay.modules.files;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.ModuleException;
import jplay.engine.api.Shell;

/**
 * A file on the target read by one probe: its {@link PathState}, a checksum of its content and, when asked, the
 * content itself (base64 on the wire, so any byte survives; {@code od} where a system has no base64).
 *
 * <pre>{@code
 * RemoteFile now = ctx.fact(RemoteFile.fact("/etc/fstab", "sha1", RemoteFile.ALL));
 * now.content();   // the bytes, or null when the path is no readable regular file
 * }</pre>
 *
 * @param state the path's state, as {@link PathState} reads it
 * @param checksum the hex digest of the content (following a symlink), null when it is no readable regular file
 * @param content the content, null when not asked for or not readable; at most the limit asked for
 * @param truncated the file holds more than {@code content}
 * @param readable a regular file (after following a symlink) that the user can read; false for anything else
 */
public record RemoteFile(PathState state, String checksum, byte[] content, boolean truncated, boolean readable) {
  /** Read no content, only the checksum. */
  public static final long NONE = 0;
  /** Read the whole content. */
  public static final long ALL = -1;

  /** True if the path (after following a symlink) is a regular file. */
  public boolean isFile() {
    PathState.Entry e = state.entry();
    if (e == null) {
      return false;
    }
    if (e.kind() == PathState.Kind.LINK) {
      e = state.resolved();
    }
    return e != null && e.kind() == PathState.Kind.FILE;
  }

  public boolean isDirectory() {
    PathState.Entry e = state.entry();
    if (e != null && e.kind() == PathState.Kind.LINK) {
      e = state.resolved();
    }
    return e != null && e.kind() == PathState.Kind.DIRECTORY;
  }

  /** The entry that the content belongs to: a symlink's target, else the path's own. */
  public PathState.Entry fileEntry() {
    PathState.Entry e = state.entry();
    return e != null && e.kind() == PathState.Kind.LINK ? state.resolved() : e;
  }

  /**
   * The fact for {@code path}.
   *
   * @param algorithm the digest tool's prefix: sha1, sha224, sha256, sha384, sha512 or md5 ({@code sha1sum} ...);
   *     null for none
   * @param limit {@link #NONE}, {@link #ALL}, or at most this many bytes (one more is read to tell truncation)
   */
  public static Fact<RemoteFile> fact(String path, String algorithm, long limit) {
    return Fact.of(
        "remote-file " + algorithm + " " + limit + " " + path,
        probe(path, algorithm, limit),
        r -> parse(path, r).limitedTo(limit)).withGuess(ABSENT);
  }

  /** The guess that the file is new: no checksum or content, then the state of an absent path. */
  private static final Fact.Guess ABSENT = PathState.absent("state\n");

  /**
   * One probe for many paths (a copied tree): each path's probe in a subshell, separated by a marker line that
   * cannot be mistaken for probe output.
   */
  public static Fact<java.util.List<RemoteFile>> facts(java.util.List<String> paths, String algorithm, long limit) {
    StringBuilder s = new StringBuilder();
    for (String p : paths) {
      s.append("(\n").append(probe(p, algorithm, limit).script()).append(")\nprintf '").append(NEXT.replace("\n", "\\n"))
          .append("'\n");
    }
    return Fact.of(
        "remote-files " + algorithm + " " + limit + " " + String.join(" | ", paths),
        Command.of(s.toString()),
        r -> {
          String[] parts = r.stdout().split(java.util.regex.Pattern.quote(NEXT), -1);
          if (parts.length != paths.size() + 1) {
            throw new ModuleException("cannot read " + paths.size() + " paths: unexpected probe output");
          }
          java.util.List<RemoteFile> out = new java.util.ArrayList<>();
          for (int i = 0; i < paths.size(); i++) {
            out.add(parse(paths.get(i), new CommandResult(0, parts[i], r.stderr(), r.start(), r.end())).limitedTo(limit));
          }
          return out;
        });
  }

  private static final String NEXT = "\n@@jplay-next-path@@\n";

  static Command probe(String path, String algorithm, long limit) {
    StringBuilder s = new StringBuilder();
    s.append("p=").append(Shell.quote(path)).append('\n');
    s.append("if [ -f \"$p\" ] && [ -r \"$p\" ]; then\n");
    if (algorithm != null) {
      s.append("  printf 'checksum '; ").append(algorithm).append("sum < \"$p\" || echo\n");
    }
    if (limit != NONE) {
      String read = limit == ALL ? "cat -- \"$p\"" : "head -c " + (limit + 1) + " -- \"$p\"";
      // The whole file: base64 reads it itself (one process instead of two).
      String encode = limit == ALL ? "base64 -- \"$p\"" : read + " | base64";
      s.append("  if command -v base64 >/dev/null 2>&1; then echo content-base64; ").append(encode).append(";\n")
          .append("  else echo content-od; ").append(read).append(" | od -An -v -tx1; fi\n")
          .append("  echo end-content\n");
    }
    s.append("elif [ -f \"$p\" ]; then echo unreadable\n");
    s.append("fi\n");
    s.append("echo state\n");
    s.append(PathState.probe(path).script());
    return Command.of(s.toString());
  }

  static RemoteFile parse(String path, CommandResult r) {
    String out = r.stdout();
    int cut = out.startsWith("state\n") ? 0 : out.indexOf("\nstate\n") + 1;
    if (cut <= 0 && !out.startsWith("state\n")) {
      throw new ModuleException(
          "cannot read " + path + ": " + (r.stderr().isBlank() ? "unexpected probe output" : r.stderr().strip()));
    }
    PathState state = PathState.parse(path, new CommandResult(r.rc(), out.substring(cut + "state\n".length()),
        r.stderr(), r.start(), r.end()));
    String head = out.substring(0, cut);
    String checksum = null;
    byte[] content = null;
    boolean readable = true;
    String[] lines = head.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("checksum ")) {
        String[] f = line.substring(9).trim().split("\\s+");
        checksum = f.length > 0 && f[0].matches("[0-9a-f]+") ? f[0] : null;
      } else if (line.equals("unreadable")) {
        readable = false;
      } else if (line.equals("content-base64") || line.equals("content-od")) {
        StringBuilder body = new StringBuilder();
        int j = i + 1;
        while (j < lines.length && !lines[j].equals("end-content")) {
          body.append(lines[j]).append('\n');
          j++;
        }
        if (j >= lines.length) {
          throw new ModuleException("cannot read " + path + ": the content was cut short");
        }
        content = line.equals("content-base64") ? Base64.getMimeDecoder().decode(body.toString()) : od(body.toString());
        i = j;
      }
    }
    RemoteFile file = new RemoteFile(state, checksum, content, false, readable);
    return file.isFile() ? file : new RemoteFile(state, null, null, false, false);
  }

  /** With a limit, whether more was there than asked: the probe reads one byte more than the limit. */
  RemoteFile limitedTo(long limit) {
    if (limit <= 0 || content == null || content.length <= limit) {
      return this;
    }
    byte[] head = java.util.Arrays.copyOf(content, (int) limit);
    return new RemoteFile(state, checksum, head, true, readable);
  }

  private static byte[] od(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String tok : text.trim().split("\\s+")) {
      if (!tok.isEmpty()) {
        out.write(Integer.parseInt(tok, 16));
      }
    }
    return out.toByteArray();
  }
}
