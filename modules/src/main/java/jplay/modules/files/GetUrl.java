package jplay.modules.files;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code get_url}: the target itself downloads with curl (or wget) into a temp file beside the
 * destination, which replaces the destination only when its content differs (and its checksum is the one asked
 * for). The URL, headers and credentials reach curl through {@code --config -} on standard input, never on its
 * command line.
 */
public final class GetUrl implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("get_url")
            .aliases("ansible.builtin.get_url")
            .summary("Downloads files from HTTP, HTTPS, or FTP to node")
            .description(
                "The target downloads the URL with curl (wget when there is no curl) and the file replaces dest"
                    + " only when its content differs. With a checksum, an existing dest with that checksum is not"
                    + " downloaded again; without, a dest that exists is fetched conditionally (If-Modified-Since)"
                    + " and compared. In check mode nothing is downloaded: a missing dest or a wrong checksum is"
                    + " reported as a change, and so is an existing dest without a checksum (it might differ).")
            .param(Param.str("url").required().doc("HTTP, HTTPS or FTP URL."))
            .param(
                Param.path("dest")
                    .required()
                    .doc("Where to write the file; a directory receives it under the URL's last path segment."))
            .param(
                Param.str("checksum")
                    .defaultValue("")
                    .doc(
                        "'<algorithm>:<hex digest>' (sha1, sha224, sha256, sha384, sha512, md5) the file must have;"
                            + " a download with another digest fails and changes nothing."))
            .param(
                Param.bool("force")
                    .defaultValue(false)
                    .doc("Download every time (and replace dest when the content differs), even with a checksum."))
            .param(
                Param.bool("backup")
                    .defaultValue(false)
                    .doc("Keep a timestamped copy of the file being replaced; its path is returned as backup_file."))
            .param(Param.integer("timeout").defaultValue(10).doc("Seconds to connect, and to wait on a stalled transfer."))
            .param(Param.dict("headers").doc("Extra HTTP request headers, as a mapping."))
            .param(Param.str("url_username").aliases("username").doc("User name for HTTP basic authentication."))
            .param(
                Param.str("url_password")
                    .aliases("password")
                    .noLog()
                    .doc("Password for HTTP basic authentication; sent to curl on its standard input."))
            .param(Param.bool("force_basic_auth").defaultValue(false).doc("Accepted; curl sends basic auth at once."))
            .param(
                Param.bool("validate_certs")
                    .defaultValue(true)
                    .doc("Check the server's TLS certificate; no only on networks you control."))
            .param(Param.bool("use_proxy").defaultValue(true).doc("Use the target's *_proxy environment variables."))
            .param(Param.str("http_agent").defaultValue("ansible-httpget").doc("The User-Agent header."));
    Attrs.params().forEach(b::param);
    SPEC =
        b.examples(
                """
                - name: crun, verified
                  get_url:
                    url: https://github.com/containers/crun/releases/download/1.14/crun-1.14-linux-amd64
                    dest: /usr/local/bin/crun
                    checksum: sha256:0f1f9d1b0e2b0e5f0b1a6b9bf4a5b5d6d2d6f3c7e1b1b1b1b1b1b1b1b1b1b1b1
                    mode: "0755"
                - name: Behind basic auth
                  get_url:
                    url: https://repo.example.com/key.gpg
                    dest: /etc/apt/keyrings/example.gpg
                    url_username: deploy
                    url_password: "{{ vault_repo_password }}"
                """)
            .build();
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String url = args.str("url");
    String dest = args.str("dest");
    String algorithm = null;
    String expected = null;
    String checksum = args.str("checksum");
    if (!checksum.isEmpty()) {
      int colon = checksum.indexOf(':');
      if (colon < 0) {
        throw new ModuleException("The checksum parameter has to be in format <algorithm>:<checksum>");
      }
      algorithm = checksum.substring(0, colon).toLowerCase(Locale.ROOT);
      expected = checksum.substring(colon + 1);
      if (expected.startsWith("http://") || expected.startsWith("https://") || expected.startsWith("ftp://")) {
        throw new ModuleException("a checksum URL is not supported by jplay's get_url: give the digest itself");
      }
      if (!Checksums.ALGORITHMS.containsKey(algorithm)) {
        throw new ModuleException("unsupported checksum algorithm '" + algorithm + "': give one of "
            + String.join(", ", new java.util.TreeSet<>(Checksums.ALGORITHMS.keySet())));
      }
      expected = expected.replaceAll("\\W+", "").toLowerCase(Locale.ROOT);
      if (!expected.matches("[0-9a-f]+")) {
        throw new ModuleException("The checksum format is invalid");
      }
    }
    RemoteFile now = ctx.fact(RemoteFile.fact(dest, algorithm == null ? "sha1" : algorithm, RemoteFile.NONE));
    if (now.isDirectory()) {
      dest = (dest.endsWith("/") ? dest : dest + "/") + urlFilename(url);
      now = ctx.fact(RemoteFile.fact(dest, algorithm == null ? "sha1" : algorithm, RemoteFile.NONE));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("dest", dest);
    data.put("url", url);
    boolean force = args.bool("force");
    int umask = now.state().umask();
    if (now.isFile() && !force && expected != null && expected.equals(now.checksum())) {
      // The file is there with the right checksum: only its attributes may need setting.
      Attrs a = Attrs.of(args, dest, now.fileEntry(), umask);
      data.put("checksum_dest", null);
      data.put("checksum_src", null);
      if (!a.changed()) {
        return new Plan.Noop(dest + " has the checksum asked for", Outcome.ok(data).withMsg("file already exists"));
      }
      List<Command> cmds = new ArrayList<>(a.commands);
      return new Plan.Change(cmds, null,
          Outcome.changed(data).withMsg("file already exists but file attributes changed"),
          results -> {
            for (CommandResult r : results) {
              if (!r.ok()) {
                return Outcome.failed(r.stderr().strip(), data);
              }
            }
            return Outcome.changed(data).withMsg("file already exists but file attributes changed");
          });
    }
    boolean conditional = now.isFile() && !force && expected == null;
    Download d = new Download(url, dest, now, args, algorithm, expected, conditional, umask);
    Command command = d.command();
    Map<String, Object> checkData = new LinkedHashMap<>(data);
    List<Command> all = List.of(command, PathState.probe(dest));
    return new Plan.Change(all, null, Outcome.changed(checkData),
        results -> d.interpret(results, all.size(), data));
  }

  /** The file name a URL gives (Ansible's url_filename): its last path segment, or index.html. */
  static String urlFilename(String url) {
    try {
      String path = new URI(url).getPath();
      String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
      return name.isEmpty() ? "index.html" : name;
    } catch (URISyntaxException e) {
      throw new ModuleException("'" + url + "' is not a valid URL: " + e.getMessage());
    }
  }

  /** The download script and the reading of its output. */
  private record Download(
      String url, String dest, RemoteFile now, Args args, String algorithm, String expected, boolean conditional,
      int umask) {

    Command command() {
      int timeout = args.integer("timeout");
      String agent = args.str("http_agent");
      List<String> s = new ArrayList<>();
      s.add("f=" + Shell.quote(dest));
      s.add("d=" + Shell.quote(FileWrite.parent(dest)));
      s.add("[ -d \"$d\" ] || { printf 'Destination %s does not exist\\n' \"$d\" >&2; exit 1; }");
      s.add("t=$(umask 077 && mktemp \"$d/.jplay.XXXXXXXXXX\") || exit");
      s.add("trap 'rm -f \"$t\"' EXIT");
      s.add("if command -v curl >/dev/null 2>&1; then");
      List<String> curl = new ArrayList<>(List.of("curl", "--config", "-", "-sS", "-L", "-o"));
      String curlLine = Shell.join(curl) + " \"$t\" -w '%{http_code}'"
          + (conditional ? " -z \"$f\"" : "");
      s.add("  code=$(" + curlLine + ") || exit");
      s.add("else");
      if (args.str("url_password") != null) {
        s.add("  echo 'url_password needs curl on the target (wget would show it on its command line)' >&2; exit 1");
      } else {
        List<String> wget = new ArrayList<>(List.of("wget", "-q", "-T", Integer.toString(timeout), "-U", agent));
        if (!args.bool("validate_certs")) {
          wget.add("--no-check-certificate");
        }
        if (!args.bool("use_proxy")) {
          wget.add("--no-proxy");
        }
        for (Map.Entry<String, Object> h : args.dict("headers").entrySet()) {
          wget.add("--header=" + h.getKey() + ": " + h.getValue());
        }
        if (args.str("url_username") != null) {
          wget.add("--user=" + args.str("url_username"));
        }
        s.add("  " + Shell.join(wget) + " -O \"$t\" -- " + Shell.quote(url) + " || exit");
        s.add("  code=200");
      }
      s.add("fi");
      s.add("printf 'status_code %s\\n' \"$code\"");
      s.add("case $code in 304) echo not-modified; exit 0;; 2??) ;; *) echo 'Request failed' >&2; exit 22;; esac");
      s.add("printf 'checksum_src '; sha1sum < \"$t\"");
      if (expected != null) {
        s.add("sum=$(" + algorithm + "sum < \"$t\") || exit; sum=${sum%% *}");
        s.add("[ \"$sum\" = " + Shell.quote(expected) + " ] || { printf 'The checksum for %s did not match %s; it was %s.\\n'"
            + " \"$f\" " + Shell.quote(expected) + " \"$sum\" >&2; exit 1; }");
      }
      s.add("if [ -f \"$f\" ]; then printf 'checksum_dest '; sha1sum < \"$f\"; fi");
      PathState.Entry existing = now.isFile() ? now.fileEntry() : null;
      Attrs attrs = existing == null ? new Attrs() : Attrs.of(args, dest, existing, umask);
      List<String> fix = new ArrayList<>();
      for (Command c : attrs.commands) {
        fix.add(c.script() + " || exit");
      }
      s.add("if [ -f \"$f\" ] && cmp -s \"$t\" \"$f\"; then echo same" + (fix.isEmpty() ? "" : "; " + String.join("; ", fix))
          + "; exit 0; fi");
      if (existing != null) {
        s.add("chown -- " + existing.uid() + ":" + existing.gid() + " \"$t\" 2>/dev/null");
      }
      if (args.has("owner")) {
        s.add("chown -- " + Shell.quote(args.str("owner")) + " \"$t\" || exit");
      }
      if (args.has("group")) {
        s.add("chgrp -- " + Shell.quote(args.str("group")) + " \"$t\" || exit");
      }
      s.add("chmod -- " + String.format("%04o", Attrs.finalMode(args, existing, umask)) + " \"$t\" || exit");
      if (args.bool("backup")) {
        s.add("if [ -e \"$f\" ]; then b=\"$f.$$.$(date +%Y-%m-%d@%H:%M:%S~)\"; cp -p -- \"$f\" \"$b\" || exit;"
            + " printf 'backup_file=%s\\n' \"$b\"; fi");
      }
      s.add("mv -f -- \"$t\" \"$f\" || exit");
      s.add("trap - EXIT");
      s.add("echo replaced");
      String script = String.join("\n", s) + "\n";
      return Command.of(script).withStdin(curlConfig(timeout, agent)).markSensitive();
    }

    /** curl's config: one option per line, values in double quotes with backslash escapes. */
    private String curlConfig(int timeout, String agent) {
      StringBuilder c = new StringBuilder();
      c.append("url = ").append(q(url)).append('\n');
      c.append("connect-timeout = ").append(timeout).append('\n');
      c.append("speed-time = ").append(timeout).append('\n');
      c.append("speed-limit = 1\n");
      c.append("user-agent = ").append(q(agent)).append('\n');
      if (!args.bool("validate_certs")) {
        c.append("insecure\n");
      }
      if (!args.bool("use_proxy")) {
        c.append("noproxy = \"*\"\n");
      }
      for (Map.Entry<String, Object> h : args.dict("headers").entrySet()) {
        c.append("header = ").append(q(h.getKey() + ": " + h.getValue())).append('\n');
      }
      String user = args.str("url_username");
      String password = args.str("url_password");
      if (user != null || password != null) {
        c.append("user = ").append(q((user == null ? "" : user) + ":" + (password == null ? "" : password)))
            .append('\n');
      }
      return c.toString();
    }

    private static String q(String v) {
      StringBuilder sb = new StringBuilder("\"");
      for (char ch : v.toCharArray()) {
        switch (ch) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> sb.append(ch);
        }
      }
      return sb.append('"').toString();
    }

    Outcome interpret(List<CommandResult> results, int planned, Map<String, Object> base) {
      Map<String, Object> out = new LinkedHashMap<>(base);
      CommandResult r = results.get(0);
      Map<String, String> lines = new LinkedHashMap<>();
      for (String line : r.stdout().split("\n")) {
        int sp = line.indexOf(' ');
        lines.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1).trim());
      }
      out.put("checksum_dest", digest(lines.get("checksum_dest")));
      out.put("checksum_src", digest(lines.get("checksum_src")));
      String code = lines.get("status_code");
      if (code != null && code.matches("\\d+")) {
        out.put("status_code", Integer.parseInt(code));
      }
      if (!r.ok()) {
        String err = r.stderr().strip();
        return Outcome.failed(err.isEmpty() ? "download failed with exit code " + r.rc() : err, out);
      }
      for (CommandResult more : results.subList(1, results.size())) {
        if (!more.ok()) {
          return Outcome.failed(more.stderr().strip(), out);
        }
      }
      if (results.size() == planned) {
        PathState after = PathState.parse(dest, results.get(results.size() - 1));
        if (after.exists()) {
          out.putAll(after.entry().info());
        }
      }
      String backup = FileWrite.backupFile(r);
      if (backup != null) {
        out.put("backup_file", backup.lines().findFirst().orElse(backup));
      }
      if (lines.containsKey("not-modified")) {
        return Outcome.ok(out).withMsg("HTTP Error 304: Not Modified");
      }
      if (lines.containsKey("same")) {
        boolean attrsChanged = !(now.isFile() ? Attrs.of(args, dest, now.fileEntry(), umask) : new Attrs()).commands
            .isEmpty();
        return new Outcome(attrsChanged, false, false, "OK", out, null);
      }
      return Outcome.changed(out).withMsg("OK");
    }

    private static String digest(String line) {
      if (line == null) {
        return null;
      }
      String d = line.split("\\s+")[0];
      return d.matches("[0-9a-f]+") ? d : null;
    }
  }
}
