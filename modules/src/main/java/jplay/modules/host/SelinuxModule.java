package jplay.modules.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.Diff;
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
 * {@code ansible.posix.selinux}, without libselinux on the target: the running state is read from selinuxfs
 * ({@code /sys/fs/selinux/enforce}), the loaded policy from {@code sestatus} when present, the configuration file
 * is edited as Ansible does (its SELINUX= and SELINUXTYPE= lines) and written atomically, and the running mode is
 * set with {@code setenforce}, or by writing selinuxfs where setenforce is missing.
 *
 * <p>Better than Ansible: a running policy that differs from the requested one is not reported as changed (Ansible
 * changes nothing there, yet says it did on every run until the reboot); it sets reboot_required instead.
 */
public final class SelinuxModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("selinux")
          .aliases("ansible.posix.selinux")
          .summary("Set the SELinux mode and policy")
          .description(
              "Writes the mode (and policy) into the SELinux configuration and switches the running mode between"
                  + " enforcing and permissive at once. Enabling a disabled SELinux, or disabling it, takes a"
                  + " reboot: reboot_required says so.")
          .param(Param.str("policy").doc("The policy, e.g. targeted; required unless state is disabled."))
          .param(Param.str("state").required().choices("enforcing", "permissive", "disabled")
              .doc("The SELinux mode."))
          .param(Param.str("configfile").defaultValue("/etc/selinux/config").aliases("conf", "file")
              .doc("The SELinux configuration file."))
          .param(Param.bool("update_kernel_param").defaultValue(false)
              .doc("Also add or remove selinux=0 on every kernel's command line with grubby."))
          .examples(
              """
              - name: Permissive for now
                selinux:
                  policy: targeted
                  state: permissive
                register: se
              - reboot:
                when: se.reboot_required
              """)
          .build();

  private static final Pattern STATE_LINE = Pattern.compile("^SELINUX=.*$");
  private static final Pattern TYPE_LINE = Pattern.compile("^SELINUXTYPE=.*$");

  /** What the kernel runs now. */
  record Runtime(boolean enabled, boolean enforcing, String policy, boolean policyInstalled,
      Boolean kernelEnabled, boolean setenforce) {}

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String state = args.str("state");
    String configfile = args.str("configfile");
    boolean kernel = args.bool("update_kernel_param");
    TextFile file = ctx.fact(TextFile.read(configfile));
    if (!file.exists()) {
      throw new ModuleException("Unable to find file " + configfile);
    }
    List<String> lines = file.content().lines().toList();
    String configPolicy = value(lines, TYPE_LINE);
    String configState = value(lines, STATE_LINE);
    String policy = args.str("policy");
    if (policy == null || policy.isEmpty()) {
      if (!state.equals("disabled")) {
        throw new ModuleException("Policy is required if state is not 'disabled'");
      }
      policy = configPolicy;
    }
    Runtime rt = ctx.fact(runtime(policy, kernel));
    String runtimeState = !rt.enabled() ? "disabled" : rt.enforcing() ? "enforcing" : "permissive";
    List<String> msgs = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<Command> commands = new ArrayList<>();
    boolean reboot = false;
    boolean changed = false;
    if (rt.enabled() && rt.policy() != null && policy != null && !policy.equals(rt.policy())) {
      warnings.add("The running SELinux policy is '" + rt.policy() + "'; '" + policy + "' takes effect after a"
          + " reboot");
      reboot = true;
    }
    List<String> newLines = new ArrayList<>(lines);
    if (policy != null && !policy.equals(configPolicy)) {
      if (!rt.policyInstalled()) {
        throw new ModuleException("Policy " + policy + " does not exist in /etc/selinux/");
      }
      newLines = replace(newLines, TYPE_LINE, "SELINUXTYPE=" + policy);
      msgs.add("SELinux policy configuration in '" + configfile + "' changed from '" + configPolicy + "' to '"
          + policy + "'");
      changed = true;
    }
    if (!state.equals(runtimeState)) {
      if (rt.enabled()) {
        if (state.equals("disabled")) {
          if (!runtimeState.equals("permissive")) {
            commands.add(setenforce(rt, false));
            warnings.add("SELinux state temporarily changed from '" + runtimeState + "' to 'permissive'. State"
                + " change will take effect next reboot.");
            changed = true;
          } else {
            warnings.add("SELinux state change will take effect next reboot");
          }
          reboot = true;
        } else {
          commands.add(setenforce(rt, state.equals("enforcing")));
          msgs.add("SELinux state changed from '" + runtimeState + "' to '" + state + "'");
          changed = true;
        }
      } else {
        warnings.add("Reboot is required to set SELinux state to '" + state + "'");
        reboot = true;
      }
    }
    if (!state.equals(configState)) {
      newLines = replace(newLines, STATE_LINE, "SELINUX=" + state);
      msgs.add("Config SELinux state changed from '" + configState + "' to '" + state + "'");
      changed = true;
    }
    String newText = newLines.stream().map(l -> l + "\n").reduce("", String::concat);
    Diff diff = null;
    if (!newLines.equals(lines)) {
      commands.add(0, file.write(newText));
      diff = new Diff(configfile + " (before)", file.content(), configfile + " (after)", newText);
    }
    boolean wantKernel = !state.equals("disabled");
    if (kernel && !Boolean.valueOf(wantKernel).equals(rt.kernelEnabled())) {
      commands.add(Command.argv("grubby", "--update-kernel=ALL", wantKernel ? "--remove-args" : "--args", "selinux=0"));
      String from = rt.kernelEnabled() == null ? "<inconsistent>" : wantKernel ? "disabled" : "enabled";
      msgs.add("Kernel SELinux state changed from '" + from + "' to '" + (wantKernel ? "enabled" : "disabled") + "'");
      changed = true;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("configfile", configfile);
    data.put("policy", policy);
    data.put("state", state);
    data.put("reboot_required", reboot);
    if (!warnings.isEmpty()) {
      data.put("warnings", warnings);
    }
    String msg = String.join(", ", msgs);
    if (!changed) {
      return new Plan.Noop("SELinux is as asked", new Outcome(false, false, false, msg, data, null));
    }
    Outcome done = new Outcome(true, false, false, msg, data, diff);
    return new Plan.Change(commands, diff, done, results -> Plan.defaultInterpret(results, done));
  }

  private static Command setenforce(Runtime rt, boolean enforcing) {
    String v = enforcing ? "1" : "0";
    return Command.of(rt.setenforce() ? "setenforce " + v
        : "d=/sys/fs/selinux; [ -e \"$d/enforce\" ] || d=/selinux; echo " + v + " > \"$d/enforce\"");
  }

  /** The value of the first line matching, trimmed; null when there is none (Ansible's get_config_*). */
  static String value(List<String> lines, Pattern line) {
    for (String l : lines) {
      if (line.matcher(l).matches()) {
        return l.split("=", -1)[1].strip();
      }
    }
    return null;
  }

  /** Every matching line replaced by {@code with}; appended when none matched. */
  static List<String> replace(List<String> lines, Pattern line, String with) {
    List<String> out = new ArrayList<>();
    boolean found = false;
    for (String l : lines) {
      if (line.matcher(l).matches()) {
        found = true;
        out.add(with);
      } else {
        out.add(l);
      }
    }
    if (!found) {
      out.add(with);
    }
    return out;
  }

  static Fact<Runtime> runtime(String policy, boolean kernel) {
    StringBuilder s = new StringBuilder();
    s.append("d=/sys/fs/selinux; [ -e \"$d/enforce\" ] || d=/selinux\n");
    s.append("if [ -e \"$d/enforce\" ]; then echo \"enforce $(cat \"$d/enforce\")\"; else echo \"enforce none\"; fi\n");
    s.append("if command -v sestatus >/dev/null 2>&1; then echo \"loaded $(sestatus | sed -n"
        + " 's/^Loaded policy name: *//p')\"; fi\n");
    s.append("if command -v setenforce >/dev/null 2>&1; then echo setenforce; fi\n");
    if (policy != null) {
      s.append("if [ -e /etc/selinux/").append(Shell.quote(policy)).append("/policy ]; then echo installed; fi\n");
    }
    if (kernel) {
      s.append("if command -v grubby >/dev/null 2>&1; then grubby --info=ALL | sed -n 's/^args=\"\\(.*\\)\"$/args \\1/p';"
          + " else echo no-grubby; fi\n");
    }
    return Fact.of("selinux-runtime " + policy + " " + kernel, Command.of(s.toString()), r -> {
      if (!r.ok()) {
        throw new ModuleException("cannot read the SELinux state: " + r.stderr().strip());
      }
      boolean enabled = false;
      boolean enforcing = false;
      String loaded = null;
      boolean installed = false;
      boolean setenforce = false;
      boolean anyOn = false;
      boolean anyOff = false;
      for (String l : r.stdout().lines().toList()) {
        if (l.startsWith("enforce ")) {
          String v = l.substring(8).strip();
          enabled = !v.equals("none");
          enforcing = v.equals("1");
        } else if (l.startsWith("loaded ")) {
          loaded = l.substring(7).strip().isEmpty() ? null : l.substring(7).strip();
        } else if (l.equals("installed")) {
          installed = true;
        } else if (l.equals("setenforce")) {
          setenforce = true;
        } else if (l.equals("no-grubby")) {
          throw new ModuleException("'grubby' command not found on host");
        } else if (l.startsWith("args ")) {
          if (List.of(l.substring(5).split(" ")).contains("selinux=0")) {
            anyOff = true;
          } else {
            anyOn = true;
          }
        }
      }
      Boolean kernelEnabled = anyOn == anyOff ? null : anyOn;
      return new Runtime(enabled, enforcing, loaded, installed, kernelEnabled, setenforce);
    });
  }
}
