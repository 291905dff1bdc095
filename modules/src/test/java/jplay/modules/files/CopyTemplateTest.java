package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import jplay.engine.api.Command;
import jplay.engine.api.Outcome;
import jplay.engine.api.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import jplay.modules.testing.LocalTarget;

/** copy and template run for real on this machine: files on disk, idempotence, check mode, diffs, failures. */
class CopyTemplateTest {
  @TempDir Path tmp;

  private String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private Set<String> tree(Path dir) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> !p.equals(dir)).forEach(p -> out.add(dir.relativize(p).toString()));
    }
    return out;
  }

  @Test
  void contentIsWrittenOnceAndCheckModeTouchesNothing() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path dest = tmp.resolve("out/app.conf");
    Files.createDirectories(dest.getParent());
    Map<String, Object> args = Map.of("content", "a=1\n", "dest", dest.toString(), "mode", "0640");

    LocalTarget.Run check = t.run(new CopyModule(), args, true);
    assertTrue(check.changed());
    assertFalse(Files.exists(dest), "check mode writes nothing");
    assertEquals("", check.diffBefore());
    assertEquals("a=1\n", check.diffAfter());

    Outcome first = t.apply(new CopyModule(), args);
    assertTrue(first.changed(), first.msg());
    assertEquals("a=1\n", Files.readString(dest));
    assertEquals("rw-r-----", perms(dest));
    assertEquals("0640", first.data().get("mode"));
    assertEquals(dest.toString(), first.data().get("dest"));
    assertEquals(Checksums.sha1("a=1\n".getBytes(StandardCharsets.UTF_8)), first.data().get("checksum"));
    assertEquals(Checksums.md5("a=1\n".getBytes(StandardCharsets.UTF_8)), first.data().get("md5sum"));
    assertEquals(4L, ((Number) first.data().get("size")).longValue());
    assertEquals("file", first.data().get("state"));

    LocalTarget.Run second = t.run(new CopyModule(), args, false);
    assertFalse(second.changed(), "same content, same mode: nothing to do");
    assertInstanceOf(Plan.Noop.class, second.plan());

    Outcome changed = t.apply(new CopyModule(), Map.of("content", "a=2\n", "dest", dest.toString(), "backup", true));
    assertTrue(changed.changed());
    assertEquals("a=2\n", Files.readString(dest));
    assertEquals("rw-r-----", perms(dest), "the replaced file's mode is kept");
    String backup = (String) changed.data().get("backup_file");
    assertTrue(backup.matches(java.util.regex.Pattern.quote(dest.toString()) + "\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~"),
        backup);
    assertEquals("a=1\n", Files.readString(Path.of(backup)));
    assertEquals(Set.of("app.conf", Path.of(backup).getFileName().toString()), tree(dest.getParent()));
  }

  @Test
  void onlyTheModeChangesWhenTheContentIsTheSame() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path dest = tmp.resolve("f");
    Files.writeString(dest, "same\n");
    LocalTarget.Run run = t.run(new CopyModule(), Map.of("content", "same\n", "dest", dest.toString(), "mode", "u=rw,go="), false);
    assertTrue(run.changed());
    Plan.Change change = assertInstanceOf(Plan.Change.class, run.plan());
    assertEquals("chmod -- 0600 " + dest, change.commands().get(0).script());
    assertEquals("rw-------", perms(dest));
    assertEquals("path: " + dest + "\nmode: 0644\n", run.diffBefore().replace("0664", "0644"));
  }

  @Test
  void srcFromTheFilesFolderIntoAnExistingDirectoryWithPreservedMode() throws IOException {
    Path play = Files.createDirectories(tmp.resolve("play"));
    Path src = Files.createDirectories(play.resolve("files")).resolve("run.sh");
    Files.writeString(src, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-x---"));
    Path destDir = Files.createDirectories(tmp.resolve("bin"));
    LocalTarget t = LocalTarget.builder().dir(tmp).base(play).vars(Map.of()).moduleErrorsFail(true).build();
    Map<String, Object> args = Map.of("src", "run.sh", "dest", destDir.toString(), "mode", "preserve");
    Outcome first = t.apply(new CopyModule(), args);
    assertTrue(first.changed(), first.msg());
    assertEquals("#!/bin/sh\necho hi\n", Files.readString(destDir.resolve("run.sh")));
    assertEquals("rwxr-x---", perms(destDir.resolve("run.sh")));
    assertEquals(destDir.resolve("run.sh").toString(), first.data().get("dest"));
    assertFalse(t.apply(new CopyModule(), args).changed());
  }

  @Test
  void aTreeWithAndWithoutTrailingSlash() throws IOException {
    Path play = Files.createDirectories(tmp.resolve("play"));
    Path site = Files.createDirectories(play.resolve("site/css"));
    Files.writeString(play.resolve("site/index.html"), "<h1>hi</h1>\n");
    Files.writeString(site.resolve("a.css"), "body{}\n");
    Files.createDirectories(play.resolve("site/empty"));
    LocalTarget t = LocalTarget.builder().dir(tmp).base(play).vars(Map.of()).moduleErrorsFail(true).build();

    Path www = tmp.resolve("www");
    Map<String, Object> contents = Map.of("src", "site/", "dest", www.toString(), "directory_mode", "0750");
    Outcome first = t.apply(new CopyModule(), contents);
    assertTrue(first.changed(), first.msg());
    assertEquals(Set.of("css", "css/a.css", "empty", "index.html"), tree(www));
    assertEquals("rwxr-x---", perms(www.resolve("css")));
    assertFalse(t.apply(new CopyModule(), contents).changed(), "second run");

    Files.writeString(site.resolve("a.css"), "body{color:red}\n");
    LocalTarget.Run changed = t.run(new CopyModule(), contents, false);
    assertTrue(changed.changed());
    assertEquals(www + "/css/a.css: sha1 " + Checksums.sha1("body{}\n".getBytes(StandardCharsets.UTF_8)) + "\n",
        changed.diffBefore());
    Plan.Change c = (Plan.Change) changed.plan();
    assertEquals(1, c.commands().size(), "only the changed file travels");
    assertEquals("body{color:red}\n", Files.readString(www.resolve("css/a.css")));

    Path other = tmp.resolve("other");
    Outcome whole = t.apply(new CopyModule(), Map.of("src", "site", "dest", other.toString()));
    assertTrue(whole.changed());
    assertEquals(Set.of("site", "site/css", "site/css/a.css", "site/empty", "site/index.html"), tree(other));
  }

  @Test
  void aFailedValidationLeavesTheFileAndNoTempBehind() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path dest = tmp.resolve("sudoers");
    Files.writeString(dest, "good\n");
    Outcome bad = t.apply(new CopyModule(),
        Map.of("content", "bad\n", "dest", dest.toString(), "validate", "grep -q '^good' %s"));
    assertTrue(bad.failed());
    assertEquals("failed to validate: rc:1 error:", bad.msg());
    assertEquals("good\n", Files.readString(dest));
    assertEquals(Set.of("sudoers"), tree(tmp));

    Outcome ok = t.apply(new CopyModule(),
        Map.of("content", "good too\n", "dest", dest.toString(), "validate", "grep -q '^good' %s"));
    assertFalse(ok.failed(), ok.msg());
    assertEquals("good too\n", Files.readString(dest));

    Outcome noPercent = t.apply(new CopyModule(), Map.of("content", "x\n", "dest", dest.toString(), "validate", "true"));
    assertEquals("validate must contain %s: true", noPercent.msg());
  }

  @Test
  void aMissingDestinationDirectoryIsAnError() {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Outcome o = t.apply(new CopyModule(), Map.of("content", "x", "dest", tmp.resolve("no/such/f").toString()));
    assertTrue(o.failed());
    assertEquals("Destination directory " + tmp.resolve("no/such") + " does not exist", o.msg());
    Outcome made = t.apply(new CopyModule(), Map.of("content", "x", "dest", tmp.resolve("new/dir/") + "/"));
    assertTrue(made.failed(), "content to a directory");
    assertEquals("can not use content with a dir as dest", made.msg());
  }

  @Test
  void remoteSourceAndSymlinks() throws IOException {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    Path src = tmp.resolve("hosts");
    Files.writeString(src, "127.0.0.1 localhost\n");
    Path copy = tmp.resolve("hosts.bak");
    Map<String, Object> args = Map.of("src", src.toString(), "dest", copy.toString(), "remote_src", true);
    assertTrue(t.apply(new CopyModule(), args).changed());
    assertEquals("127.0.0.1 localhost\n", Files.readString(copy));
    assertFalse(t.apply(new CopyModule(), args).changed());

    Path real = tmp.resolve("real");
    Files.writeString(real, "old\n");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    Outcome through = t.apply(new CopyModule(), Map.of("content", "new\n", "dest", link.toString(), "follow", true));
    assertTrue(through.changed());
    assertTrue(Files.isSymbolicLink(link), "follow writes through the link");
    assertEquals("new\n", Files.readString(real));
    assertFalse(t.apply(new CopyModule(), Map.of("content", "new\n", "dest", link.toString(), "follow", true)).changed());

    Outcome replaced = t.apply(new CopyModule(), Map.of("content", "new\n", "dest", link.toString()));
    assertTrue(replaced.changed(), "without follow the link itself becomes the file");
    assertFalse(Files.isSymbolicLink(link));
    assertEquals("new\n", Files.readString(link));
  }

  @Test
  void contentIsStdinNeverTheCommandLine() {
    LocalTarget t = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build();
    String secret = "password=$(rm -rf /) 'x' \"y\" `z`\n";
    LocalTarget.Run run = t.run(new CopyModule(), Map.of("content", secret, "dest", tmp.resolve("s").toString()), true);
    Command write = ((Plan.Change) run.plan()).commands().get(0);
    assertFalse(write.script().contains("password"), write.script());
    assertArrayEquals(secret.getBytes(StandardCharsets.UTF_8), write.stdin());
  }

  @Test
  void templateRendersWithAnsiblesWhitespaceAndVariables() throws IOException {
    Path play = Files.createDirectories(tmp.resolve("play/templates"));
    Files.writeString(play.resolve("app.conf.j2"), """
        # {{ ansible_managed }}
        {% for u in users %}
            {% if u != 'bob' %}
        user={{ u }}
            {% endif %}
        {% endfor %}
        name={{ template_destpath }}
        """);
    LocalTarget t = LocalTarget.builder().dir(tmp).base(tmp.resolve("play")).vars(Map.of("users", List.of("ann", "bob", "cy"))).moduleErrorsFail(true).build();
    Path dest = tmp.resolve("app.conf");
    Map<String, Object> args = Map.of("src", "app.conf.j2", "dest", dest.toString(), "lstrip_blocks", true);
    Outcome first = t.apply(new TemplateModule(), args);
    assertFalse(first.failed(), first.msg());
    assertEquals("# Ansible managed\nuser=ann\nuser=cy\nname=" + dest + "\n", Files.readString(dest));
    assertFalse(t.apply(new TemplateModule(), args).changed(), "second run");

    Outcome crlf = t.apply(new TemplateModule(), Map.of("src", "app.conf.j2", "dest", dest.toString(),
        "lstrip_blocks", true, "newline_sequence", "\r\n"));
    assertTrue(crlf.changed());
    assertEquals("# Ansible managed\r\nuser=ann\r\nuser=cy\r\nname=" + dest + "\r\n", Files.readString(dest));
  }

  @Test
  void templateErrorsNameTheProblem() throws IOException {
    Files.writeString(tmp.resolve("bad.j2"), "{{ nope }}\n");
    Outcome o = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build().apply(new TemplateModule(), Map.of("src", "bad.j2", "dest", tmp.resolve("x").toString()));
    assertTrue(o.failed());
    assertEquals(tmp.resolve("bad.j2") + ": 'nope' is undefined in '...'", o.msg());
    Outcome missing = LocalTarget.builder().dir(tmp).moduleErrorsFail(true).build().apply(new TemplateModule(), Map.of("src", "none.j2", "dest", "/tmp/x"));
    assertTrue(missing.msg().startsWith("could not find src=none.j2, looked in: " + tmp.resolve("templates/none.j2")),
        missing.msg());
  }
}
