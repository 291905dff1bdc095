package jplay.modules.command;

import java.util.List;
import jplay.engine.api.Args;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code shell}: runs the string as a script of the target's {@code /bin/sh}, or of {@code executable}
 * ({@code EXECUTABLE -c 'script'}). Returns {@code cmd} as the script text.
 */
public final class ShellModule implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("shell")
            .aliases("ansible.builtin.shell")
            .summary("Run a shell script")
            .description(
                "Runs the string through the shell, so variables, globs, pipes and redirections work. The task is"
                    + " always changed when the script runs, and fails when it exits non-zero.")
            .freeForm();
    CommandRun.commonParams().forEach(b::param);
    SPEC =
        b.param(Param.path("executable").doc("The shell that runs the script, e.g. /bin/bash; default /bin/sh."))
            .examples(
                """
                - name: Count the pods
                  shell: crictl pods -q | wc -l
                  register: pods
                - shell: set -o pipefail && journalctl -u kubelet | tail -n 5
                  args:
                    executable: /bin/bash
                """)
            .build();
  }

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String text = CommandRun.text(args);
    if (text == null) {
      throw CommandRun.noCommand();
    }
    String body = args.has("executable") ? Shell.join(List.of(args.str("executable"), "-c", text)) : text;
    return CommandRun.plan(ctx, text, body, List.of());
  }
}
