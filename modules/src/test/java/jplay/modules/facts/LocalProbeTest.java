package jplay.modules.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe run for real with {@code /bin/sh -c} on this machine, its facts checked against independent readings. */
class LocalProbeTest {
  @TempDir Path factPath;

  static String sh(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "finished");
    assertEquals(0, p.exitValue(), "exit code of: " + script);
    return out;
  }

  private Map<String, Object> gather(List<String> subset) throws IOException, InterruptedException {
    var collectors = Subsets.resolve(subset);
    String out = sh(Probe.script(collectors, factPath.toString(), 10));
    List<String> warnings = new ArrayList<>();
    Map<String, Object> f = Facts.gather(ProbeOutput.parse(out), collectors, factPath.toString(), subset, warnings);
    assertEquals(List.of(), warnings);
    return f;
  }

  @Test
  void agreesWithIndependentReadingsOfThisMachine() throws Exception {
    Map<String, Object> f = gather(List.of("all"));
    assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip().split("\\.")[0], f.get("hostname"));
    assertEquals(sh("uname -r").strip(), f.get("kernel"));
    assertEquals(sh("uname -m").strip(), f.get("architecture"));
    assertEquals("Linux", f.get("system"));
    long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
        .findFirst().orElseThrow();
    assertEquals((int) (memKb / 1024), f.get("memtotal_mb"));
    assertEquals(Integer.parseInt(sh("id -u").strip()), f.get("user_uid"));
    assertEquals(Integer.parseInt(sh("id -u").strip()), f.get("effective_user_id"));
    assertEquals(System.getProperty("user.name"), f.get("user_id"));
    assertEquals(Runtime.getRuntime().availableProcessors(), f.get("processor_nproc"));
    Map<?, ?> env = (Map<?, ?>) f.get("env");
    assertEquals(System.getenv("PATH"), env.get("PATH"), "the environment as the host gave it, not the probe's own");
    Map<?, ?> time = (Map<?, ?>) f.get("date_time");
    long epoch = Long.parseLong((String) time.get("epoch"));
    assertTrue(Math.abs(epoch - System.currentTimeMillis() / 1000) < 60, "clock read now");
    assertTrue(f.get("default_ipv4") instanceof Map<?, ?>);
    assertTrue(f.containsKey("distribution_version"));
    assertTrue(f.containsKey("virtualization_type"));
    assertEquals(Map.of(), f.get("local"));
  }

  @Test
  void theMinimalSetLeavesHardwareAndNetworkOut() throws Exception {
    Map<String, Object> f = gather(List.of("!all"));
    assertTrue(f.containsKey("distribution"));
    assertTrue(f.containsKey("pkg_mgr"));
    assertTrue(!f.containsKey("memtotal_mb") && !f.containsKey("default_ipv4") && !f.containsKey("virtualization_type"),
        "no hardware, network or virtual facts: " + f.keySet());
  }

  @Test
  void readsLocalFactsAsJsonIniOrProgramOutput() throws Exception {
    Files.writeString(factPath.resolve("app.fact"), "{\"version\": \"1.2\", \"ports\": [80, 443]}\n");
    Files.writeString(factPath.resolve("site.fact"), "[general]\nName = web\ncolour: blue\n");
    Path script = factPath.resolve("dyn.fact");
    Files.writeString(script, "#!/bin/sh\necho '{\"ok\": true}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path broken = factPath.resolve("broken.fact");
    Files.writeString(broken, "#!/bin/sh\necho oops >&2\nexit 3\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(factPath.resolve("bad.fact"), "not json, not ini\n");
    Files.writeString(factPath.resolve("ignored.txt"), "{}");

    Map<String, Object> f = gather(List.of("!all", "!min", "local"));
    Map<?, ?> local = (Map<?, ?>) f.get("local");
    assertEquals(Map.of("version", "1.2", "ports", List.of(80, 443)), local.get("app"));
    assertEquals(Map.of("general", Map.of("name", "web", "colour", "blue")), local.get("site"));
    assertEquals(Map.of("ok", true), local.get("dyn"));
    assertEquals("Failure executing fact script (" + factPath + "/broken.fact), rc: 3, err: oops\n",
        local.get("broken"));
    assertEquals("error loading facts as JSON or ini - please check content: " + factPath + "/bad.fact",
        local.get("bad"));
    assertEquals(5, local.size());
    assertTrue(!f.containsKey("distribution"), "only local facts were asked for");
  }
}
