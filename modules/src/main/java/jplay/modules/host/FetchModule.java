package jplay.modules.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
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
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code fetch}: one round trip reads the remote file's state and SHA-1; when the controller's copy
 * differs, the change reads the file as base64 and the engine writes it atomically on the controller
 * ({@link ModuleContext#writeLocal}). Check mode reads no content and writes nothing; a matching copy is not
 * rewritten.
 */
public final class FetchModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("fetch")
          .aliases("ansible.builtin.fetch")
          .summary("Fetch files from remote nodes")
          .description(
              "Copies a file from the host to the controller, into dest/HOSTNAME/SRC (the full remote path under a"
                  + " folder per host) or, with flat, to dest itself. The copy is written only when its SHA-1"
                  + " differs from the remote file's, through a temp file renamed into place. Needs sha1sum and"
                  + " base64 (coreutils) on the host. Directories cannot be fetched.")
          .param(Param.str("src").required().doc("The file on the host to fetch; a file, not a directory."))
          .param(Param.str("dest").required()
              .doc("A folder on the controller (relative to the playbook's folder) to save into; with flat, the"
                  + " file name itself, or a folder when it ends in '/'."))
          .param(Param.bool("flat").defaultValue(false)
              .doc("Save to dest as given instead of dest/HOSTNAME/SRC."))
          .param(Param.bool("fail_on_missing").defaultValue(true)
              .doc("Fail when src is missing, unreadable or a directory; otherwise say so and go on."))
          .param(Param.bool("validate_checksum").defaultValue(true)
              .doc("Check the SHA-1 of what was received against the remote file's before writing it."))
          .examples(
              """
              - name: Bring back each node's kubeadm config
                fetch:
                  src: /etc/kubernetes/kubeadm.yaml
                  dest: collected
              - name: One file, exactly here
                fetch: src=/etc/os-release dest=os-release-{{ inventory_hostname }} flat=yes
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** What the host said about src: its kind (file, dir, missing, unreadable) and, for a file, its SHA-1. */
  record Remote(String kind, String sha1) {}

  static Fact<Remote> stat(String src) {
    String f = Shell.quote(src);
    String script = "f=" + f + "\n"
        + "if [ -d \"$f\" ]; then echo dir; elif [ ! -e \"$f\" ]; then echo missing;"
        + " elif [ ! -r \"$f\" ]; then echo unreadable;"
        + " else s=$(sha1sum < \"$f\") || exit 1; echo \"file ${s%% *}\"; fi";
    return Fact.of("fetch stat " + src, Command.of(script).probe(), r -> {
      String[] w = r.stdout().strip().split(" ");
      if (!r.ok() || w[0].isEmpty()) {
        throw new ModuleException("cannot read " + src + " on the host: "
            + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
      }
      return new Remote(w[0], w.length > 1 ? w[1] : null);
    });
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String src = args.str("src");
    boolean failOnMissing = args.bool("fail_on_missing");
    Remote remote = ctx.fact(stat(src));
    if (!remote.kind().equals("file")) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("file", src);
      String msg = switch (remote.kind()) {
        case "dir" -> "remote file is a directory, fetch cannot work on directories"
            + (failOnMissing ? "" : ", not transferring, ignored");
        case "missing" -> "the remote file does not exist, not transferring, ignored";
        default -> "file is not readable: " + src + (failOnMissing ? "" : ", not transferring, ignored");
      };
      return new Plan.Noop(remote.kind(), failOnMissing ? Outcome.failed(msg, data) : Outcome.ok(data).withMsg(msg));
    }
    Path dest = destination(ctx, args.str("dest"), src, args.bool("flat"));
    String local = sha1(dest);
    if (remote.sha1().equals(local)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("md5sum", md5(read(dest)));
      data.put("file", src);
      data.put("dest", dest.toString());
      data.put("checksum", local);
      return Plan.noop("the controller's copy matches", data);
    }
    Map<String, Object> planned = new LinkedHashMap<>();
    planned.put("dest", dest.toString());
    planned.put("remote_md5sum", null);
    planned.put("remote_checksum", remote.sha1());
    Command read = Command.of("base64 < " + Shell.quote(src)).probe();
    boolean validate = args.bool("validate_checksum");
    return new Plan.Change(List.of(read), null, Outcome.changed(planned), results -> {
      CommandResult r = results.get(0);
      if (!r.ok()) {
        return Outcome.failed("cannot read " + src + " on the host: " + r.stderr().strip(), Map.of("file", src));
      }
      byte[] content;
      try {
        content = Base64.getMimeDecoder().decode(r.stdout().getBytes(StandardCharsets.US_ASCII));
      } catch (IllegalArgumentException e) {
        return Outcome.failed("the host's base64 output is not valid: " + e.getMessage(), Map.of("file", src));
      }
      String got = hex("SHA-1", content);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("md5sum", md5(content));
      if (validate && !got.equals(remote.sha1())) {
        data.put("file", src);
        data.put("dest", dest.toString());
        data.put("remote_md5sum", null);
        data.put("checksum", got);
        data.put("remote_checksum", remote.sha1());
        return Outcome.failed("checksum mismatch", data);
      }
      ctx.writeLocal(dest, content);
      data.put("dest", dest.toString());
      data.put("remote_md5sum", null);
      data.put("checksum", got);
      data.put("remote_checksum", remote.sha1());
      return Outcome.changed(data);
    });
  }

  /** Ansible's dest: dest/HOST/SRC, or with flat dest itself (a folder when it ends in '/'); never outside dest. */
  static Path destination(ModuleContext ctx, String dest, String src, boolean flat) {
    Path base = Path.of(dest);
    if (!base.isAbsolute()) {
      Object dir = ctx.vars().get("playbook_dir");
      base = (dir == null ? Path.of("").toAbsolutePath() : Path.of(String.valueOf(dir))).resolve(base);
    }
    Path out;
    if (flat) {
      if (Files.isDirectory(base) && !dest.endsWith("/")) {
        throw new ModuleException(
            "dest is an existing directory, use a trailing slash if you want to fetch src into that directory");
      }
      String name = Path.of(src).getFileName() == null ? src : Path.of(src).getFileName().toString();
      out = dest.endsWith("/") ? base.resolve(name) : base;
    } else {
      String rel = (ctx.host() + "/" + src).replaceAll("/+", "/");
      out = base.resolve(rel);
    }
    out = out.normalize();
    Path root = base.normalize();
    if (!out.startsWith(root)) {
      throw new ModuleException("Detected directory traversal, expected to be contained in '" + root + "' but got '"
          + out + "'");
    }
    return out;
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new ModuleException("cannot read " + p + " on the controller: " + e);
    }
  }

  /** The controller copy's SHA-1, null when there is none. */
  static String sha1(Path p) {
    return Files.isRegularFile(p) ? hex("SHA-1", read(p)) : null;
  }

  private static String md5(byte[] content) {
    return hex("MD5", content);
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }
}
