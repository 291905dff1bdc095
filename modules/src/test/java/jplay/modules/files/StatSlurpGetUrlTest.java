package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jplay.modules.testing.LocalTarget;

/** stat, slurp and get_url for real on this machine; get_url against a tiny HTTP server on 127.0.0.1. */
class StatSlurpGetUrlTest {
  @TempDir Path tmp;
  private HttpServer http;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile byte[] body = "hello v1\n".getBytes(StandardCharsets.UTF_8);
  private String base;

  @BeforeEach
  void serve() throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String token = ex.getRequestHeaders().getFirst("X-Token");
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
          + (auth == null ? "" : " auth=" + auth) + (token == null ? "" : " token=" + token)
          + (ex.getRequestHeaders().containsKey("If-Modified-Since") ? " conditional" : ""));
      if (ex.getRequestURI().getPath().equals("/missing")) {
        ex.sendResponseHeaders(404, -1);
      } else if (ex.getRequestURI().getPath().equals("/secret") && !"Basic dTpwQCQ=".equals(auth)) {
        ex.sendResponseHeaders(401, -1);
      } else {
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream o = ex.getResponseBody()) {
          o.write(body);
        }
      }
      ex.close();
    });
    http.start();
    base = "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    http.stop(0);
  }

  @Test
  void statOfAFileALinkAndNothing() throws IOException {
    Path f = tmp.resolve("f");
    Files.writeString(f, "abc\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-02T03:04:05.5Z")));
    Path link = Files.createSymbolicLink(tmp.resolve("l"), Path.of("f"));
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();

    Map<?, ?> s = (Map<?, ?>) t.apply(new StatModule(), Map.of("path", f.toString())).data().get("stat");
    assertEquals(true, s.get("exists"));
    assertEquals(true, s.get("isreg"));
    assertEquals(false, s.get("isdir"));
    assertEquals("0640", s.get("mode"));
    assertEquals(4L, s.get("size"));
    assertEquals(1704164645.5, (Double) s.get("mtime"), 1e-6);
    assertEquals(Checksums.sha1("abc\n".getBytes(StandardCharsets.UTF_8)), s.get("checksum"));
    assertEquals("root", s.get("pw_name"));
    assertEquals("text/plain", s.get("mimetype"));
    assertEquals("us-ascii", s.get("charset"));
    assertEquals(true, s.get("rusr"));
    assertEquals(false, s.get("roth"));
    assertEquals(true, s.get("readable"));

    Map<?, ?> l = (Map<?, ?>) t.apply(new StatModule(), Map.of("path", link.toString())).data().get("stat");
    assertEquals(true, l.get("islnk"));
    assertEquals("f", l.get("lnk_target"));
    assertEquals(f.toString(), l.get("lnk_source"));
    assertFalse(l.containsKey("checksum"), "no checksum of a link itself");

    Outcome followedOutcome = t.apply(new StatModule(),
        Map.of("path", link.toString(), "follow", true, "checksum_algorithm", "sha256"));
    assertFalse(followedOutcome.failed(), followedOutcome.msg());
    Map<?, ?> followed = (Map<?, ?>) followedOutcome.data().get("stat");
    assertEquals(true, followed.get("isreg"));
    assertEquals(Checksums.of("sha256", "abc\n".getBytes(StandardCharsets.UTF_8)), followed.get("checksum"));

    Outcome none = t.apply(new StatModule(), Map.of("path", tmp.resolve("nope").toString()));
    assertEquals(Map.of("exists", false), none.data().get("stat"));
    assertFalse(none.changed());
  }

  /** What this machine's tools print for {@code path}: the oracle of the probe's shortcuts. */
  private static String tool(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return p.waitFor() == 0 ? out : null;
  }

  @Test
  void statOfADirectoryHasTheTypeFileGivesAndTheAttributesLsattrGives() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Path link = Files.createSymbolicLink(tmp.resolve("dl"), dir);
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    // The directory's type comes without running file, and is what file prints for it.
    Map<?, ?> s = (Map<?, ?>) t.apply(new StatModule(), Map.of("path", dir.toString())).data().get("stat");
    assertEquals(true, s.get("isdir"));
    assertEquals(tool("file", "-b", "--mime-type", "--mime-encoding", "--", dir.toString()),
        s.get("mimetype") + "; charset=" + s.get("charset"));
    // A link to it is a link unless followed.
    Map<?, ?> l = (Map<?, ?>) t.apply(new StatModule(), Map.of("path", link.toString())).data().get("stat");
    assertEquals("inode/symlink", l.get("mimetype"));
    Map<?, ?> f = (Map<?, ?>) t.apply(new StatModule(), Map.of("path", link.toString(), "follow", true))
        .data().get("stat");
    assertEquals("inode/directory", f.get("mimetype"));
    // Attributes as lsattr gives them, and none where lsattr cannot read them (tmpfs, say).
    String lsattr = tool("lsattr", "-vd", "--", dir.toString());
    if (lsattr == null) {
      assertFalse(s.containsKey("attributes"), s::toString);
    } else {
      assertEquals(lsattr.split("\\s+")[0], s.get("version"));
      assertEquals(lsattr.split("\\s+")[1].replace("-", ""), s.get("attr_flags"));
    }
  }

  @Test
  void slurpIsBase64() throws IOException {
    byte[] bytes = {0, 1, 2, (byte) 0xff, '\n', 'x'};
    Path f = Files.write(tmp.resolve("bin"), bytes);
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Outcome o = t.apply(new Slurp(), Map.of("src", f.toString()));
    assertEquals(Base64.getEncoder().encodeToString(bytes), o.data().get("content"));
    assertEquals("base64", o.data().get("encoding"));
    assertEquals("file not found: " + tmp.resolve("none"), t.apply(new Slurp(), Map.of("path", tmp.resolve("none").toString())).msg());
    assertEquals("source is a directory and must be a file", t.apply(new Slurp(), Map.of("src", tmp.toString())).msg());
  }

  @Test
  void getUrlDownloadsOnceWithAChecksum() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path dest = tmp.resolve("app.bin");
    String sum = Checksums.of("sha256", body);
    Map<String, Object> args = Map.of("url", base + "/app.bin", "dest", dest.toString(), "checksum", "sha256:" + sum,
        "mode", "0755");

    LocalTarget.Run check = t.run(new GetUrl(), args, true);
    assertTrue(check.changed());
    assertFalse(Files.exists(dest));
    assertEquals(List.of(), requests, "check mode downloads nothing");

    Outcome first = t.apply(new GetUrl(), args);
    assertTrue(first.changed(), first.msg());
    assertEquals("hello v1\n", Files.readString(dest));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
    assertEquals(200, first.data().get("status_code"));
    assertEquals(Checksums.sha1(body), first.data().get("checksum_src"));
    assertNull(first.data().get("checksum_dest"));
    assertEquals(1, requests.size());

    LocalTarget.Run second = t.run(new GetUrl(), args, false);
    assertFalse(second.changed());
    assertTrue(second.plan() instanceof Plan.Noop, "the right checksum is there: no request at all");
    assertEquals(1, requests.size());

    body = "hello v2\n".getBytes(StandardCharsets.UTF_8);
    Outcome wrong = t.apply(new GetUrl(), Map.of("url", base + "/app.bin", "dest", dest.toString(),
        "checksum", "sha256:" + sum, "force", true));
    assertTrue(wrong.failed());
    assertTrue(wrong.msg().startsWith("The checksum for " + dest + " did not match " + sum + "; it was "), wrong.msg());
    assertEquals("hello v1\n", Files.readString(dest), "a wrong download never replaces the file");
    try (var s = Files.list(tmp)) {
      assertEquals(List.of(dest), s.toList(), "no temp file left");
    }
  }

  @Test
  void getUrlWithoutChecksumComparesAndCredentialsStayOffTheCommandLine() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path dest = tmp.resolve("key");
    Map<String, Object> args = Map.of("url", base + "/secret", "dest", dest.toString(), "url_username", "u",
        "url_password", "p@$", "headers", Map.of("X-Token", "a\"b c"));
    LocalTarget.Run first = t.run(new GetUrl(), args, false);
    assertTrue(first.changed(), first.outcome().msg());
    assertEquals("hello v1\n", Files.readString(dest));
    String script = ((Plan.Change) first.plan()).commands().get(0).script();
    assertFalse(script.contains("p@$"), script);
    assertTrue(((Plan.Change) first.plan()).commands().get(0).sensitive());
    assertEquals("GET /secret auth=Basic dTpwQCQ= token=a\"b c", requests.get(0));

    Outcome again = t.apply(new GetUrl(), args);
    assertFalse(again.changed(), again.msg());
    assertTrue(requests.get(1).endsWith(" conditional"), requests.get(1));

    body = "hello v2\n".getBytes(StandardCharsets.UTF_8);
    Files.setLastModifiedTime(dest, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
    Outcome changed = t.apply(new GetUrl(), Map.of("url", base + "/secret", "dest", dest.toString(),
        "url_username", "u", "url_password", "p@$", "backup", true));
    assertTrue(changed.changed(), changed.msg());
    assertEquals("hello v2\n", Files.readString(dest));
    assertEquals("hello v1\n", Files.readString(Path.of((String) changed.data().get("backup_file"))));
  }

  @Test
  void getUrlIntoADirectoryAndFailures() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Outcome intoDir = t.apply(new GetUrl(), Map.of("url", base + "/dl/tool.tgz", "dest", tmp.toString()));
    assertTrue(intoDir.changed(), intoDir.msg());
    assertEquals(tmp.resolve("tool.tgz").toString(), intoDir.data().get("dest"));
    assertTrue(Files.exists(tmp.resolve("tool.tgz")));

    Outcome missing = t.apply(new GetUrl(), Map.of("url", base + "/missing", "dest", tmp.resolve("m").toString()));
    assertTrue(missing.failed());
    assertEquals("Request failed", missing.msg());
    assertEquals(404, missing.data().get("status_code"));
    assertFalse(Files.exists(tmp.resolve("m")));

    Outcome badSum = t.apply(new GetUrl(), Map.of("url", base + "/x", "dest", tmp.resolve("x").toString(),
        "checksum", "sha256"));
    assertEquals("The checksum parameter has to be in format <algorithm>:<checksum>", badSum.msg());
  }
}
