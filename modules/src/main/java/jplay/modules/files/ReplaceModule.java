package jplay.modules.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import jplay.engine.api.Args;
import jplay.engine.api.Diff;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code replace}: every match of a Python regular expression (MULTILINE) in the file, or in the part of
 * it between {@code after} and {@code before}, replaced by a template with back-references. The file is decoded
 * with {@code encoding}; a change is one atomic write.
 */
public final class ReplaceModule implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("replace")
            .aliases("ansible.builtin.replace")
            .summary("Replace all instances of a particular string in a file using a back-referenced regular expression")
            .description(
                "Replaces every match of regexp in the file. Regular expressions are Python's, with MULTILINE set:"
                    + " ^ and $ match at every line. after and before narrow the section searched.")
            .param(Param.path("path").required().aliases("dest", "destfile", "name").doc("The file to modify."))
            .param(
                Param.str("regexp")
                    .required()
                    .doc("The regular expression to look for; it must not match the replacement too, or a second"
                        + " run changes the file again."))
            .param(
                Param.str("replace")
                    .defaultValue("")
                    .doc("The replacement; may hold \\1 and \\g<name> back-references. Empty removes the matches."))
            .param(
                Param.str("after")
                    .doc("Only replace after the first match of this regular expression (DOTALL: . matches newlines)."))
            .param(
                Param.str("before")
                    .doc("Only replace before the last match of this regular expression (DOTALL)."))
            .param(
                Param.bool("backup")
                    .defaultValue(false)
                    .doc("Keep a timestamped copy of the original; its path is returned as backup_file."))
            .param(
                Param.str("validate")
                    .doc("A command that checks the new file before it replaces the old one; %s is the file."))
            .param(
                Param.str("encoding")
                    .defaultValue("utf-8")
                    .doc("The character encoding to read and write the file with."));
    Attrs.params().forEach(b::param);
    SPEC =
        b.examples(
                """
                - name: Old host name everywhere
                  replace:
                    path: /etc/hosts
                    regexp: '(\\s+)old\\.example\\.com(\\s+.*)?$'
                    replace: '\\1new.example.com\\2'
                - name: Only in one section
                  replace:
                    path: /etc/app.conf
                    after: '\\[main\\]'
                    before: '\\[extra\\]'
                    regexp: '^debug=.*$'
                    replace: debug=false
                    backup: yes
                """)
            .build();
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** Its plan reads the path's facts and computes; a new path's probe is guessed. */
  @Override
  public boolean plansFromGuesses() {
    return true;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String path = args.str("path");
    Charset charset;
    try {
      charset = Charset.forName(args.str("encoding"));
    } catch (IllegalArgumentException e) {
      throw new ModuleException("unknown encoding '" + args.str("encoding") + "' for replace");
    }
    RemoteFile now = ctx.fact(RemoteFile.fact(path, null, RemoteFile.ALL));
    if (now.isDirectory()) {
      throw new ModuleException("Path " + path + " is a directory !", Map.of("rc", 256));
    }
    if (!now.isFile()) {
      throw new ModuleException("Path " + path + " does not exist !", Map.of("rc", 257));
    }
    if (now.content() == null) {
      throw new ModuleException("Unable to read the contents of " + path + ": permission denied");
    }
    String contents = decode(now.content(), charset, path);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rc", 0);
    String after = args.str("after");
    String before = args.str("before");
    String pattern = null;
    if (notEmpty(after) && notEmpty(before)) {
      pattern = after + "(?P<subsection>.*?)" + before;
    } else if (notEmpty(after)) {
      pattern = after + "(?P<subsection>.*)";
    } else if (notEmpty(before)) {
      pattern = "(?P<subsection>.*)" + before;
    }
    String section = contents;
    int from = 0;
    int to = contents.length();
    if (pattern != null) {
      PyRegex sectionRe = PyRegex.text("after/before", pattern, PyRegex.DOTALL);
      Matcher m = sectionRe.matcher(contents);
      if (!m.find()) {
        return new Plan.Noop("after/before did not match",
            Outcome.ok(data).withMsg("Pattern for before/after params did not match the given file: " + pattern));
      }
      from = m.start("subsection");
      to = m.end("subsection");
      section = contents.substring(from, to);
    }
    PyRegex re = PyRegex.text("regexp", args.str("regexp"), PyRegex.MULTILINE);
    PyRegex.Sub sub = re.subn(section, args.str("replace"));
    String dest = now.state().target() != null ? now.state().target() : path;
    ContentChange c = new ContentChange(args, dest, now)
        .backup(args.bool("backup"))
        .validate(args.str("validate"));
    data.forEach(c::put);
    if (sub.count() > 0 && !section.equals(sub.text())) {
      String result = contents.substring(0, from) + sub.text() + contents.substring(to);
      c.content(result.getBytes(charset))
          .msg(sub.count() + " replacements made")
          .diff(new Diff(path, contents, path, result));
    }
    return c.plan("nothing to replace in " + path);
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String decode(byte[] bytes, Charset charset, String path) {
    try {
      return charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ModuleException("cannot read " + path + " as " + charset.name() + ": " + e.getMessage());
    }
  }
}
