package jplay.modules.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code raw}: the free-form string goes to the target's shell as it is, with nothing probed first; for
 * bootstrapping hosts that lack something the other modules need. Always changed; skipped in check mode, as
 * Ansible's.
 */
public final class RawModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("raw")
          .aliases("ansible.builtin.raw")
          .summary("Run a command through the target's shell, nothing else")
          .description(
              "Runs the string with /bin/sh -c (or 'executable -c'), without probing anything first. The output is"
                  + " returned as it came, trailing newlines included. Always changed when it runs; skipped in"
                  + " check mode. Prefer command or shell; raw is for hosts that cannot run them yet.")
          .freeForm()
          .param(
              Param.path("executable")
                  .doc("The shell that runs the string as 'executable -c STRING', e.g. /bin/bash."))
          .examples(
              """
              - name: Bootstrap a minimal host
                raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3)
              - raw: set -o pipefail; dmesg | tail -n 3
                args:
                  executable: /bin/bash
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    String text = ctx.args().str(ModuleSpec.RAW_PARAMS);
    if (text == null || text.isBlank()) {
      throw new ModuleException("raw needs the command as its free-form string, e.g. 'raw: uptime'");
    }
    if (ctx.checkMode()) {
      return new Plan.Noop("check mode", new Outcome(false, false, true, "", Map.of(), null));
    }
    String executable = ctx.args().str("executable");
    String script = executable == null ? text : Shell.join(List.of(executable, "-c", text));
    return new Plan.Change(
        List.of(jplay.engine.api.Command.of(script).isolate()), null, Outcome.changed(Map.of()), RawModule::interpret);
  }

  /** Ansible's low-level result: output unstripped, changed always, failed on a non-zero exit. */
  static Outcome interpret(List<CommandResult> results) {
    CommandResult r = results.get(0);
    Map<String, Object> data = lowLevel(r);
    return r.ok() ? Outcome.changed(data) : new Outcome(true, true, false, "non-zero return code", data, null);
  }

  static Map<String, Object> lowLevel(CommandResult r) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rc", r.rc());
    data.put("stdout", r.stdout());
    data.put("stdout_lines", CommandRun.lines(r.stdout()));
    data.put("stderr", r.stderr());
    data.put("stderr_lines", CommandRun.lines(r.stderr()));
    return data;
  }
}
