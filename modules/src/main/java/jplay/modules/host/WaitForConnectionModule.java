package jplay.modules.host;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

/**
 * Ansible's {@code wait_for_connection}, as far as the module API reaches: after {@code delay}, it runs a trivial
 * command on the host ({@code echo pong}, jplay's ping module test) until it answers, every {@code sleep} seconds
 * within {@code timeout}, so a host whose login works but whose shell does not yet is waited for.
 *
 * <p>Limit: a connection that cannot be opened, or that drops, makes the engine report the host unreachable at
 * once; waiting through that needs an engine hook that closes the connection and tries to open a new one within
 * {@code connect_timeout} (ModuleContext.reconnect, proposed in the issue). {@code connect_timeout} is accepted
 * for compatibility and unused until then.
 */
public final class WaitForConnectionModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("wait_for_connection")
          .aliases("ansible.builtin.wait_for_connection")
          .summary("Wait until the host runs commands")
          .description(
              "Runs 'echo pong' on the host until it answers, within timeout seconds. Returns elapsed. A host"
                  + " that cannot be connected to is reported unreachable at once: jplay cannot yet wait for a"
                  + " connection to come back (after a reboot, say). Skipped in check mode, as in Ansible.")
          .param(Param.integer("delay").defaultValue(0).doc("Seconds to wait before the first attempt."))
          .param(Param.integer("sleep").defaultValue(1).doc("Seconds between attempts."))
          .param(Param.integer("timeout").defaultValue(600).doc("Seconds to wait at most, delay included."))
          .param(Param.integer("connect_timeout").defaultValue(5)
              .doc("Seconds one connection attempt may take; not used yet (see the description)."))
          .examples(
              """
              - name: The shell answers
                wait_for_connection:
                  timeout: 60
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    if (ctx.checkMode()) {
      return new Plan.Noop("check mode", new Outcome(false, false, true, "", Map.of(), null));
    }
    Args args = ctx.args();
    Instant start = Instant.now();
    Instant deadline = start.plusSeconds(args.integer("timeout"));
    pause(args.integer("delay"));
    String error = "";
    for (int attempt = 1; ; attempt++) {
      CommandResult r = ctx.fact(Fact.of("wait_for_connection " + attempt, Command.of("echo pong"), x -> x));
      if (r.ok() && r.stdout().strip().equals("pong")) {
        return Plan.noop("the host answers", data(start));
      }
      error = r.stderr().isBlank() ? "ping test failed" : r.stderr().strip();
      if (!Instant.now().plusSeconds(args.integer("sleep")).isBefore(deadline)) {
        throw new ModuleException("timed out waiting for ping module test: " + error, data(start));
      }
      pause(args.integer("sleep"));
    }
  }

  private static Map<String, Object> data(Instant start) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("elapsed", Duration.between(start, Instant.now()).toSeconds());
    return data;
  }

  private static void pause(int seconds) {
    if (seconds <= 0) {
      return;
    }
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException("interrupted while waiting");
    }
  }
}
