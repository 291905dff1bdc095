package jplay.modules.files;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/** Ansible's {@code slurp}: a file's content from the target, base64 encoded, for {@code register}. */
public final class Slurp implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("slurp")
          .aliases("ansible.builtin.slurp")
          .summary("Slurps a file from remote nodes")
          .description(
              "Reads a whole file from the target and returns it base64 encoded in 'content' (decode it with the"
                  + " b64decode filter). Changes nothing.")
          .param(Param.path("src").required().aliases("path").doc("The file to read; it must be a file."))
          .examples(
              """
              - name: The cluster token
                slurp:
                  src: /etc/kubernetes/token
                register: token
              - debug:
                  msg: "{{ token.content | b64decode }}"
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    String src = ctx.args().str("src");
    RemoteFile f = ctx.fact(RemoteFile.fact(src, null, RemoteFile.ALL));
    if (!f.state().exists()) {
      throw new ModuleException("file not found: " + src);
    }
    if (f.isDirectory()) {
      throw new ModuleException("source is a directory and must be a file");
    }
    if (!f.isFile() || f.content() == null) {
      throw new ModuleException("file is not readable: " + src);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("content", Base64.getEncoder().encodeToString(f.content()));
    data.put("source", src);
    data.put("encoding", "base64");
    return Plan.noop("slurp reads only", data);
  }
}
