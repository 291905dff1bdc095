package jplay.modules.repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;
import jplay.modules.files.Modes;

/**
 * Ansible's {@code yum_repository}: one section of a {@code .repo} file under {@code reposdir}. The file is read
 * by one probe, the section is compared option by option (order and spacing do not matter), and a change writes
 * the whole file through a temporary file in the same directory renamed over the old one, so dnf never reads half a
 * file.
 *
 * <p>Differences from Ansible, on purpose: the other sections of a shared file, and the comments in it, are kept
 * byte for byte (Ansible's configparser drops every comment of the file and rewrites all sections); the diff shows
 * the file as it is on disk before and after. Not supported: SELinux contexts, {@code attributes},
 * {@code unsafe_writes} and the long-removed {@code params}.
 */
public final class YumRepository implements Module {
  /** Options written to the file, besides {@code name} (from {@code description}); all as Ansible's. */
  private static final List<String> BOOLS =
      List.of(
          "async", "enabled", "enablegroups", "gpgcheck", "keepalive", "module_hotfixes", "protect", "repo_gpgcheck",
          "s3_enabled", "skip_if_unavailable", "ssl_check_cert_permissions", "sslverify");

  private static final List<String> STRINGS =
      List.of(
          "bandwidth", "cost", "deltarpm_metadata_percentage", "deltarpm_percentage", "failovermethod", "gpgcakey",
          "http_caching", "include", "ip_resolve", "keepcache", "metadata_expire", "metadata_expire_filter", "metalink",
          "mirrorlist", "mirrorlist_expire", "password", "priority", "proxy", "proxy_password", "proxy_username",
          "retries", "sslcacert", "sslclientcert", "sslclientkey", "throttle", "timeout", "ui_repoid_vars",
          "username");

  /** Lists written one item per line (URLs) or space separated (package globs), as Ansible joins them. */
  private static final List<String> LINE_LISTS = List.of("baseurl", "gpgkey");

  private static final List<String> SPACE_LISTS = List.of("exclude", "includepkgs");

  static final ModuleSpec SPEC = buildSpec();

  private static ModuleSpec buildSpec() {
    ModuleSpec.Builder b =
        ModuleSpec.builder("yum_repository")
            .aliases("ansible.builtin.yum_repository")
            .summary("Add or remove a yum/dnf repository in a .repo file")
            .description(
                "Writes the section [name] of reposdir/file.repo with exactly the options given (options not given"
                    + " are removed from the section, as Ansible), or removes it; the file is removed when no section"
                    + " is left. Other sections and comments of a shared file are kept as they are. The file is"
                    + " replaced atomically (temporary file and rename) and keeps its mode and owner; a new file gets"
                    + " 0644 unless 'mode' says otherwise. Returns 'repo' and 'state'.")
            .param(Param.str("name").required().doc("The repository id: the section name, [name], in the file."))
            .param(
                Param.str("description")
                    .doc("The human-readable name, written as 'name ='. Required with state=present."))
            .param(
                Param.list("baseurl")
                    .elements(ParamType.STR)
                    .doc("URL(s) of the directory holding repodata/; one of baseurl, metalink, mirrorlist is required"
                        + " with state=present."))
            .param(Param.str("metalink").doc("URL of a metalink file for repomd.xml."))
            .param(Param.str("mirrorlist").doc("URL of a file listing baseurls."))
            .param(Param.bool("enabled").doc("Whether dnf uses the repository (dnf's default: yes)."))
            .param(Param.bool("gpgcheck").doc("Check the GPG signature of packages (default: dnf.conf's)."))
            .param(Param.list("gpgkey").elements(ParamType.STR).doc("URL(s) of the ASCII-armored GPG key(s)."))
            .param(Param.bool("repo_gpgcheck").doc("Check the GPG signature of the repository metadata."))
            .param(
                Param.list("exclude")
                    .elements(ParamType.STR)
                    .doc("Package names or globs never taken from this repository (written space separated)."))
            .param(
                Param.list("includepkgs")
                    .elements(ParamType.STR)
                    .doc("Only these package names or globs are taken from this repository."))
            .param(Param.str("priority").doc("Priority 1 (highest) to 99 (dnf's default)."))
            .param(
                Param.bool("module_hotfixes")
                    .doc("Make all packages of the repository available, even those that modular filtering hides."))
            .param(Param.str("file").doc("File name without '.repo'; default: the name."))
            .param(Param.path("reposdir").defaultValue("/etc/yum.repos.d").doc("Directory of the .repo files; must exist."))
            .param(Param.str("state").choices("present", "absent").defaultValue("present").doc("Whether the section exists."))
            .param(Param.mode("mode").doc("Mode of the .repo file (octal or symbolic)."))
            .param(Param.str("owner").doc("Owner of the .repo file."))
            .param(Param.str("group").doc("Group of the .repo file."));
    for (String name : BOOLS) {
      if (!List.of("enabled", "gpgcheck", "repo_gpgcheck", "module_hotfixes").contains(name)) {
        Param p = Param.bool(name).doc("Written as '" + name + " = 1' or '0'; see dnf.conf(5).");
        b.param(name.equals("sslverify") ? p.aliases("validate_certs") : p);
      }
    }
    for (String name : STRINGS) {
      if (List.of("metalink", "mirrorlist", "priority").contains(name)) {
        continue;
      }
      Param p = Param.str(name).doc("Written as given; see dnf.conf(5).");
      p = switch (name) {
        case "failovermethod" -> p.choices("roundrobin", "priority");
        case "http_caching" -> p.choices("all", "packages", "none");
        case "ip_resolve" -> p.choices("4", "6", "IPv4", "IPv6", "whatever");
        case "keepcache" -> p.choices("0", "1");
        case "metadata_expire_filter" -> p.choices("never", "read-only:past", "read-only:present", "read-only:future");
        case "password", "proxy_password" -> p.noLog();
        case "sslcacert" -> p.aliases("ca_cert");
        case "sslclientcert" -> p.aliases("client_cert");
        case "sslclientkey" -> p.aliases("client_key");
        default -> p;
      };
      b.param(p);
    }
    return b.examples(
            """
            - name: Kubernetes packages, held back from unplanned upgrades
              yum_repository:
                name: kubernetes
                description: Kubernetes
                baseurl: https://pkgs.k8s.io/core:/stable:/v1.28/rpm/
                gpgcheck: true
                gpgkey: https://pkgs.k8s.io/core:/stable:/v1.28/rpm/repodata/repomd.xml.key
                exclude: [kubelet, kubeadm, kubectl, cri-tools, kubernetes-cni]
            - name: Two repositories in one file
              yum_repository:
                name: "{{ item }}"
                description: "{{ item }} packages"
                baseurl: "https://repo.example.com/{{ item }}/$releasever/$basearch/"
                file: example
              loop: [base, extras]
            - name: Gone again
              yum_repository:
                name: epel
                state: absent
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
    String repo = args.str("name");
    String state = args.str("state");
    if (repo.isBlank() || repo.contains("]") || repo.contains("\n") || repo.contains("/")) {
      throw new ModuleException("repository name '" + repo + "' cannot be a section name: no ']', '/' or newline");
    }
    if (state.equals("present")) {
      if (!args.has("baseurl") && !args.has("metalink") && !args.has("mirrorlist")) {
        throw new ModuleException("Parameter 'baseurl', 'metalink' or 'mirrorlist' is required.");
      }
      if (!args.has("description")) {
        throw new ModuleException("Parameter 'description' is required.");
      }
    }
    String dir = args.str("reposdir");
    String file = args.has("file") ? args.str("file") : repo;
    if (file.contains("/")) {
      throw new ModuleException("file '" + file + "' must be a name without '/': the file goes into reposdir");
    }
    String dest = (dir.endsWith("/") ? dir : dir + "/") + file + ".repo";
    Current now = ctx.fact(probe(dir, dest));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("repo", repo);
    data.put("state", state);
    if (now.kind == Kind.NODIR) {
      throw new ModuleException("Repo directory '" + dir + "' does not exist.", data);
    }
    if (now.kind == Kind.NOTFILE) {
      throw new ModuleException(dest + " exists but is not a regular file", data);
    }
    RepoFile before = RepoFile.parse(now.text);
    RepoFile after;
    if (state.equals("present")) {
      Map<String, String> want = wanted(args);
      boolean same =
          before.section(repo).map(b -> RepoFile.options(b).equals(want)).orElse(false)
              && before.sections().stream().filter(repo::equals).count() == 1;
      after = same ? before : before.with(repo, RepoFile.render(repo, want));
    } else {
      after = before.without(repo);
    }
    boolean removeFile = now.kind == Kind.FILE && state.equals("absent") && after.empty();
    boolean write = !after.text().equals(before.text()) && !removeFile;
    List<Command> commands = new ArrayList<>();
    if (removeFile) {
      commands.add(Command.argv("rm", "-f", "--", dest));
    } else if (write) {
      commands.add(write(dir, dest, file, after.text(), now.kind == Kind.FILE, args, now));
    } else if (now.kind == Kind.FILE) {
      attributes(dest, args, now).ifPresent(commands::add);
    }
    Diff diff = Diff.of(dest, now.text, removeFile ? "" : after.text());
    if (commands.isEmpty()) {
      return Plan.noop(
          state.equals("present")
              ? "repository " + repo + " in " + dest + " is as asked"
              : "repository " + repo + " is already absent from " + dest,
          data);
    }
    return Plan.change(commands, diff, data);
  }

  /** The options of the section, sorted by key as Ansible writes them; booleans as 1/0. */
  static Map<String, String> wanted(Args args) {
    Map<String, String> out = new TreeMap<>();
    out.put("name", args.str("description"));
    for (String k : BOOLS) {
      if (args.has(k)) {
        out.put(k, args.bool(k) ? "1" : "0");
      }
    }
    for (String k : STRINGS) {
      if (args.has(k)) {
        out.put(k, args.str(k).strip());
      }
    }
    for (String k : LINE_LISTS) {
      if (args.has(k)) {
        out.put(k, String.join("\n", args.strings(k)).strip());
      }
    }
    for (String k : SPACE_LISTS) {
      if (args.has(k)) {
        out.put(k, String.join(" ", args.strings(k)).strip());
      }
    }
    for (Map.Entry<String, String> e : out.entrySet()) {
      if (e.getValue().contains("\n\n") || e.getValue().startsWith("\n")) {
        throw new ModuleException("option '" + e.getKey() + "' has an empty line or item; dnf would cut it there");
      }
    }
    return out;
  }

  private static Command write(String dir, String dest, String file, String text, boolean exists, Args args, Current now) {
    StringBuilder s = new StringBuilder();
    s.append("p=").append(Shell.quote(dest)).append('\n');
    s.append("t=$(mktemp ").append(Shell.quote(dir + "/." + file + ".repo.XXXXXX")).append(") || exit\n");
    s.append("{ cat > \"$t\"");
    if (exists) {
      s.append(" && chmod --reference=\"$p\" -- \"$t\" && { chown --reference=\"$p\" -- \"$t\" 2>/dev/null || :; }");
    } else {
      s.append(" && chmod 0644 -- \"$t\"");
    }
    int base = exists ? now.mode : 0644;
    if (args.has("owner")) {
      s.append(" && chown -- ").append(Shell.quote(args.str("owner"))).append(" \"$t\"");
    }
    if (args.has("group")) {
      s.append(" && chgrp -- ").append(Shell.quote(args.str("group"))).append(" \"$t\"");
    }
    if (args.has("mode")) {
      s.append(" && chmod -- ").append(String.format("%04o", Modes.resolve(args.str("mode"), base, false, 022))).append(" \"$t\"");
    }
    s.append(" && mv -f -- \"$t\" \"$p\"; } || { rm -f -- \"$t\"; exit 1; }\n");
    return Command.of(s.toString()).withStdin(text);
  }

  /** chown/chgrp/chmod of an unchanged file whose attributes differ from those asked for. */
  private static java.util.Optional<Command> attributes(String dest, Args args, Current now) {
    List<String> steps = new ArrayList<>();
    if (args.has("owner") && !args.str("owner").equals(now.owner) && !args.str("owner").equals(now.uid)) {
      steps.add(Shell.join(List.of("chown", "--", args.str("owner"), dest)));
    }
    if (args.has("group") && !args.str("group").equals(now.group) && !args.str("group").equals(now.gid)) {
      steps.add(Shell.join(List.of("chgrp", "--", args.str("group"), dest)));
    }
    if (args.has("mode")) {
      int want = Modes.resolve(args.str("mode"), now.mode, false, 022);
      if (want != now.mode) {
        steps.add(Shell.join(List.of("chmod", "--", String.format("%04o", want), dest)));
      }
    }
    return steps.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Command.of(String.join(" && ", steps)));
  }

  enum Kind {
    NODIR,
    ABSENT,
    NOTFILE,
    FILE
  }

  /** The repo file as the probe found it; text is empty unless kind is FILE. */
  record Current(Kind kind, int mode, String uid, String gid, String owner, String group, String text) {}

  static Fact<Current> probe(String dir, String dest) {
    String script =
        "d=" + Shell.quote(dir) + "; p=" + Shell.quote(dest) + "\n"
            + "if [ ! -d \"$d\" ]; then echo nodir\n"
            + "elif [ -f \"$p\" ]; then stat -c 'file %a %u %g %U %G' -- \"$p\" && cat -- \"$p\"\n"
            + "elif [ -e \"$p\" ] || [ -L \"$p\" ]; then echo notfile\n"
            + "else echo absent\nfi\n";
    return Fact.of("repo-file " + dest, Command.of(script), r -> parse(dest, r));
  }

  static Current parse(String dest, CommandResult r) {
    String out = r.stdout();
    int nl = out.indexOf('\n');
    String first = nl < 0 ? out : out.substring(0, nl);
    if (!r.ok()) {
      throw new ModuleException(
          "cannot read " + dest + ": " + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
    }
    String[] w = first.split(" ");
    return switch (w[0]) {
      case "nodir" -> new Current(Kind.NODIR, 0, null, null, null, null, "");
      case "absent" -> new Current(Kind.ABSENT, 0, null, null, null, null, "");
      case "notfile" -> new Current(Kind.NOTFILE, 0, null, null, null, null, "");
      case "file" -> {
        if (w.length != 6) {
          throw new ModuleException("cannot read " + dest + ": unexpected probe output '" + first + "'");
        }
        yield new Current(Kind.FILE, Integer.parseInt(w[1], 8), w[2], w[3], w[4], w[5], out.substring(nl + 1));
      }
      default -> throw new ModuleException("cannot read " + dest + ": unexpected probe output '" + first + "'");
    };
  }
}
