package jplay.modules.host;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code reboot} for Linux: reads the boot id, starts the reboot command detached (so its channel
 * returns before the host goes down), waits {@code post_reboot_delay}, then reconnects with backoff until the boot
 * id differs, and runs {@code test_command} until it succeeds, each phase within {@code reboot_timeout}.
 *
 * <p>Everything happens when the change is applied (in the plan's interpret step), so check mode runs nothing
 * and reports {@code changed, rebooted} as Ansible does.
 */
public final class RebootModule implements Module {
  static final String DEFAULT_MSG = "Reboot initiated by Ansible";
  static final List<String> DEFAULT_SEARCH_PATHS = List.of("/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin");
  /** Ansible's backoff between attempts: 1, 2, 4, 8, then 12 seconds. */
  private static final int MAX_FAIL_SLEEP = 12;

  static final ModuleSpec SPEC =
      ModuleSpec.builder("reboot")
          .aliases("ansible.builtin.reboot")
          .summary("Reboot a machine and wait for it to come back")
          .description(
              "Reads the boot id (boot_time_command), starts the reboot command detached, waits post_reboot_delay,"
                  + " then reconnects until the boot id changes and test_command succeeds, each within"
                  + " reboot_timeout. Returns rebooted and elapsed (seconds since the reboot command). Check mode"
                  + " runs nothing and reports changed. Refuses hosts with ansible_connection=local, which would"
                  + " reboot the controller.")
          .param(Param.integer("reboot_timeout").defaultValue(600).aliases("reboot_timeout_sec")
              .doc("Seconds to wait for the new boot id, and again for test_command to succeed."))
          .param(Param.integer("connect_timeout").aliases("connect_timeout_sec")
              .doc("Seconds one connection attempt may take while waiting; the host's own when not set."))
          .param(Param.integer("pre_reboot_delay").defaultValue(0).aliases("pre_reboot_delay_sec")
              .doc("Seconds before the reboot, passed to shutdown in whole minutes (less than 60 is 0), as Ansible"
                  + " does on Linux; not used with reboot_command."))
          .param(Param.integer("post_reboot_delay").defaultValue(0).aliases("post_reboot_delay_sec")
              .doc("Seconds to wait after the reboot command before checking the boot id."))
          .param(Param.str("test_command").defaultValue("whoami")
              .doc("A command that must succeed on the rebooted host before the task is done."))
          .param(Param.str("msg").defaultValue(DEFAULT_MSG).doc("The message shutdown shows to logged-in users."))
          .param(Param.str("boot_time_command").defaultValue("cat /proc/sys/kernel/random/boot_id")
              .doc("A command whose output changes with every boot."))
          .param(Param.list("search_paths").elements(jplay.engine.api.ParamType.STR)
              .doc("Where to look for shutdown (or reboot_command's program when it is not an absolute path);"
                  + " default /sbin, /bin, /usr/sbin, /usr/bin, /usr/local/sbin."))
          .param(Param.str("reboot_command")
              .doc("The command that reboots, with its arguments; default: shutdown -r MINUTES \"MSG\"."))
          .examples(
              """
              - name: Reboot after the kernel update
                reboot:
                  reboot_timeout: 900
                  test_command: systemctl is-system-running --wait
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    if ("local".equals(String.valueOf(ctx.vars().get("ansible_connection")))) {
      return new Plan.Noop("local connection", Outcome.failed(
          "Running reboot with local connection would reboot the control node.", data(false, 0)));
    }
    Outcome check = Outcome.changed(data(true, 0));
    return new Plan.Change(List.of(), null, check, results -> reboot(ctx));
  }

  private static Map<String, Object> data(boolean rebooted, long elapsed) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rebooted", rebooted);
    data.put("elapsed", elapsed);
    return data;
  }

  static Outcome reboot(ModuleContext ctx) {
    Args args = ctx.args();
    String bootCommand = args.str("boot_time_command");
    CommandResult boot = ctx.fact(Fact.of("reboot boot id", Command.of(bootCommand), r -> r));
    if (!boot.ok()) {
      return Outcome.failed("reboot: failed to get host boot time info, rc: " + boot.rc() + ", stdout: "
          + boot.stdout() + ", stderr: " + boot.stderr(), data(false, 0));
    }
    String before = boot.stdout().strip();
    String command;
    String program;
    String rest;
    if (args.has("reboot_command")) {
      String[] parts = args.str("reboot_command").split(" ", 2);
      program = parts[0];
      rest = parts.length > 1 ? parts[1] : "";
    } else {
      program = "shutdown";
      rest = "-r " + args.integer("pre_reboot_delay") / 60 + " " + Shell.quote(args.str("msg"));
    }
    List<String> paths = args.has("search_paths") ? args.strings("search_paths") : DEFAULT_SEARCH_PATHS;
    if (program.startsWith("/")) {
      command = program + (rest.isEmpty() ? "" : " " + rest);
    } else {
      CommandResult found = ctx.fact(Fact.of("reboot find " + program + " " + paths, Command.of(find(program, paths)), r -> r));
      String path = found.stdout().strip();
      if (!found.ok() || path.isEmpty()) {
        return Outcome.failed("Unable to find command \"" + program + "\" in search paths: " + pyList(paths),
            data(false, 0));
      }
      command = path + (rest.isEmpty() ? "" : " " + rest);
    }
    Instant start = Instant.now();
    Duration connectTimeout = args.has("connect_timeout")
        ? Duration.ofSeconds(Math.max(1, args.integer("connect_timeout"))) : null;
    // A connection that drops while the reboot starts is what a reboot does; Ansible carries on as if rc were 0.
    Optional<CommandResult> started = ctx.reconnect(detached(command), connectTimeout);
    if (started.isPresent() && !started.get().ok()) {
      return Outcome.failed("Reboot command failed. Error was: '" + started.get().stdout().strip() + ", "
          + started.get().stderr().strip() + "'", data(false, elapsed(start)));
    }
    pause(args.integer("post_reboot_delay"));
    int timeout = args.integer("reboot_timeout");
    String bootCheck = until(timeout, () -> {
      Optional<CommandResult> r = ctx.reconnect(Command.of(bootCommand), connectTimeout);
      if (r.isEmpty()) {
        return "the host cannot be reached";
      }
      String now = r.get().stdout().strip();
      if (!r.get().ok()) {
        return "reboot: failed to get host boot time info, rc: " + r.get().rc();
      }
      return now.isEmpty() || now.equals(before) ? "boot time has not changed" : null;
    });
    if (bootCheck != null) {
      return Outcome.failed("Timed out waiting for last boot time check (timeout=" + timeout + ")",
          data(true, elapsed(start)));
    }
    String test = args.str("test_command");
    String tested = until(timeout, () -> {
      Optional<CommandResult> r = ctx.reconnect(Command.of(test), connectTimeout);
      if (r.isEmpty()) {
        return "the host cannot be reached";
      }
      return r.get().ok() ? null : "Test command failed: " + r.get().stderr() + " " + r.get().stdout();
    });
    if (tested != null) {
      return Outcome.failed("Timed out waiting for post-reboot test command (timeout=" + timeout + ")",
          data(true, elapsed(start)));
    }
    return Outcome.changed(data(true, elapsed(start)));
  }

  /**
   * Starts {@code command} in the background, immune to the channel closing, and waits up to a second for it: a
   * command that fails at once (no permission, not found) is reported; one still running has begun the reboot.
   */
  static Command detached(String command) {
    String script = "out=$(mktemp) || exit 1\n"
        + "nohup /bin/sh -c " + Shell.quote(command) + " </dev/null >\"$out\" 2>&1 &\n"
        + "pid=$!; i=0\n"
        + "while kill -0 \"$pid\" 2>/dev/null && [ \"$i\" -lt 10 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done\n"
        + "if kill -0 \"$pid\" 2>/dev/null; then exit 0; fi\n"
        + "wait \"$pid\"; rc=$?; cat \"$out\" >&2; rm -f \"$out\"; exit \"$rc\"";
    return Command.of(script);
  }

  /** The first executable {@code program} in {@code paths}, as Ansible's find over search_paths. */
  static String find(String program, List<String> paths) {
    StringBuilder s = new StringBuilder("for d in");
    for (String p : paths) {
      s.append(' ').append(Shell.quote(p));
    }
    s.append("; do if [ -x \"$d\"/").append(Shell.quote(program)).append(" ] && [ ! -d \"$d\"/")
        .append(Shell.quote(program)).append(" ]; then echo \"$d\"/").append(Shell.quote(program))
        .append("; exit 0; fi; done; exit 1");
    return s.toString();
  }

  /** Python's repr of a list of strings, as Ansible's message prints search_paths. */
  static String pyList(List<String> items) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      s.append(i == 0 ? "" : ", ").append('\'').append(items.get(i).replace("\\", "\\\\").replace("'", "\\'"))
          .append('\'');
    }
    return s.append(']').toString();
  }

  /**
   * Tries {@code attempt} (null: success, else the error) until it succeeds or {@code timeout} seconds pass, with
   * Ansible's backoff; returns null or the last error.
   */
  private static String until(int timeout, java.util.function.Supplier<String> attempt) {
    Instant deadline = Instant.now().plusSeconds(timeout);
    String error = "no attempt made (timeout is 0)";
    for (int fails = 0; Instant.now().isBefore(deadline); fails++) {
      error = attempt.get();
      if (error == null) {
        return null;
      }
      long sleep = Math.min(1L << Math.min(fails, 4), MAX_FAIL_SLEEP);
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        break;
      }
      pauseMillis(Math.min(sleep * 1000, left));
    }
    return error;
  }

  private static long elapsed(Instant start) {
    return Duration.between(start, Instant.now()).toSeconds();
  }

  private static void pause(int seconds) {
    pauseMillis(seconds * 1000L);
  }

  private static void pauseMillis(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new jplay.engine.api.ModuleException("interrupted while waiting for the reboot");
    }
  }

}
