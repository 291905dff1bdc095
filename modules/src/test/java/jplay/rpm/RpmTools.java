package jplay.rpm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.testing.Sshd;
import jplay.modules.testing.LocalTarget;

/**
 * Stand-in RPM repositories for the dnf tests, built once per JVM with Debian's {@code rpmbuild} and
 * {@code createrepo_c}, plus a throw-away dnf sandbox (its own dnf.conf, reposdir and installroot) so that the
 * machine's own package state is never touched.
 *
 * <p>Packages (noarch, no dependencies, no scriptlets, as /work/shared/lab/vm/rpms): in repository {@code jp-base}
 * {@code jp-alpha} 1.0 and 2.0, {@code jp-beta} 1.0 (provides {@code jp-virtual}) and the group {@code jp-tools}
 * (jp-beta); in {@code jp-kube}, which excludes {@code jp-kube*} in its repo file as the Kubernetes repository's
 * instructions do, {@code jp-kubelet} 1.28.0 and 1.28.2; in {@code jp-modular} the module {@code jp-mod} with
 * streams 1.27 and 1.28 (package {@code jp-mod} 1.27.4 / 1.28.1, no default stream).
 */
public final class RpmTools {
  private static Path repos;

  private RpmTools() {}

  /** Skips (fails under CI=true) unless dnf, rpm, rpmbuild and createrepo_c are installed. */
  public static void assumeDnf() {
    for (String tool : List.of("dnf", "rpm", "rpmbuild", "createrepo_c", "modifyrepo_c")) {
      Sshd.require(onPath(tool), tool + " is not installed (Debian packages: dnf rpm createrepo-c; see .ci/apt-packages)");
    }
  }

  public static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  /** The directory holding base/, kube/ and modular/ repositories; built on first use. */
  public static synchronized Path repositories() {
    if (repos == null) {
      assumeDnf();
      try {
        Path dir = Files.createTempDirectory("jplay-rpms");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        build(dir);
        repos = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return repos;
  }

  private static final String SPEC =
      """
      Name:           %{pkgname}
      Version:        %{pkgversion}
      Release:        1%{?dist}
      Summary:        jplay test stand-in
      License:        MIT
      BuildArch:      noarch
      AutoReqProv:    no
      %{?pkgprovides:Provides: %{pkgprovides}}

      %description
      Stand-in package for the jplay dnf tests.

      %install
      mkdir -p %{buildroot}/usr/share/%{name}
      echo "%{version}" > %{buildroot}/usr/share/%{name}/version

      %files
      /usr/share/%{name}
      """;

  private static final String MODULES =
      """
      ---
      document: modulemd
      version: 2
      data:
        name: jp-mod
        stream: "1.27"
        version: 8070020230101000000
        context: 4a8c8b13
        arch: noarch
        summary: jplay test module
        description: Stream 1.27.
        license:
          module: [MIT]
        profiles:
          default:
            rpms: [jp-mod]
        api:
          rpms: [jp-mod]
        artifacts:
          rpms:
            - jp-mod-0:1.27.4-1.module_el8.noarch
      ...
      ---
      document: modulemd
      version: 2
      data:
        name: jp-mod
        stream: "1.28"
        version: 8080020230101000000
        context: 4a8c8b13
        arch: noarch
        summary: jplay test module
        description: Stream 1.28.
        license:
          module: [MIT]
        profiles:
          default:
            rpms: [jp-mod]
        api:
          rpms: [jp-mod]
        artifacts:
          rpms:
            - jp-mod-0:1.28.1-1.module_el8.noarch
      ...
      ---
      document: modulemd-defaults
      version: 1
      data:
        module: jp-mod
        profiles:
          "1.27": [default]
          "1.28": [default]
      ...
      """;

  private static final String COMPS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
      <comps>
        <group>
          <id>jp-tools</id>
          <name>jplay tools</name>
          <description>jplay test group</description>
          <default>false</default>
          <uservisible>true</uservisible>
          <packagelist>
            <packagereq type="mandatory">jp-beta</packagereq>
          </packagelist>
        </group>
      </comps>
      """;

  private static void build(Path dir) throws IOException {
    Files.writeString(dir.resolve("p.spec"), SPEC);
    Files.writeString(dir.resolve("modules.yaml"), MODULES);
    Files.writeString(dir.resolve("comps.xml"), COMPS);
    String script =
        """
        set -e
        cd "$1"
        b() { # repo name version dist [provides]
          rpmbuild -bb --quiet --define "_topdir $PWD/$1/top" --define "pkgname $2" --define "pkgversion $3" \\
            ${4:+--define "dist $4"} ${5:+--define "pkgprovides $5"} --define "_build_id_links none" \\
            --define "_binary_payload w9.gzdio" p.spec >/dev/null
          mkdir -p "$1"; find "$1/top/RPMS" -name '*.rpm' -exec mv {} "$1/" \\;
        }
        b base jp-alpha 1.0 ''
        b base jp-alpha 2.0 ''
        b base jp-beta 1.0 '' jp-virtual
        b kube jp-kubelet 1.28.0 ''
        b kube jp-kubelet 1.28.2 ''
        b modular jp-mod 1.27.4 .module_el8
        b modular jp-mod 1.28.1 .module_el8
        rm -rf base/top kube/top modular/top
        createrepo_c --quiet -g "$PWD/comps.xml" base
        createrepo_c --quiet kube
        createrepo_c --quiet modular
        modifyrepo_c --mdtype=modules modules.yaml modular/repodata >/dev/null
        """;
    CommandResult r =
        LocalTarget.local().run(Command.of("sh -c " + jplay.engine.api.Shell.quote(script) + " build " + dir));
    if (!r.ok()) {
      throw new AssertionError("building the test RPM repositories failed: " + r.stderr() + r.stdout());
    }
  }

  /**
   * A dnf sandbox: a dnf.conf whose reposdir holds jp-base, jp-kube and jp-modular (file:// URLs, gpgcheck off,
   * module_platform_id platform:el8) and an empty installroot. The dnf module's {@code conf_file},
   * {@code installroot} and {@code releasever} point at it.
   */
  public record Sandbox(Path root, Path conf, Path reposdir) {
    /** The dnf module arguments that aim it at this sandbox. */
    public Map<String, Object> args() {
      return Map.of("conf_file", conf.toString(), "installroot", root.toString(), "releasever", "8");
    }

    /** What rpm says is installed in the sandbox, as sorted "name-version-release.arch" lines. */
    public List<String> installed() {
      CommandResult r =
          LocalTarget.local()
              .run(Command.argv("rpm", "--root=" + root, "-qa", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"));
      if (!r.ok()) {
        throw new AssertionError("rpm -qa failed: " + r.stderr());
      }
      return r.stdout().lines().sorted().toList();
    }
  }

  /** A new sandbox under {@code dir}. */
  public static Sandbox sandbox(Path dir) throws IOException {
    Path repos = repositories();
    Path reposdir = Files.createDirectories(dir.resolve("yum.repos.d"));
    Path root = Files.createDirectories(dir.resolve("root"));
    Path conf = dir.resolve("dnf.conf");
    Files.writeString(
        conf,
        "[main]\ngpgcheck=0\nreposdir=" + reposdir + "\nbest=True\nskip_if_unavailable=False\n"
            + "module_platform_id=platform:el8\ninstall_weak_deps=False\n");
    Files.writeString(
        reposdir.resolve("jp.repo"),
        "[jp-base]\nname=base\nbaseurl=file://" + repos.resolve("base") + "\n\n"
            + "[jp-kube]\nname=kube\nbaseurl=file://" + repos.resolve("kube") + "\nexclude=jp-kube*\n\n"
            + "[jp-modular]\nname=modular\nbaseurl=file://" + repos.resolve("modular") + "\n");
    return new Sandbox(root, conf, reposdir);
  }

  static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
