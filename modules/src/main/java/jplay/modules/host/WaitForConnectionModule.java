package jplay.modules.host;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;

/**
 * Ansible's {@code wait_for_connection}: after {@code delay}, it closes the host's connection, opens a new one
 * (each attempt bounded by {@code connect_timeout}) and runs a trivial command ({@code echo pong}, jplay's ping
 * module test), until that answers or {@code timeout} seconds have passed, sleeping {@code sleep} seconds between
 * attempts. A host that refuses connections, or whose sshd is restarting, is waited for rather than reported
 * unreachable.
 */
public final class WaitForConnectionModule implements Module {
  private static final Command PING = Command.of("echo pong");

  static final ModuleSpec SPEC =
      ModuleSpec.builder("wait_for_connection")
          .aliases("ansible.builtin.wait_for_connection")
          .summary("Wait until the host is reachable and runs commands")
          .description(
              "Opens a new connection and runs 'echo pong' on the host until it answers, within timeout seconds"
                  + " (counted after delay, as in Ansible). A host that cannot be connected to yet (rebooting,"
                  + " sshd restarting) is tried again, each connection attempt bounded by connect_timeout. Returns"
                  + " elapsed. Skipped in check mode, as in Ansible.")
          .param(Param.integer("delay").defaultValue(0).doc("Seconds to wait before the first attempt."))
          .param(Param.integer("sleep").defaultValue(1).doc("Seconds between attempts."))
          .param(Param.integer("timeout").defaultValue(600).doc("Seconds to keep trying, after delay."))
          .param(Param.integer("connect_timeout").defaultValue(5)
              .doc("Seconds one connection attempt may take before it counts as failed."))
          .examples(
              """
              - name: Wait for the host to come back
                wait_for_connection:
                  delay: 5
                  timeout: 300
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
    pause(args.integer("delay"));
    Instant deadline = Instant.now().plusSeconds(args.integer("timeout"));
    Duration connectTimeout = Duration.ofSeconds(Math.max(1, args.integer("connect_timeout")));
    String error = "no attempt made (timeout is 0)";
    while (Instant.now().isBefore(deadline)) {
      Optional<CommandResult> r = ctx.reconnect(PING, connectTimeout);
      if (r.isPresent() && r.get().ok() && r.get().stdout().strip().equals("pong")) {
        return Plan.noop("the host answers", data(start));
      }
      error = r.isEmpty() ? "the host cannot be reached"
          : r.get().stderr().isBlank() ? "ping test failed" : r.get().stderr().strip();
      pause(args.integer("sleep"));
    }
    throw new ModuleException("timed out waiting for ping module test: " + error, data(start));
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
