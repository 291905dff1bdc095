package jplay.modules.facts;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jplay.engine.api.Shell;

/**
 * The one shell script that gathers every selected collector's raw material in a single round trip. It needs only
 * a POSIX {@code sh} and the usual tools; every step tolerates a missing tool or file (stderr goes to /dev/null,
 * nothing is fatal), so the script always exits 0 and the parser decides what a missing section means.
 *
 * <p>The output is a sequence of sections, each introduced by a line {@code #@jplay@# NAME [ARGS]} that is always
 * preceded by a newline the script prints itself; a section's body is therefore exactly the bytes its command
 * printed. {@link ProbeOutput} splits it back.
 */
final class Probe {
  static final String MARK = "#@jplay@# ";

  /** The address Ansible asks the kernel a route to; {@code ip route get} only consults the table, sends nothing. */
  static final String ROUTE_V4 = "8.8.8.8";

  static final String ROUTE_V6 = "2404:6800:400a:800::1012";

  private static final List<String> DISTRIBUTION_FILES = List.of(
      "/etc/os-release", "/usr/lib/os-release", "/etc/altlinux-release", "/etc/oracle-release",
      "/etc/slackware-version", "/etc/centos-release", "/etc/redhat-release", "/etc/vmware-release",
      "/etc/openwrt_release", "/etc/system-release", "/etc/alpine-release", "/etc/arch-release",
      "/etc/SuSE-release", "/etc/gentoo-release", "/etc/lsb-release", "/etc/sourcemage-release",
      "/etc/coreos/update.conf", "/etc/debian_version");

  /** Ansible's PKG_MGRS paths, in its order (the last one present wins there, and here). */
  static final List<String[]> PKG_MGRS = List.of(
      new String[] {"/usr/bin/rpm-ostree", "atomic_container"},
      new String[] {"/usr/bin/yum", "yum"},
      new String[] {"/usr/bin/dnf", "dnf"},
      new String[] {"/usr/bin/apt-get", "apt"},
      new String[] {"/usr/bin/zypper", "zypper"},
      new String[] {"/usr/sbin/urpmi", "urpmi"},
      new String[] {"/usr/bin/pacman", "pacman"},
      new String[] {"/bin/opkg", "opkg"},
      new String[] {"/usr/pkg/bin/pkgin", "pkgin"},
      new String[] {"/opt/local/bin/pkgin", "pkgin"},
      new String[] {"/opt/tools/bin/pkgin", "pkgin"},
      new String[] {"/opt/local/bin/port", "macports"},
      new String[] {"/usr/local/bin/brew", "homebrew"},
      new String[] {"/opt/homebrew/bin/brew", "homebrew"},
      new String[] {"/sbin/apk", "apk"},
      new String[] {"/usr/sbin/pkg", "pkgng"},
      new String[] {"/usr/sbin/swlist", "swdepot"},
      new String[] {"/usr/bin/emerge", "portage"},
      new String[] {"/usr/sbin/pkgadd", "svr4pkg"},
      new String[] {"/usr/bin/pkg", "pkg5"},
      new String[] {"/usr/bin/xbps-install", "xbps"},
      new String[] {"/usr/local/sbin/pkg", "pkgng"},
      new String[] {"/usr/bin/swupd", "swupd"},
      new String[] {"/usr/sbin/sorcery", "sorcery"},
      new String[] {"/usr/bin/installp", "installp"});

  private static final String PRELUDE = """
      exec 2>/dev/null
      m() { printf '\\n#@jplay@# %s\\n' "$*"; }
      f() { for p in "$@"; do if [ -f "$p" ] && [ -r "$p" ]; then m file "$p"; cat "$p"; fi; done; }
      """;

  private Probe() {}

  /**
   * The script for {@code collectors}.
   *
   * @param factPath where local facts live ({@code fact_path})
   * @param timeoutSeconds how long one executable local fact may run ({@code gather_timeout}), when
   *     {@code timeout} exists on the host
   */
  static String script(Set<Collector> collectors, String factPath, int timeoutSeconds) {
    EnumSet<Collector> c = collectors.isEmpty() ? EnumSet.noneOf(Collector.class) : EnumSet.copyOf(collectors);
    StringBuilder s = new StringBuilder(PRELUDE);
    // The environment first, before the script changes LANG and PATH for its own tools.
    if (c.contains(Collector.ENV)) {
      s.append("if [ -r /proc/self/environ ]; then m env nul; cat /proc/self/environ; else m env lines; env; fi\n");
    }
    s.append("LC_ALL=C; LANG=C; export LC_ALL LANG\n");
    s.append("PATH=\"$PATH:/usr/local/sbin:/usr/sbin:/sbin\"; export PATH\n");
    Set<String> files = new LinkedHashSet<>();
    Set<String> exists = new LinkedHashSet<>();
    if (c.contains(Collector.PLATFORM)) {
      s.append("m uname; uname -s; uname -n; uname -r; uname -v; uname -m\n");
      // Python's socket.getfqdn(): the node name resolved forward, then the address resolved back.
      s.append("m fqdn; if command -v getent >/dev/null; then a=$(getent ahosts \"$(uname -n)\" | sed -n '1s/[[:space:]].*//p');"
          + " [ -n \"$a\" ] && getent hosts \"$a\" | sed -n 1p; fi\n");
      files.add("/var/lib/dbus/machine-id");
      files.add("/etc/machine-id");
    }
    if (c.contains(Collector.DISTRIBUTION)) {
      files.addAll(DISTRIBUTION_FILES);
      s.append("m releases; for b in $(ls /etc | grep -E '^[A-Za-z0-9_]+[-_](release|version)$'); do echo \"$b\"; done\n");
      // Other release files (rocky-release, fedora-release...): distro reads the first one's first line.
      String known = String.join("|", DISTRIBUTION_FILES.stream()
          .filter(p -> p.matches("/etc/[A-Za-z0-9_]+[-_](release|version)")).map(p -> p.substring(5)).toList());
      s.append("for b in $(ls /etc | grep -E '^[A-Za-z0-9_]+[-_](release|version)$'); do case \"$b\" in " + known
          + ") ;; *) f \"/etc/$b\";; esac; done\n");
    }
    if (c.contains(Collector.USER)) {
      s.append("m user; u=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-}}}}; [ -n \"$u\" ] || u=$(id -un);"
          + " printf '%s\\n' \"$u\"; id -u; id -g; id -ru; id -rg;"
          + " { getent passwd \"$u\" || getent passwd \"$(id -u)\" || grep \"^$u:\" /etc/passwd; } | sed -n 1p\n");
    }
    if (c.contains(Collector.DATE_TIME)) {
      // Now, then the zone's offset and name in January and July: the one with the larger offset names DST.
      s.append("m date; date '+%s %N %z %Z'; y=$(date +%Y);"
          + " date -d \"$y-01-01 12:00\" '+%z %Z' || echo; date -d \"$y-07-01 12:00\" '+%z %Z' || echo\n");
    }
    if (c.contains(Collector.DNS)) {
      files.add("/etc/resolv.conf");
    }
    if (c.contains(Collector.SELINUX)) {
      files.add("/sys/fs/selinux/enforce");
      files.add("/sys/fs/selinux/policyvers");
      files.add("/etc/selinux/config");
    }
    if (c.contains(Collector.APPARMOR)) {
      exists.add("/sys/kernel/security/apparmor");
    }
    if (c.contains(Collector.FIPS)) {
      files.add("/proc/sys/crypto/fips_enabled");
    }
    if (c.contains(Collector.LOADAVG)) {
      files.add("/proc/loadavg");
    }
    if (c.contains(Collector.SERVICE_MGR)) {
      files.add("/proc/1/comm");
      s.append("m init; readlink /sbin/init\n");
      s.append("m which; for t in systemctl initctl; do command -v \"$t\" >/dev/null && echo \"$t\"; done\n");
      exists.addAll(List.of("/run/systemd/system/", "/dev/.run/systemd/", "/dev/.systemd/", "/etc/init/",
          "/sbin/openrc", "/etc/init.d/"));
    }
    if (c.contains(Collector.PKG_MGR)) {
      PKG_MGRS.forEach(p -> exists.add(p[0]));
      exists.add("/run/ostree-booted");
      // APT on an RPM system (ALT Linux) or an ordinary APT with rpm merely installed: rpm knows.
      s.append("m aptrpm; if [ -e /usr/bin/rpm ] && [ -e /usr/bin/apt-get ]; then"
          + " /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null; echo $?; fi\n");
    }
    if (c.contains(Collector.HARDWARE)) {
      s.append("m cpuinfo; grep -E '^(model name|Processor|vendor_id|cpu|Vendor|processor|physical id|core id|cpu cores"
          + "|siblings|# processors|ncpus active)[[:space:]]*:' /proc/cpuinfo\n");
      s.append("m cpuvme; grep -m1 '^flags' /proc/cpuinfo | grep -qw vme && echo vme\n");
      s.append("m nproc; nproc\n");
      files.addAll(List.of("/proc/meminfo", "/proc/uptime", "/sys/hypervisor/type"));
      exists.add("/proc/xen");
    }
    if (c.contains(Collector.NETWORK)) {
      s.append("if command -v ip >/dev/null; then\n");
      s.append("m route4; ip -4 route get " + ROUTE_V4 + "\n");
      s.append("m route6; ip -6 route get " + ROUTE_V6 + "\n");
      s.append("m addrs; ip -o addr show\n");
      s.append("for d in /sys/class/net/*; do [ -d \"$d\" ] || continue; m netdev \"${d##*/}\";"
          + " for k in address mtu operstate type flags speed; do v=$(cat \"$d/$k\") && printf '%s=%s\\n' \"$k\" \"$v\"; done;"
          + " [ -e \"$d/device\" ] && printf 'pciid=%s\\n' \"$(basename \"$(readlink \"$d/device\")\")\";"
          + " [ -e \"$d/device/driver/module\" ] && printf 'module=%s\\n'"
          + " \"$(basename \"$(readlink -f \"$d/device/driver/module\")\")\"; done\n");
      s.append("fi\n");
    }
    if (c.contains(Collector.VIRTUAL)) {
      files.addAll(List.of("/proc/1/cgroup", "/run/systemd/container", "/sys/devices/virtual/dmi/id/product_name",
          "/sys/devices/virtual/dmi/id/sys_vendor", "/sys/devices/virtual/dmi/id/product_family",
          "/sys/devices/virtual/dmi/id/bios_vendor", "/proc/xen/capabilities"));
      exists.addAll(List.of("/proc/vz", "/proc/lve", "/proc/bc", "/.dockerenv", "/.dockerinit", "/proc/xen",
          "/dev/kvm", "/rhev/"));
      s.append("m initenv; tr '\\000' '\\n' </proc/1/environ | grep '^container='\n");
      s.append("m modules; cut -d' ' -f1 /proc/modules\n");
      s.append("m detectvirt; if command -v systemd-detect-virt >/dev/null; then"
          + " echo \"container=$(systemd-detect-virt -c)\"; echo \"vm=$(systemd-detect-virt -v)\"; fi\n");
    }
    if (!files.isEmpty()) {
      s.append("f ").append(Shell.join(new ArrayList<>(files))).append('\n');
    }
    if (!exists.isEmpty()) {
      s.append("m exists; for p in ").append(Shell.join(new ArrayList<>(exists)))
          .append("; do [ -e \"$p\" ] && printf '%s\\n' \"$p\"; done\n");
    }
    if (c.contains(Collector.LOCAL)) {
      s.append(local(factPath, timeoutSeconds));
    }
    s.append("m end\nexit 0\n");
    return s.toString();
  }

  /** Local facts: files are printed, executables run (with a time limit when possible) with their exit code. */
  private static String local(String factPath, int timeoutSeconds) {
    return "fp=" + Shell.quote(factPath) + "\n"
        + "if [ -d \"$fp\" ]; then m localdir\n"
        + "  t=$(mktemp) || t=/dev/null\n"
        + "  for lf in \"$fp\"/*.fact; do [ -e \"$lf\" ] || continue; n=${lf##*/}; n=${n%.fact}\n"
        + "    if [ -x \"$lf\" ]; then m localexec \"$n\";\n"
        + "      if command -v timeout >/dev/null; then timeout " + Math.max(1, timeoutSeconds)
        + " \"$lf\" 2>\"$t\"; else \"$lf\" 2>\"$t\"; fi; r=$?\n"
        + "      m localrc \"$r\"; cat \"$t\"\n"
        + "    else m localfile \"$n\"; cat \"$lf\"; fi\n"
        + "  done\n"
        + "  [ \"$t\" = /dev/null ] || rm -f \"$t\"\n"
        + "fi\n";
  }
}
