package jplay.modules.dnf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
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
 * Ansible's {@code dnf} module without Python on the target. It plans from rpm's database ({@code rpm -qa}, plus
 * {@code rpm -q --whatprovides} for names that are capabilities or files), asks dnf only when it must know what the
 * repositories offer ({@code dnf repoquery --upgrades} for state latest), and applies with plain
 * {@code dnf -y install/upgrade/remove}. After a change rpm's database is read again, so {@code results} lists
 * exactly the packages installed and removed, as Ansible's.
 *
 * <p>Differences from Ansible, on purpose: in check mode a missing package is reported as to be installed without
 * asking the repositories whether they have it (Ansible resolves the whole transaction; jplay's real run fails with
 * dnf's "No match for argument" message instead). {@code autoremove} with names removes what those packages leave
 * unneeded ({@code dnf remove} with clean_requirements_on_remove), not every leaf of the system. Enabling a module
 * stream without installing it is the {@code dnf_module} module (ansible/ansible#64852). Not supported:
 * {@code list} (use package_facts), {@code security}/{@code bugfix} filters, {@code download_dir} without
 * {@code download_only}, {@code install_repoquery} (accepted, no effect, as Ansible's).
 */
public final class Dnf implements Module {
  static final ModuleSpec SPEC = buildSpec();

  private static ModuleSpec buildSpec() {
    ModuleSpec.Builder b =
        ModuleSpec.builder("dnf")
            .aliases("ansible.builtin.dnf", "yum", "ansible.builtin.yum")
            .summary("Install, upgrade and remove packages with dnf (RHEL/CentOS/Rocky/Alma 8+, Fedora)")
            .description(
                "Makes packages present (installed in any version, or in the version asked), latest (upgraded to the"
                    + " newest the enabled repositories offer) or absent. Names may be package names, name.arch,"
                    + " name-version[-release], 'name >= version' (spaces around the operator), globs, capabilities or"
                    + " file paths a package provides, local .rpm files or URLs, @group, and @module:stream[/profile]"
                    + " (installs the profile, enabling the stream). Returns 'results' (\"Installed: NEVRA\","
                    + " \"Removed: NEVRA\"), 'rc' and 'msg' as Ansible's. The yum and ansible.builtin.yum names run this"
                    + " module too: on EL8 and later yum is dnf.")
            .param(
                Param.list("name")
                    .elements(ParamType.STR)
                    .aliases("pkg")
                    .doc("Package specs: a list or a comma-separated string. With state latest, '*' upgrades everything."))
            .param(
                Param.str("state")
                    .choices("absent", "present", "installed", "removed", "latest")
                    .doc("present/installed, latest, or absent/removed. Default: present, or absent with autoremove alone."))
            .param(
                Param.str("disable_excludes")
                    .doc("Ignore excludes: 'all', 'main' (dnf.conf's), or a repository id (that repository's excludepkgs)."))
            .param(Param.list("exclude").elements(ParamType.STR).doc("Package names or globs to leave out of this task (--exclude)."))
            .param(
                Param.bool("allow_downgrade")
                    .defaultValue(false)
                    .doc("Allow a version spec to replace a newer installed version; otherwise a newer one counts as present."))
            .param(
                Param.bool("autoremove")
                    .defaultValue(false)
                    .doc("Alone: remove all packages installed as dependencies that nothing needs any more. With"
                        + " state absent: also remove what the removed packages leave unneeded."))
            .param(Param.bool("download_only").defaultValue(false).doc("Only download the packages (--downloadonly)."))
            .param(Param.path("download_dir").doc("With download_only: where the packages go (--downloaddir)."))
            .param(Param.bool("nobest").defaultValue(false).doc("Do not insist on the best candidate (--nobest)."))
            .param(Param.bool("skip_broken").defaultValue(false).doc("Skip packages with broken dependencies (--skip-broken)."))
            .param(Param.bool("allowerasing").defaultValue(false).doc("Allow removing installed packages to resolve dependencies."))
            .param(
                Param.bool("update_only")
                    .defaultValue(false)
                    .doc("With state latest: upgrade installed packages, install nothing new."))
            .param(Param.bool("install_weak_deps").defaultValue(true).doc("false: do not install weak dependencies (Recommends)."))
            .param(Param.bool("install_repoquery").defaultValue(true).doc("Accepted for compatibility; no effect (as Ansible's)."));
    DnfOptions.params(b);
    return b.examples(
            """
            - name: kubelet in the pinned version, despite the repository's excludes
              dnf:
                name: [kubelet-1.28.2, kubeadm-1.28.2, kubectl-1.28.2]
                disable_excludes: kubernetes
            - name: The newest container tools
              dnf:
                name: [cri-o, crun]
                state: latest
            - name: At least this version
              dnf:
                name: "podman >= 4.0"
            - name: A module profile (enables the stream)
              dnf:
                name: "@nodejs:18/common"
            - name: Gone, with what only it needed
              dnf:
                name: zram-generator
                state: absent
                autoremove: true
            """)
        .build();
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  private static final Pattern OP_SPEC = Pattern.compile("(\\S+)\\s+(<=|>=|=|==|<|>)\\s+(\\S+)");

  /** How a name is read. */
  enum Kind {
    PACKAGE,
    OP,
    FILE,
    GROUP,
    MODULE
  }

  record Spec(String text, Kind kind) {}

  static Spec classify(String s, Set<String> knownModules) {
    if (s.contains("\n")) {
      throw new ModuleException("package spec '" + s.replace("\n", "\\n") + "' contains a newline");
    }
    if (s.startsWith("@")) {
      String bare = s.substring(1);
      boolean module = bare.contains(":") || bare.contains("/") || knownModules.contains(bare);
      return new Spec(s, module ? Kind.MODULE : Kind.GROUP);
    }
    if (s.endsWith(".rpm") && (s.contains("/") || s.contains("://"))) {
      return new Spec(s, Kind.FILE);
    }
    if (OP_SPEC.matcher(s).matches()) {
      return new Spec(s, Kind.OP);
    }
    if (s.chars().anyMatch(Character::isWhitespace)) {
      throw new ModuleException(
          "package spec '" + s + "' is not understood: for a version comparison put spaces around the operator"
              + " ('name >= 1.2'); several packages go in a list");
    }
    return new Spec(s, Kind.PACKAGE);
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args a = ctx.args();
    List<String> names = a.strings("name").stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    String state = a.str("state");
    if (state == null) {
      state = a.bool("autoremove") && names.isEmpty() ? "absent" : "present";
    }
    state = switch (state) {
      case "installed" -> "present";
      case "removed" -> "absent";
      default -> state;
    };
    if (names.isEmpty()) {
      if (a.bool("autoremove")) {
        return autoremove(ctx);
      }
      if (a.bool("update_cache")) {
        return makecache(a);
      }
      throw new ModuleException("dnf needs 'name' (or autoremove or update_cache alone)");
    }
    if (a.bool("autoremove") && !state.equals("absent")) {
      throw new ModuleException("autoremove can only be used with state absent or alone, not with state " + state);
    }
    boolean wantsModules = names.stream().anyMatch(n -> n.startsWith("@"));
    List<Spec> specs = new ArrayList<>();
    Installed now = ctx.fact(Installed.fact(a, names, wantsModules));
    for (String n : names) {
      specs.add(classify(n, now.modules().keySet()));
    }
    Set<String> groups = Set.of();
    if (specs.stream().anyMatch(s -> s.kind == Kind.GROUP)) {
      groups = ctx.fact(installedGroups(a));
    }
    Work w = new Work();
    if (state.equals("absent")) {
      absent(specs, now, groups, w);
    } else if (names.equals(List.of("*")) && state.equals("latest")) {
      List<Nevra> ups = ctx.fact(upgrades(a, List.of()));
      if (!ups.isEmpty()) {
        w.upgrade.add("*");
        ups.forEach(p -> w.upgraded(p, now.packages()));
      }
    } else {
      present(a, specs, now, groups, state.equals("latest"), w);
      if (!w.upgradeCheck.isEmpty()) {
        for (Nevra p : ctx.fact(upgrades(a, w.upgradeCheck))) {
          w.upgraded(p, now.packages());
          w.upgrade.add(p.name() + "." + p.arch());
        }
      }
    }
    return w.plan(a, now, names);
  }

  /** What the task will do, collected spec by spec. */
  private static final class Work {
    final Set<String> install = new LinkedHashSet<>();
    final Set<String> upgrade = new LinkedHashSet<>();
    final Set<String> remove = new LinkedHashSet<>();
    final Set<String> moduleRemove = new LinkedHashSet<>();
    final List<String> upgradeCheck = new ArrayList<>();
    /** The results as they are known before running (check mode). */
    final List<String> expected = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    void upgraded(Nevra p, List<Nevra> installed) {
      expected.add("Installed: " + p);
      installed.stream()
          .filter(i -> i.name().equals(p.name()) && i.arch().equals(p.arch()))
          .forEach(i -> expected.add("Removed: " + i));
    }

    boolean empty() {
      return install.isEmpty() && upgrade.isEmpty() && remove.isEmpty() && moduleRemove.isEmpty();
    }

    Plan plan(Args a, Installed before, List<String> names) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("results", List.of());
      data.put("rc", 0);
      if (empty()) {
        String why = notes.isEmpty() ? "all of " + names + " as asked" : String.join("; ", notes);
        return new Plan.Noop(why, Outcome.ok(data).withMsg("Nothing to do"));
      }
      boolean downloadOnly = a.bool("download_only");
      List<Command> commands = new ArrayList<>();
      List<String> tx = new ArrayList<>();
      if (a.bool("nobest")) {
        tx.add("--nobest");
      }
      if (a.bool("skip_broken")) {
        tx.add("--skip-broken");
      }
      if (a.bool("allowerasing")) {
        tx.add("--allowerasing");
      }
      if (!a.bool("install_weak_deps")) {
        tx.add("--setopt=install_weak_deps=False");
      }
      if (downloadOnly) {
        tx.add("--downloadonly");
        if (a.has("download_dir")) {
          tx.add("--downloaddir=" + a.str("download_dir"));
        }
      }
      commands.add(DnfOptions.lockWait(a));
      if (!moduleRemove.isEmpty()) {
        commands.add(DnfOptions.change(a, concat(List.of("module", "remove"), List.copyOf(moduleRemove))));
      }
      if (!remove.isEmpty()) {
        List<String> words = new ArrayList<>(List.of("remove"));
        if (!a.bool("autoremove")) {
          // Ansible turns clean_requirements_on_remove off unless autoremove; the dnf CLI has it on.
          words.add("--noautoremove");
        }
        words.add("--");
        words.addAll(remove);
        commands.add(DnfOptions.change(a, words));
      }
      if (!install.isEmpty()) {
        commands.add(DnfOptions.change(a, concat(concat(List.of("install"), tx), concat(List.of("--"), List.copyOf(install)))));
      }
      if (!upgrade.isEmpty()) {
        List<String> words = concat(List.of("upgrade"), tx);
        if (!upgrade.equals(Set.of("*"))) {
          words = concat(concat(words, List.of("--")), List.copyOf(upgrade));
        }
        commands.add(DnfOptions.change(a, words));
      }
      List<String> planned = new ArrayList<>(expected);
      install.forEach(s -> planned.add((downloadOnly ? "Downloaded: " : "Installed: ") + s));
      Diff diff = Diff.of("packages", beforeText(), String.join("\n", planned) + "\n");
      Map<String, Object> checkData = new LinkedHashMap<>(data);
      checkData.put("results", planned);
      Outcome check =
          Outcome.changed(checkData).withMsg("Check mode: No changes made, but would have if not in check mode").withDiff(diff);
      if (downloadOnly) {
        Map<String, Object> done = new LinkedHashMap<>(data);
        done.put("results", planned);
        Outcome ok = Outcome.changed(done).withDiff(diff);
        return new Plan.Change(commands, diff, check, results -> failure(results, diff).orElse(ok));
      }
      int planSize = commands.size() + 1;
      commands.add(Installed.fact(a, List.of(), false).probe());
      Function<List<CommandResult>, Outcome> interpret =
          results -> failure(results, diff).orElseGet(() -> done(before, results, planSize, diff));
      return new Plan.Change(commands, diff, check, interpret);
    }

    /** The packages the change replaces or removes, and the specs it installs, as they are now. */
    private String beforeText() {
      StringBuilder sb = new StringBuilder();
      for (String r : expected) {
        if (r.startsWith("Removed: ")) {
          sb.append("installed: ").append(r.substring("Removed: ".length())).append('\n');
        }
      }
      install.forEach(s -> sb.append("not installed: ").append(s).append('\n'));
      return sb.toString();
    }
  }

  private static Outcome done(Installed before, List<CommandResult> results, int planSize, Diff diff) {
    Map<String, Object> data = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    if (results.size() == planSize) {
      Installed after = Installed.parse(results.get(results.size() - 1));
      Set<String> was = new LinkedHashSet<>();
      before.packages().forEach(p -> was.add(p.toString()));
      Set<String> is = new LinkedHashSet<>();
      after.packages().forEach(p -> is.add(p.toString()));
      is.stream().filter(p -> !was.contains(p)).sorted().forEach(p -> out.add("Installed: " + p));
      was.stream().filter(p -> !is.contains(p)).sorted().forEach(p -> out.add("Removed: " + p));
    }
    data.put("results", out);
    data.put("rc", 0);
    // A module enabled or a group marked installed changes dnf's state without touching a package.
    return Outcome.changed(data).withDiff(diff);
  }

  private static java.util.Optional<Outcome> failure(List<CommandResult> results, Diff diff) {
    for (CommandResult r : results) {
      if (!r.ok()) {
        String err = r.stderr().strip();
        List<String> failures = new ArrayList<>();
        for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
          if (line.startsWith("No match for argument") || line.startsWith("All matches were filtered out")
              || line.startsWith("Error:") || line.startsWith(" Problem")
              || line.startsWith("  - ")) {
            failures.add(line.strip());
          }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rc", r.rc());
        data.put("results", List.of());
        data.put("failures", failures);
        data.put("stdout", r.stdout());
        data.put("stderr", r.stderr());
        // dnf prints "No match for argument" on stdout and only the summary on stderr: the message needs both.
        String msg = !failures.isEmpty() ? String.join("; ", failures) : err.isEmpty() ? r.stdout().strip() : err;
        return java.util.Optional.of(
            Outcome.failed(msg.isEmpty() ? "dnf failed with exit code " + r.rc() : msg, data).withDiff(diff));
      }
    }
    return java.util.Optional.empty();
  }

  private static List<String> concat(List<String> x, List<String> y) {
    List<String> out = new ArrayList<>(x);
    out.addAll(y);
    return out;
  }

  private static void present(Args a, List<Spec> specs, Installed now, Set<String> groups, boolean latest, Work w) {
    boolean downgrade = a.bool("allow_downgrade");
    for (Spec s : specs) {
      switch (s.kind) {
        case MODULE -> {
          ModuleState.Spec m = ModuleState.Spec.parse(s.text);
          if (!now.modules().getOrDefault(m.name(), ModuleState.none(m.name())).installs(m)) {
            w.install.add(s.text);
          }
        }
        case GROUP -> {
          if (!groups.contains(s.text.substring(1).toLowerCase(java.util.Locale.ROOT))) {
            w.install.add(s.text);
          }
        }
        case FILE -> {
          Nevra file = now.files().get(s.text);
          if (file == null) {
            throw new ModuleException("cannot read the package " + s.text + ": " + now.fileErrors().getOrDefault(s.text, "not found"));
          }
          List<Nevra> same = now.packages().stream().filter(p -> p.name().equals(file.name()) && p.arch().equals(file.arch())).toList();
          if (same.stream().anyMatch(p -> p.compareTo(file) == 0)) {
            continue;
          }
          if (same.stream().anyMatch(p -> p.compareTo(file) > 0) && !downgrade) {
            w.notes.add(newer(same, s.text));
            continue;
          }
          w.install.add(s.text);
        }
        case OP -> {
          Matcher m = OP_SPEC.matcher(s.text);
          m.matches();
          String name = m.group(1);
          String op = m.group(2);
          Nevra.Evr want = Nevra.Evr.parse(m.group(3));
          List<Nevra> candidates = new ArrayList<>(now.packages().stream().filter(p -> p.name().equals(name)).toList());
          now.provides().getOrDefault(name, List.of()).stream().filter(p -> !candidates.contains(p)).forEach(candidates::add);
          if (candidates.stream().anyMatch(p -> satisfies(want.compareTo(p), op))) {
            continue;
          }
          if (!candidates.isEmpty() && (op.startsWith("<") || op.startsWith("=")) && !downgrade
              && candidates.stream().allMatch(p -> want.compareTo(p) < 0)) {
            w.notes.add(newer(candidates, s.text));
            continue;
          }
          w.install.add(s.text);
        }
        case PACKAGE -> {
          List<Nevra> matched = now.matching(s.text);
          if (!matched.isEmpty()) {
            if (latest && Nevra.versioned(s.text, now.packages()).isEmpty()) {
              w.upgradeCheck.add(s.text);
            }
            continue;
          }
          List<Nevra.Versioned> vs = Nevra.versioned(s.text, now.packages());
          List<Nevra> newer = vs.stream().filter(v -> v.wanted().compareTo(v.installed()) < 0).map(Nevra.Versioned::installed).toList();
          if (!vs.isEmpty() && newer.size() == vs.size() && !downgrade) {
            w.notes.add(newer(newer, s.text));
            continue;
          }
          if (latest && a.bool("update_only")) {
            w.notes.add(s.text + " is not installed and update_only is set");
            continue;
          }
          w.install.add(s.text);
        }
      }
    }
  }

  private static String newer(List<Nevra> installed, String spec) {
    return installed.get(0) + " is installed, newer than " + spec + " (allow_downgrade: true to downgrade)";
  }

  /** {@code cmp} is wanted compared with installed: "installed op wanted" holds. */
  private static boolean satisfies(int cmp, String op) {
    return switch (op) {
      case ">=" -> cmp <= 0;
      case ">" -> cmp < 0;
      case "<=" -> cmp >= 0;
      case "<" -> cmp > 0;
      default -> cmp == 0;
    };
  }

  private static void absent(List<Spec> specs, Installed now, Set<String> groups, Work w) {
    for (Spec s : specs) {
      switch (s.kind) {
        case FILE -> throw new ModuleException("Cannot remove paths -- please specify package name: " + s.text);
        case MODULE -> {
          ModuleState.Spec m = ModuleState.Spec.parse(s.text);
          ModuleState st = now.modules().getOrDefault(m.name(), ModuleState.none(m.name()));
          boolean installed =
              st.enabled() && (m.stream() == null || m.stream().equals(st.stream()))
                  && (m.profile() == null ? !st.profiles().isEmpty() : st.profiles().contains(m.profile()));
          if (installed) {
            w.moduleRemove.add(s.text.substring(1));
            w.expected.add("Module " + s.text.substring(1) + " removed.");
          }
        }
        case GROUP -> {
          if (groups.contains(s.text.substring(1).toLowerCase(java.util.Locale.ROOT))) {
            w.remove.add(s.text);
          }
        }
        case OP -> {
          Matcher m = OP_SPEC.matcher(s.text);
          m.matches();
          Nevra.Evr want = Nevra.Evr.parse(m.group(3));
          for (Nevra p : now.packages()) {
            if (p.name().equals(m.group(1)) && satisfies(want.compareTo(p), m.group(2))) {
              w.remove.add(p.toString());
              w.expected.add("Removed: " + p);
            }
          }
        }
        case PACKAGE -> {
          List<Nevra> matched = now.matching(s.text);
          if (!matched.isEmpty()) {
            w.remove.add(s.text);
            matched.forEach(p -> w.expected.add("Removed: " + p));
          }
        }
      }
    }
  }

  private static Plan autoremove(ModuleContext ctx) {
    Args a = ctx.args();
    Installed before = ctx.fact(Installed.fact(a, List.of(), false));
    List<Nevra> unneeded = ctx.fact(unneeded(a));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("results", List.of());
    data.put("rc", 0);
    if (unneeded.isEmpty()) {
      return new Plan.Noop("no package is unneeded", Outcome.ok(data).withMsg("Nothing to do"));
    }
    List<String> planned = unneeded.stream().map(p -> "Removed: " + p).toList();
    Diff diff = Diff.of("packages", unneeded.stream().map(p -> "installed: " + p + "\n").reduce("", String::concat), "");
    Map<String, Object> checkData = new LinkedHashMap<>(data);
    checkData.put("results", planned);
    List<Command> commands =
        List.of(DnfOptions.lockWait(a), DnfOptions.change(a, List.of("autoremove")), Installed.fact(a, List.of(), false).probe());
    return new Plan.Change(
        commands,
        diff,
        Outcome.changed(checkData).withMsg("Check mode: No changes made, but would have if not in check mode").withDiff(diff),
        results -> failure(results, diff).orElseGet(() -> done(before, results, 3, diff)));
  }

  private static Plan makecache(Args a) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("results", List.of());
    data.put("rc", 0);
    Outcome ok = Outcome.ok(data).withMsg("Cache updated");
    Command c = DnfOptions.change(a, List.of("makecache"));
    return new Plan.Change(List.of(c), null, ok, results -> failure(results, null).orElse(ok));
  }

  /** Upgrades the enabled repositories offer for the installed packages {@code specs} (all when empty). */
  static Fact<List<Nevra>> upgrades(Args a, List<String> specs) {
    List<String> words = new ArrayList<>(List.of("repoquery", "--upgrades", "--latest-limit=1", "--qf", Nevra.DNF_QF));
    if (!specs.isEmpty()) {
      words.add("--");
      words.addAll(specs);
    }
    String script = DnfOptions.query(a, words);
    return Fact.of("dnf-upgrades " + String.join(" ", specs), Command.of(script), r -> nevras("dnf repoquery --upgrades", r));
  }

  static Fact<List<Nevra>> unneeded(Args a) {
    String script = DnfOptions.query(a, List.of("repoquery", "--unneeded", "--qf", Nevra.DNF_QF));
    return Fact.of("dnf-unneeded", Command.of(script), r -> nevras("dnf repoquery --unneeded", r));
  }

  private static List<Nevra> nevras(String what, CommandResult r) {
    if (!r.ok()) {
      throw new ModuleException(what + " failed: " + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
    }
    return r.stdout().lines().map(Nevra::parse).filter(java.util.Objects::nonNull).toList();
  }

  /** Installed groups and environments, by id and by name, lower-cased (dnf matches them case-insensitively). */
  static Fact<Set<String>> installedGroups(Args a) {
    String script = DnfOptions.query(a, List.of("-v", "group", "list", "--installed"));
    return Fact.of(
        "dnf-groups",
        Command.of(script),
        r -> {
          if (!r.ok()) {
            throw new ModuleException("dnf group list failed: " + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
          }
          Set<String> out = new LinkedHashSet<>();
          Matcher m = Pattern.compile("(?m)^\\s+(.+?) \\(([^()]+)\\)\\s*$").matcher(r.stdout());
          while (m.find()) {
            out.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
            out.add(m.group(2).toLowerCase(java.util.Locale.ROOT));
          }
          return out;
        });
  }

  /**
   * What rpm's database holds, read in one probe: every installed package, the packages that provide each name
   * asked for (a capability like "kubelet" or a file path), the package inside each .rpm file asked for, and dnf's
   * module state.
   */
  record Installed(
      List<Nevra> packages,
      Map<String, List<Nevra>> provides,
      Map<String, Nevra> files,
      Map<String, String> fileErrors,
      Map<String, ModuleState> modules) {

    List<Nevra> matching(String spec) {
      List<Nevra> out = new ArrayList<>(packages.stream().filter(p -> p.matches(spec)).toList());
      provides.getOrDefault(spec, List.of()).stream().filter(p -> !out.contains(p)).forEach(out::add);
      return out;
    }

    static Fact<Installed> fact(Args a, List<String> names, boolean modules) {
      String rpm = DnfOptions.rpm(a);
      StringBuilder s = new StringBuilder();
      s.append("command -v rpm >/dev/null 2>&1 || { echo 'no rpm' >&2; exit 127; }\n");
      s.append(rpm).append(" -qa --qf ").append(Shell.quote(Nevra.QF)).append(" || exit\n");
      for (String n : names) {
        if (n.startsWith("@")) {
          continue;
        }
        if (n.endsWith(".rpm") && (n.contains("/") || n.contains("://"))) {
          s.append("printf '== file %s\\n' ").append(Shell.quote(n)).append('\n');
          s.append(rpm).append(" -qp --qf ").append(Shell.quote(Nevra.QF)).append(" -- ").append(Shell.quote(n)).append(" 2>&1\n");
          continue;
        }
        Matcher m = OP_SPEC.matcher(n);
        String what = m.matches() ? m.group(1) : n;
        if (Nevra.isGlob(what)) {
          continue;
        }
        s.append("printf '== provides %s\\n' ").append(Shell.quote(what)).append('\n');
        s.append(rpm).append(" -q --whatprovides --qf ").append(Shell.quote(Nevra.QF)).append(" -- ").append(Shell.quote(what))
            .append(" 2>/dev/null\n");
      }
      if (modules) {
        s.append("printf '== modules\\n'\n");
        s.append("cat ").append(Shell.quote(DnfOptions.modulesDir(a))).append("/*.module 2>/dev/null\n");
      }
      s.append("exit 0\n");
      String key = "rpm-installed " + a.str("installroot") + " " + String.join("|", names) + (modules ? " modules" : "");
      return Fact.of(key, Command.of(s.toString()), Installed::parse);
    }

    static Installed parse(CommandResult r) {
      if (r.rc() == 127 && r.stderr().contains("no rpm")) {
        throw new ModuleException("rpm is not installed on the target: the dnf module needs an RPM-based host");
      }
      if (!r.ok()) {
        throw new ModuleException("rpm -qa failed: " + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
      }
      List<Nevra> packages = new ArrayList<>();
      Map<String, List<Nevra>> provides = new LinkedHashMap<>();
      Map<String, Nevra> files = new LinkedHashMap<>();
      Map<String, String> fileErrors = new LinkedHashMap<>();
      StringBuilder modules = new StringBuilder();
      String section = null;
      String arg = null;
      for (String line : r.stdout().split("\n")) {
        if (line.startsWith("== ")) {
          String rest = line.substring(3);
          int sp = rest.indexOf(' ');
          section = sp < 0 ? rest : rest.substring(0, sp);
          arg = sp < 0 ? null : rest.substring(sp + 1);
          if (section.equals("provides")) {
            provides.putIfAbsent(arg, new ArrayList<>());
          }
          continue;
        }
        if (section == null) {
          Nevra p = Nevra.parse(line);
          if (p != null && !p.name().equals("gpg-pubkey")) {
            packages.add(p);
          }
        } else if (section.equals("provides")) {
          Nevra p = Nevra.parse(line);
          if (p != null) {
            provides.get(arg).add(p);
          }
        } else if (section.equals("file")) {
          Nevra p = Nevra.parse(line);
          if (p != null) {
            files.put(arg, p);
          } else if (!line.isBlank()) {
            fileErrors.merge(arg, line.strip(), (x, y) -> x + " " + y);
          }
        } else if (section.equals("modules")) {
          modules.append(line).append('\n');
        }
      }
      return new Installed(packages, provides, files, fileErrors, ModuleState.parseAll(modules.toString()));
    }
  }
}
