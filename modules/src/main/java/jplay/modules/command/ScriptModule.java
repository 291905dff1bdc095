package jplay.modules.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code script}: runs a script from the controller on the target. The script travels as the command's
 * standard input into a private temp file ({@code mktemp} under umask 077, removed on exit, whatever happens), in
 * the same round trip that runs it; so it never lands on the command line, and under become the file belongs to
 * the become user (no permission fix-up as in Ansible). Everything after the script's name is shell text, as in
 * Ansible: {@code script: setup.sh "a b" $HOME} passes two arguments.
 *
 * <p>The temp file lives in {@code $TMPDIR}, else {@code /tmp}; on a host where that is mounted noexec, give
 * {@code executable} (the interpreter then reads the file) or set {@code TMPDIR} through {@code environment}.
 */
public final class ScriptModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("script")
          .aliases("ansible.builtin.script")
          .summary("Run a local script on the target")
          .description(
              "Copies a script from the controller to a private temp file on the target, runs it with the rest of"
                  + " the free-form string as its arguments (shell text), and removes it. A relative name is looked"
                  + " up in 'files/' beside the playbook or role, then beside it. Always changed when it runs. In"
                  + " check mode it is skipped, unless creates/removes decide.")
          .freeForm()
          .param(Param.str("cmd").doc("The script and its arguments (instead of the free-form string)."))
          .param(
              Param.str("chdir")
                  .doc("Change into this directory on the target before running the script; must be absolute."))
          .param(Param.str("creates").doc("A path on the target; when it exists, the script is not run."))
          .param(Param.str("removes").doc("A path on the target; when it does not exist, the script is not run."))
          .param(
              Param.str("executable")
                  .doc("The program that runs the script, e.g. python3 or '/usr/bin/env bash'; default: the"
                      + " script's own #! line."))
          .param(
              Param.bool("decrypt")
                  .defaultValue(true)
                  .doc("Accepted for compatibility: jplay has no vault, scripts are sent as they are."))
          .examples(
              """
              - name: Prepare the node once
                script: files/prepare-node.sh --runtime crio
                args:
                  creates: /etc/prepared
              - script:
                  cmd: report.py "{{ inventory_hostname }}"
                  executable: python3
              """)
          .build();

  static final String CHECK_MODE = "Check mode is not supported for this task.";

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String text = CommandRun.text(args);
    if (text == null) {
      throw new ModuleException("script needs a script name, e.g. 'script: files/setup.sh --flag'");
    }
    text = text.strip();
    String creates = args.str("creates");
    if (creates != null && ctx.fact(exists(creates))) {
      return skip(creates + " exists, matching creates option");
    }
    String removes = args.str("removes");
    if (removes != null && !ctx.fact(exists(removes))) {
      return skip(removes + " does not exist, matching removes option");
    }
    String chdir = args.str("chdir");
    if (chdir != null && !chdir.startsWith("/")) {
      throw new ModuleException("chdir " + chdir + " must be an absolute path for a Unix-aware remote node");
    }
    int end;
    String source;
    try {
      end = ShellWords.firstWordEnd(text);
      source = ShellWords.split(text).get(0);
    } catch (IllegalArgumentException e) {
      throw new ModuleException("cannot split the script line into words: " + e.getMessage() + " in: " + text);
    }
    byte[] body = read(ctx, source);
    if (ctx.checkMode()) {
      if (creates != null || removes != null) {
        return new Plan.Change(List.of(), null, Outcome.changed(Map.of()), r -> Outcome.changed(Map.of()));
      }
      return skip(CHECK_MODE);
    }
    String run = run(chdir, executable(args.str("executable")), text.substring(end));
    return new Plan.Change(
        List.of(Command.of(run).withStdin(body).isolate()), null, Outcome.changed(Map.of()), RawModule::interpret);
  }

  private static Plan skip(String msg) {
    return new Plan.Noop(msg, new Outcome(false, false, true, msg, Map.of(), null));
  }

  /** The script that stores stdin in a private temp file and runs it; {@code rest} is the user's shell text. */
  static String run(String chdir, List<String> executable, String rest) {
    StringBuilder s = new StringBuilder();
    s.append("umask 077 && t=$(mktemp \"${TMPDIR:-/tmp}/jplay-script.XXXXXXXXXX\") || exit 1\n");
    // Removed on every exit, also when the run is interrupted (a signal ends the shell through exit, so EXIT runs).
    s.append("trap 'rm -f \"$t\"' EXIT; trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM\n");
    s.append("cat > \"$t\" && chmod 700 \"$t\" || exit 1\n");
    if (chdir != null) {
      s.append("cd -- ").append(Shell.quote(chdir)).append(" || exit 1\n");
    }
    if (!executable.isEmpty()) {
      s.append(Shell.join(executable)).append(' ');
    }
    s.append("\"$t\"").append(rest);
    return s.toString();
  }

  private static List<String> executable(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    try {
      return ShellWords.split(value);
    } catch (IllegalArgumentException e) {
      throw new ModuleException("cannot split executable into words: " + e.getMessage() + " in: " + value);
    }
  }

  /** The script's bytes, looked up as Ansible's find_needle: {@code files/NAME} first, then {@code NAME}. */
  private static byte[] read(ModuleContext ctx, String name) {
    List<Path> candidates = new ArrayList<>();
    if (!Path.of(name).isAbsolute()) {
      candidates.add(ctx.localPath("files/" + name));
    }
    candidates.add(ctx.localPath(name));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        try {
          return Files.readAllBytes(p);
        } catch (IOException e) {
          throw new ModuleException("cannot read the script " + p + ": " + e.getMessage());
        }
      }
    }
    throw new ModuleException(
        "Could not find or access '" + name + "' on the controller; searched "
            + String.join(", ", candidates.stream().map(Path::toString).toList()));
  }

  /** Whether a path exists on the target ({@code test -e}, as Ansible's script checks creates and removes). */
  static Fact<Boolean> exists(String path) {
    return Fact.of(
        "exists " + path,
        Command.of("if [ -e " + Shell.quote(path) + " ]; then echo yes; else echo no; fi"),
        r -> {
          String out = r.stdout().strip();
          if (!r.ok() || !(out.equals("yes") || out.equals("no"))) {
            throw new ModuleException("cannot check whether " + path + " exists: " + r.stderr().strip());
          }
          return out.equals("yes");
        });
  }

}
