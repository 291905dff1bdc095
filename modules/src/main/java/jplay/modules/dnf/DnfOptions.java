package jplay.modules.dnf;

import java.util.ArrayList;
import java.util.List;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Shell;

/**
 * The dnf options that dnf and dnf_module share: where dnf looks (installroot, conf_file, releasever, repositories,
 * excludes) and how it resolves. They go on every dnf command line, probes included, so a probe sees exactly what
 * the change will act on.
 */
final class DnfOptions {
  private DnfOptions() {}

  static void params(ModuleSpec.Builder b) {
    b.param(
            Param.list("enablerepo")
                .elements(ParamType.STR)
                .doc("Repository ids (or globs) to enable for this task only (--enablerepo); applied after disablerepo."))
        .param(
            Param.list("disablerepo")
                .elements(ParamType.STR)
                .doc("Repository ids (or globs) to disable for this task only, such as '*' (--disablerepo)."))
        .param(Param.path("conf_file").doc("The dnf configuration file to use instead of /etc/dnf/dnf.conf (--config)."))
        .param(
            Param.path("installroot")
                .defaultValue("/")
                .doc("An alternative root: packages, rpm database, module state and dnf's cache all live below it."))
        .param(Param.str("releasever").doc("The $releasever for repository URLs (--releasever)."))
        .param(
            Param.bool("disable_gpg_check")
                .defaultValue(false)
                .doc("Do not check package signatures (--nogpgcheck)."))
        .param(
            Param.bool("update_cache")
                .defaultValue(false)
                .aliases("expire-cache")
                .doc("Refresh repository metadata first (--refresh); alone, just refresh it."))
        .param(Param.bool("cacheonly").defaultValue(false).doc("Use only the metadata cache, download nothing (-C)."))
        .param(Param.list("disable_plugin").elements(ParamType.STR).doc("dnf plugins to disable for this task."))
        .param(Param.list("enable_plugin").elements(ParamType.STR).doc("dnf plugins to enable for this task."))
        .param(Param.bool("sslverify").defaultValue(true).doc("false: do not verify TLS certificates of repositories."))
        .param(
            Param.integer("lock_timeout")
                .defaultValue(30)
                .doc("Seconds to wait for another dnf (or rpm transaction) to release its lock before failing."));
  }

  /** The global options for every dnf call: {@code dnf -q OPTIONS COMMAND ...}. */
  static List<String> global(Args a) {
    List<String> w = new ArrayList<>();
    String root = a.str("installroot");
    if (!root.equals("/")) {
      w.add("--installroot=" + root);
    }
    if (a.has("conf_file")) {
      w.add("--config=" + a.str("conf_file"));
    }
    if (a.has("releasever")) {
      w.add("--releasever=" + a.str("releasever"));
    }
    // Ansible applies disablerepo before enablerepo, so "disablerepo: '*'" with "enablerepo: x" means only x.
    a.strings("disablerepo").forEach(r -> w.add("--disablerepo=" + r));
    a.strings("enablerepo").forEach(r -> w.add("--enablerepo=" + r));
    if (a.spec().param("disable_excludes").isPresent() && a.has("disable_excludes")) {
      w.add("--disableexcludes=" + a.str("disable_excludes"));
    }
    if (a.spec().param("exclude").isPresent()) {
      a.strings("exclude").forEach(x -> w.add("--exclude=" + x));
    }
    if (a.bool("disable_gpg_check")) {
      w.add("--nogpgcheck");
    }
    if (a.bool("update_cache")) {
      w.add("--refresh");
    }
    if (a.bool("cacheonly")) {
      w.add("--cacheonly");
    }
    a.strings("disable_plugin").forEach(p -> w.add("--disableplugin=" + p));
    a.strings("enable_plugin").forEach(p -> w.add("--enableplugin=" + p));
    if (!a.bool("sslverify")) {
      w.add("--setopt=sslverify=False");
    }
    return w;
  }

  /** {@code rpm --root=R} when there is an installroot, so rpm reads the same database dnf writes. */
  static String rpm(Args a) {
    String root = a.str("installroot");
    return root.equals("/") ? "rpm" : "rpm " + Shell.quote("--root=" + root);
  }

  /** Where dnf keeps module state under the installroot. */
  static String modulesDir(Args a) {
    String root = a.str("installroot");
    return (root.endsWith("/") ? root : root + "/") + "etc/dnf/modules.d";
  }

  /**
   * Waits up to lock_timeout seconds while another dnf holds the rpmdb lock (dnf itself would wait forever); the
   * changes that follow run with exit_on_lock, so a lock taken in between fails them instead of hanging them.
   */
  static Command lockWait(Args a) {
    String root = a.str("installroot");
    String lock = (root.endsWith("/") ? root : root + "/") + "var/lib/dnf/rpmdb_lock.pid";
    int timeout = a.integer("lock_timeout");
    return Command.of(
        "l=" + Shell.quote(lock) + "; w=0\n"
            + "while [ -s \"$l\" ] && kill -0 \"$(cat \"$l\" 2>/dev/null)\" 2>/dev/null; do\n"
            + "  if [ \"$w\" -ge " + timeout + " ]; then echo \"dnf lock $l still held by pid $(cat \"$l\") after "
            + timeout + "s (lock_timeout)\" >&2; exit 1; fi\n"
            + "  sleep 1; w=$((w+1))\n"
            + "done");
  }

  /** A dnf command that changes the host: {@code dnf -y OPTIONS --setopt=exit_on_lock=True COMMAND...}. */
  static Command change(Args a, List<String> command) {
    List<String> words = new ArrayList<>(List.of("dnf", "-y"));
    words.addAll(global(a));
    words.add("--setopt=exit_on_lock=True");
    words.addAll(command);
    return Command.argv(words);
  }

  /** A read-only dnf call for a probe: quiet, never asks, never waits on a lock. */
  static String query(Args a, List<String> command) {
    List<String> words = new ArrayList<>(List.of("dnf", "-q", "--assumeno"));
    words.addAll(global(a));
    words.addAll(command);
    return Shell.join(words);
  }
}
