package jplay.modules.files;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code template}: renders a Jinja2 file from the controller with the host's variables, then places the
 * result as {@link CopyModule} places content (checksum first, atomic write, validate, backup, mode and owner).
 * Ansible's template variables are set: {@code template_path}, {@code template_fullpath}, {@code template_host},
 * {@code template_uid}, {@code template_mtime}, {@code template_destpath}, {@code template_run_date} and
 * {@code ansible_managed}.
 */
public final class TemplateModule implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("template")
            .aliases("ansible.builtin.template")
            .summary("Template a file out to a target host")
            .description(
                "Renders a Jinja2 template from the controller with the host's variables and writes the result to"
                    + " dest, only when it differs from what is there. Relative src paths are looked up in the"
                    + " role's templates/, the role, the playbook's templates/ and the playbook folder.")
            .param(Param.path("src").required().doc("The Jinja2 template on the controller."))
            .param(
                Param.path("dest")
                    .required()
                    .doc("Where to write the result; an existing directory receives it under the template's name."))
            .param(
                Param.bool("backup")
                    .defaultValue(false)
                    .doc("Keep a timestamped copy of the file being replaced; its path is returned as backup_file."))
            .param(
                Param.bool("force")
                    .defaultValue(true)
                    .doc("Replace a destination whose content differs; with no, only write when it is missing."))
            .param(
                Param.str("validate")
                    .doc("A command that checks the new file before it replaces the old one; %s is the file."))
            .param(
                Param.str("newline_sequence")
                    .defaultValue("\n")
                    .choices("\n", "\r", "\r\n")
                    .doc("The line break the written file uses."))
            .param(
                Param.bool("trim_blocks")
                    .defaultValue(true)
                    .doc("Drop the first newline after a block tag ({% ... %}), as Jinja2's trim_blocks."))
            .param(
                Param.bool("lstrip_blocks")
                    .defaultValue(false)
                    .doc("Drop spaces and tabs from the start of a line up to a block tag."))
            .param(
                Param.str("output_encoding")
                    .defaultValue("utf-8")
                    .doc("The encoding of the written file; the template is read as UTF-8."))
            .param(
                Param.bool("follow")
                    .defaultValue(false)
                    .doc("When dest is a symlink, write to its target instead of replacing the link."));
    Attrs.params().forEach(b::param);
    SPEC =
        b.examples(
                """
                - name: nginx site from the role's templates/
                  template:
                    src: site.conf.j2
                    dest: /etc/nginx/conf.d/site.conf
                    owner: root
                    mode: "0644"
                    validate: nginx -t -c %s
                - name: Windows line endings
                  template: src=readme.txt.j2 dest=/srv/share/readme.txt newline_sequence='\\r\\n'
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
    String src = args.str("src");
    String dest = args.str("dest");
    Path local = LocalSource.find(ctx, "templates", src);
    if (Files.isDirectory(local)) {
      throw new ModuleException("Source " + local + " is a directory; template renders single files");
    }
    Charset out;
    try {
      out = Charset.forName(args.str("output_encoding"));
    } catch (IllegalArgumentException e) {
      throw new ModuleException("unknown output_encoding '" + args.str("output_encoding") + "'");
    }
    String text = new String(LocalSource.read(local), StandardCharsets.UTF_8);
    String prefix = variables(ctx, local, src, dest);
    String rendered;
    try {
      rendered = JinjaWhitespace.render(text, args.bool("trim_blocks"), args.bool("lstrip_blocks"),
          prepared -> ctx.render(prefix + prepared));
    } catch (ModuleException e) {
      // The engine quotes the template it was given; show the user's file name instead of its whole text.
      String m = e.getMessage();
      // The engine says on which line of the template: file:line, as every user error.
      java.util.regex.Matcher line = java.util.regex.Pattern.compile("^line (\\d+): ").matcher(m);
      String where = local.toString();
      if (line.find()) {
        where += ":" + line.group(1);
        m = m.substring(line.end());
      }
      int quote = m.indexOf(" in '" + prefix);
      throw new ModuleException(where + ": " + (quote >= 0 ? m.substring(0, quote) + " in '...'" : m.replace(prefix, "")));
    }
    String nl = args.str("newline_sequence");
    if (!nl.equals("\n")) {
      rendered = rendered.replace("\n", nl);
    }
    byte[] bytes = rendered.getBytes(out);
    return CopyModule.single(ctx, local, bytes, LocalSource.mode(local), dest, local.toString());
  }

  /**
   * Ansible's template variables, as {@code set} statements in front of the template: they print nothing and do
   * not move the template's lines, and the host's variables stay untouched.
   */
  static String variables(ModuleContext ctx, Path local, String src, String dest) {
    Map<String, String> v = new LinkedHashMap<>();
    String uid;
    String mtime;
    try {
      uid = Files.getOwner(local).getName();
      FileTime t = Files.getLastModifiedTime(local);
      mtime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
          .format(t.toInstant().atZone(ZoneId.systemDefault()));
    } catch (java.io.IOException e) {
      throw new ModuleException("cannot read " + local + ": " + e.getMessage());
    }
    v.put("template_host", hostname());
    v.put("template_path", local.toAbsolutePath().toString());
    v.put("template_fullpath", local.toAbsolutePath().toString());
    v.put("template_destpath", dest);
    v.put("template_uid", uid);
    v.put("template_mtime", mtime);
    v.put("template_run_date", java.time.LocalDateTime.now().withNano(0).toString().replace('T', ' '));
    if (!ctx.vars().containsKey("ansible_managed")) {
      v.put("ansible_managed", "Ansible managed");
    }
    StringBuilder sb = new StringBuilder();
    v.forEach((k, val) -> sb.append("{% set ").append(k).append(" = '").append(val.replace("\\", "\\\\")
        .replace("'", "\\'")).append("' %}"));
    return sb.toString();
  }

  /** The controller's name, looked up once (a slow resolver must not slow every template task). */
  private static String hostname() {
    String h = hostname;
    if (h == null) {
      try {
        h = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        h = "localhost";
      }
      hostname = h;
    }
    return h;
  }

  private static volatile String hostname;
}
