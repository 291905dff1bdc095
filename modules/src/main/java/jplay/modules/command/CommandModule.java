package jplay.modules.command;

import java.util.List;
import jplay.engine.api.Args;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code command}: runs a program with arguments, no shell features. The free-form string is split as
 * Python's shlex does and every word is quoted again, so {@code $HOME}, {@code *} or {@code |} reach the program as
 * they are written.
 */
public final class CommandModule implements Module {
  static final ModuleSpec SPEC;

  static {
    ModuleSpec.Builder b =
        ModuleSpec.builder("command")
            .aliases("ansible.builtin.command")
            .summary("Run a command without a shell")
            .description(
                "Runs the program named by the first word with the other words as its arguments. Variables,"
                    + " globs, pipes and redirections are not interpreted: use shell for those. The task is always"
                    + " changed when the command runs, and fails when it exits non-zero.")
            .freeForm()
            .param(Param.list("argv").elements(ParamType.STR).doc("The command as a list of words; no splitting."))
            .param(
                Param.path("executable")
                    .doc("Accepted for compatibility and ignored with a warning, as Ansible does: use shell."));
    CommandRun.commonParams().forEach(b::param);
    SPEC =
        b.mutuallyExclusive("argv", "cmd")
            .examples(
                """
                - name: Initialise the cluster once
                  command: kubeadm init --config /etc/kubeadm.yaml
                  args:
                    creates: /etc/kubernetes/admin.conf
                - command:
                    argv: [touch, "/tmp/a file with spaces"]
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
    List<String> argv = args.strings("argv");
    if (text == null && argv.isEmpty()) {
      throw CommandRun.noCommand();
    }
    if (text != null && !argv.isEmpty()) {
      throw new ModuleException("only command or argv can be given, not both", java.util.Map.of("rc", 256));
    }
    List<String> words;
    try {
      words = text != null ? ShellWords.split(text) : argv;
    } catch (IllegalArgumentException e) {
      throw new ModuleException("cannot split the command into words: " + e.getMessage() + " in: " + text);
    }
    if (words.isEmpty()) {
      throw CommandRun.noCommand();
    }
    List<String> warnings = new java.util.ArrayList<>();
    if (args.has("executable")) {
      warnings.add("As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module."
          + " Not using '" + args.str("executable") + "'.");
    }
    return CommandRun.plan(ctx, words, Shell.join(words), warnings);
  }
}
