package jplay.modules.core;

import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code ping}: runs one trivial command, so a host that cannot be reached or cannot run a shell shows,
 * and returns {@code {"ping": data}}.
 */
public final class Ping implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("ping")
          .aliases("ansible.builtin.ping")
          .summary("Check that a host can be reached and runs a shell")
          .description("Runs 'echo pong' on the host. Not ICMP ping: it proves login and a working shell.")
          .param(
              Param.str("data")
                  .defaultValue("pong")
                  .doc("The value to return as 'ping'. The value 'crash' makes the task fail, for testing."))
          .examples(
              """
              - ping:
              - ping:
                  data: crash
              """)
          .build();

  static final Fact<String> PONG =
      Fact.of(
          "ping",
          Command.of("echo pong"),
          r -> {
            if (!r.ok() || !r.stdout().strip().equals("pong")) {
              throw new ModuleException(
                  "the host runs no working shell: 'echo pong' gave exit code " + r.rc()
                      + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
            }
            return "pong";
          });

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    ctx.fact(PONG);
    String data = ctx.args().str("data");
    if ("crash".equals(data)) {
      // Ansible's ping raises here on purpose, to show how a module failure looks.
      throw new ModuleException("boom");
    }
    return Plan.noop("pong", Map.of("ping", data));
  }
}
