package jplay.modules.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.Test;

class WaitForTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  /** Runs the loop with a PATH that has neither bash nor nc, so the port is judged from /proc/net/tcp. */
  private String runWithoutBashOrNc(Map<String, Object> raw) throws Exception {
    java.nio.file.Path bin = java.nio.file.Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("awk", "date", "sleep", "cat", "timeout")) {
      java.nio.file.Path real = java.nio.file.Path.of("/usr/bin", tool);
      if (!java.nio.file.Files.exists(bin.resolve(tool))) {
        java.nio.file.Files.createSymbolicLink(bin.resolve(tool), real.toRealPath());
      }
    }
    String script = WaitForModule.script(Args.bind(WaitForModule.SPEC, raw, false), null);
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
    pb.environment().put("PATH", bin.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.strip();
  }

  @Test
  void withoutBashOrNcAListeningSocketIsFoundInProcNetTcp() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertEquals("jplay-wait: done 0", runWithoutBashOrNc(Map.of("port", s.getLocalPort(), "timeout", 3)));
      int port = s.getLocalPort();
      s.close();
      assertEquals("jplay-wait: done 0",
          runWithoutBashOrNc(Map.of("port", port, "state", "stopped", "timeout", 3)));
      String late = runWithoutBashOrNc(Map.of("port", port, "timeout", 1, "sleep", 1));
      org.junit.jupiter.api.Assertions.assertTrue(late.matches("jplay-wait: timeout [12]"), late);
    }
  }

  @Test
  void pythonEscapesBecomePosixClasses() {
    assertEquals("ready ([0-9]+)", WaitForModule.ere("ready (\\d+)"));
    assertEquals("^SSH-(([0-9.]+))-([^[:space:]]+)", WaitForModule.ere("^SSH-((?P<v>[\\d.]+))-(\\S+)"));
    assertEquals("a[[:alnum:]_]*b", WaitForModule.ere("a\\w*?b"));
    assertEquals("[]a]x\\.", WaitForModule.ere("[]a]x\\."));
    assertEquals("^x$", WaitForModule.ere("\\Ax\\Z"));
  }

  @Test
  void excludedAddressesAsProcNetTcpWritesThem() {
    assertEquals(List.of("0100007F", "0000000000000000FFFF00000100007F"), WaitForModule.procHex("127.0.0.1"));
    assertEquals(List.of("00000000000000000000000001000000"), WaitForModule.procHex("::1"));
  }

  @Test
  void pythonGroupNamesWithUnderscoresSurvive() throws ArgsException {
    Args args = Args.bind(WaitForModule.SPEC, Map.of("path", "/x", "search_regex", "(?P<my_ver>\\d+)-(?P=my_ver)"),
        false);
    WaitForModule.PyRegex p = WaitForModule.PyRegex.compile(args.str("search_regex"));
    Outcome o = WaitForModule.interpret(args, p,
        List.of(CommandResult.of(0, "jplay-wait: line v 12-12\njplay-wait: done 3\n", "")));
    assertEquals(List.of("12"), o.data().get("match_groups"));
    assertEquals(Map.of("my_ver", "12"), o.data().get("match_groupdict"));
    assertEquals(3L, o.data().get("elapsed"));
  }
}
