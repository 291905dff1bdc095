package jplay.modules.firewalld;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.Command;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Diff;
import jplay.engine.api.Fact;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleContext;
import jplay.engine.api.ModuleException;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Outcome;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import jplay.engine.api.Plan;
import jplay.engine.api.Shell;

/**
 * Ansible's {@code ansible.posix.firewalld}, through firewalld's own command-line tools: every setting is asked with
 * {@code firewall-cmd --query-*} (so firewalld itself decides whether two spellings of a rich rule are the same),
 * and only what differs is added or removed, with one command per configuration (permanent, runtime). When the
 * daemon is not running, permanent settings go through {@code firewall-offline-cmd}.
 *
 * <p>Beyond Ansible: {@code port}, {@code service}, {@code source}, {@code protocol}, {@code icmp_block},
 * {@code interface} and {@code rich_rule} take lists, so a node's ports are one task. {@code offline: true} makes a
 * task that asks for runtime changes succeed on a host whose daemon is stopped, changing the permanent configuration
 * only (ansible.posix#81, fixed the same way in ansible.posix 1.5.0); without it such a task fails, as Ansible's.
 * {@code source} does not require {@code permanent} to be given (Ansible's {@code required_by} there has no reason
 * in firewalld). A zone's {@code target} exists only in the permanent configuration: it is always set there, and
 * takes effect at firewalld's next reload.
 */
public final class Firewalld implements Module {
  /** One kind of setting and the firewall-cmd options that query, add and remove it. */
  private record Kind(String param, String option, boolean timeout) {}

  private static final List<Kind> ITEMS =
      List.of(
          new Kind("service", "service", true),
          new Kind("port", "port", true),
          new Kind("protocol", "protocol", true),
          new Kind("source", "source", false),
          new Kind("interface", "interface", false),
          new Kind("rich_rule", "rich-rule", true),
          new Kind("icmp_block", "icmp-block", true),
          new Kind("port_forward", "forward-port", true));

  static final ModuleSpec SPEC =
      ModuleSpec.builder("firewalld")
          .aliases("ansible.posix.firewalld", "community.general.firewalld")
          .summary("Manage firewalld zones: ports, services, sources, interfaces, rich rules, masquerade, target")
          .description(
              "Adds or removes settings of a firewalld zone (the default zone when 'zone' is not given) in the"
                  + " permanent configuration, the runtime one, or both: 'permanent: true' alone is permanent only;"
                  + " 'immediate: true' adds the runtime; without 'permanent' the change is runtime only. Settings"
                  + " are compared with firewall-cmd --query-*, so firewalld normalises rich rules itself. When the"
                  + " daemon is stopped, permanent settings are written with firewall-offline-cmd; runtime changes"
                  + " then fail unless 'offline: true' (they are dropped: the permanent configuration applies at the"
                  + " next start). With only 'zone' and state present/absent, the zone itself is created or deleted"
                  + " (permanent only). Returns 'msg' as Ansible's.")
          .param(
              Param.list("port")
                  .elements(ParamType.STR)
                  .doc("Ports as PORT/PROTOCOL or FROM-TO/PROTOCOL: 6443/tcp, 2379-2380/tcp; a list is allowed."))
          .param(
              Param.list("service")
                  .elements(ParamType.STR)
                  .doc("Service names known to firewalld (firewall-cmd --get-services); a list is allowed."))
          .param(Param.list("protocol").elements(ParamType.STR).doc("Protocol names (ospf, vrrp, ...); a list is allowed."))
          .param(
              Param.list("source")
                  .elements(ParamType.STR)
                  .doc("Source addresses or networks bound to the zone (10.0.0.0/8); a list is allowed."))
          .param(
              Param.list("interface")
                  .elements(ParamType.STR)
                  .doc("Interfaces bound to the zone; enabling moves an interface bound to another zone. A list is allowed."))
          .param(
              Param.raw("rich_rule")
                  .doc("A rich rule (see firewalld.richlanguage(5)), or a list of them; compared by firewalld, so any"
                      + " equivalent spelling counts as present."))
          .param(Param.list("icmp_block").elements(ParamType.STR).doc("ICMP types to block (echo-request); a list is allowed."))
          .param(Param.str("icmp_block_inversion").doc("true/false: whether the zone's ICMP block list is inverted."))
          .param(Param.str("masquerade").doc("true/false: whether the zone masquerades (IPv4 NAT)."))
          .param(
              Param.list("port_forward")
                  .elements(ParamType.DICT)
                  .doc("Port forwards, each {port, proto (tcp/udp), toport, toaddr (optional)}; a list is allowed."))
          .param(
              Param.str("target")
                  .choices("default", "ACCEPT", "DROP", "%%REJECT%%")
                  .doc("The zone's target; state absent/disabled resets it to 'default'. Needs 'zone'. Permanent only."))
          .param(Param.str("zone").doc("The zone; default: firewalld's default zone."))
          .param(Param.bool("permanent").doc("Change the permanent configuration (survives reloads and reboots)."))
          .param(
              Param.bool("immediate")
                  .defaultValue(false)
                  .doc("With permanent: true, change the runtime configuration as well."))
          .param(
              Param.bool("offline")
                  .doc("When the daemon is not running, change the permanent configuration only instead of failing."))
          .param(
              Param.str("state")
                  .required()
                  .choices("enabled", "disabled", "present", "absent")
                  .doc("enabled/disabled for settings; present/absent for a zone itself (or a target)."))
          .param(Param.integer("timeout").defaultValue(0).doc("Seconds a runtime setting lasts (0: until reload)."))
          .mutuallyExclusive(
              "icmp_block", "icmp_block_inversion", "service", "protocol", "port", "port_forward", "rich_rule",
              "interface", "masquerade", "source", "target")
          .examples(
              """
              - name: Control-plane ports, now and after reboot
                firewalld:
                  port: [6443/tcp, 2379-2380/tcp, 10250/tcp, 10257/tcp, 10259/tcp]
                  permanent: true
                  immediate: true
                  state: enabled
              - name: Pod network may reach the node
                firewalld:
                  source: 10.244.0.0/16
                  zone: trusted
                  permanent: true
                  immediate: true
                  state: enabled
              - name: Works while building an image, with firewalld stopped
                firewalld:
                  service: [http, https]
                  permanent: true
                  immediate: true
                  offline: true
                  state: enabled
              - name: A rich rule, compared by firewalld whatever its quoting
                firewalld:
                  rich_rule: rule family=ipv4 forward-port port=443 protocol=tcp to-port=8443
                  zone: public
                  permanent: true
                  state: enabled
              """)
          .build();

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** One setting to be enabled or disabled: {@code option} is the firewall-cmd name, {@code value} its argument. */
  record Setting(String label, String option, String value, boolean enabled, boolean timeout) {
    String flag(String verb) {
      return "--" + verb + "-" + option + (value == null ? "" : "=" + value);
    }

    String describe() {
      return label + (value == null ? "" : " " + value);
    }
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String state = args.str("state");
    boolean enable = state.equals("enabled") || state.equals("present");
    List<Setting> settings = settings(args, state);
    boolean zoneOp = settings.isEmpty() && !args.has("target");
    if (!zoneOp && !args.has("target") && (state.equals("present") || state.equals("absent"))) {
      throw new ModuleException("absent and present state can only be used in zone level operations");
    }
    if (zoneOp && !(state.equals("present") || state.equals("absent"))) {
      throw new ModuleException(
          "nothing to " + (enable ? "enable" : "disable") + ": give one of port, service, source, interface, rich_rule,"
              + " protocol, icmp_block, icmp_block_inversion, masquerade, port_forward, target (or state present/absent"
              + " with zone alone to create or delete a zone)");
    }
    if ((args.has("interface") || args.has("target") || zoneOp) && !args.has("zone")) {
      String what = zoneOp ? "state present/absent" : args.has("interface") ? "interface" : "target";
      throw new ModuleException(what + " needs 'zone'");
    }
    String zone = args.str("zone");
    boolean permanent = args.bool("permanent");
    boolean immediate = args.bool("immediate") || !permanent;
    if (zoneOp && !permanent) {
      throw new ModuleException("creating or deleting a zone is permanent only in firewalld: set permanent: true");
    }
    Scopes now = ctx.fact(probe(zone, settings, args.has("target"), zoneOp));
    boolean offline = !now.running;
    if (offline && immediate && !permanent && !args.bool("offline")) {
      throw new ModuleException(
          "firewall is not currently running, unable to perform immediate actions without a running firewall daemon");
    }
    if (offline && immediate && permanent && !args.bool("offline")) {
      throw new ModuleException(
          "firewall is not currently running, unable to perform immediate actions without a running firewall daemon"
              + " (offline: true changes the permanent configuration only)");
    }
    boolean doPermanent = permanent || offline;
    boolean doRuntime = immediate && !offline;
    List<String> msgs = new ArrayList<>();
    msgs.add(
        doPermanent && doRuntime
            ? "Permanent and Non-Permanent(immediate) operation"
            : doPermanent ? "Permanent operation" : "Non-permanent operation");
    List<Command> commands = new ArrayList<>();
    StringBuilder before = new StringBuilder();
    StringBuilder after = new StringBuilder();
    String where = zone == null ? "default zone" : "zone " + zone;
    if (zoneOp) {
      boolean exists = now.zones.contains(zone);
      if (exists != enable) {
        commands.add(permanentCommand(offline, null, List.of(enable ? "--new-zone=" + zone : "--delete-zone=" + zone)));
        msgs.add("Changed zone " + zone + " to " + state);
        before.append("zone ").append(zone).append(": ").append(exists ? "present" : "absent").append('\n');
        after.append("zone ").append(zone).append(": ").append(state).append('\n');
      }
    } else if (args.has("target")) {
      String want = enable ? args.str("target") : "default";
      if (!want.equals(now.target)) {
        commands.add(permanentCommand(offline, zone, List.of("--set-target=" + want)));
        msgs.add("Changed target of zone " + zone + " to " + want);
        before.append(where).append(" target: ").append(now.target).append('\n');
        after.append(where).append(" target: ").append(want).append('\n');
      }
    } else {
      for (boolean runtime : new boolean[] {false, true}) {
        if (runtime ? !doRuntime : !doPermanent) {
          continue;
        }
        String config = runtime ? "runtime" : "permanent";
        List<String> flags = new ArrayList<>();
        boolean adds = false;
        for (Setting s : settings) {
          boolean is = now.answer(runtime, s);
          if (is == s.enabled) {
            continue;
          }
          adds |= s.enabled;
          String line = where + " " + config + ": " + s.describe();
          before.append(line).append(is ? " enabled\n" : " disabled\n");
          after.append(line).append(s.enabled ? " enabled\n" : " disabled\n");
          String verb = s.enabled ? (s.option.equals("interface") ? "change" : "add") : "remove";
          flags.add(s.flag(verb));
        }
        if (flags.isEmpty()) {
          continue;
        }
        // firewall-cmd takes many options of one verb at once, never --add-* with --remove-*: the settings of one
        // task all go one way (their 'enabled' comes from one state), except masquerade/inversion, which are alone.
        if (runtime) {
          List<String> words = new ArrayList<>(List.of("firewall-cmd"));
          if (zone != null) {
            words.add("--zone=" + zone);
          }
          words.addAll(flags);
          int timeout = args.integer("timeout");
          if (timeout > 0 && adds && settings.stream().allMatch(Setting::timeout)) {
            words.add("--timeout=" + timeout);
          }
          commands.add(Command.argv(words));
        } else {
          commands.add(permanentCommand(offline, zone, flags));
        }
      }
      for (Setting s : settings) {
        boolean changedHere =
            (doPermanent && now.answer(false, s) != s.enabled) || (doRuntime && now.answer(true, s) != s.enabled);
        if (changedHere) {
          msgs.add("Changed " + s.describe() + " to " + state);
        }
      }
    }
    if (offline) {
      msgs.add("(offline operation: only on-disk configs were altered)");
    }
    String msg = String.join(", ", msgs);
    if (commands.isEmpty()) {
      return new Plan.Noop(where + " is as asked", Outcome.ok(Map.of()).withMsg(msg));
    }
    Diff diff = Diff.of("firewalld", before.toString(), after.toString());
    Outcome done = Outcome.changed(Map.of()).withMsg(msg).withDiff(diff);
    return new Plan.Change(commands, diff, done, results -> Plan.defaultInterpret(results, done));
  }

  private static Command permanentCommand(boolean offline, String zone, List<String> flags) {
    List<String> words = new ArrayList<>();
    if (offline) {
      words.add("firewall-offline-cmd");
    } else {
      words.add("firewall-cmd");
      words.add("--permanent");
    }
    if (zone != null) {
      words.add("--zone=" + zone);
    }
    words.addAll(flags);
    return Command.argv(words);
  }

  /** The settings the task names, each with the state it should have. */
  static List<Setting> settings(Args args, String state) {
    boolean enable = !state.equals("disabled") && !state.equals("absent");
    List<Setting> out = new ArrayList<>();
    for (Kind k : ITEMS) {
      if (!args.has(k.param)) {
        continue;
      }
      for (String v : values(args, k.param)) {
        if (k.param.equals("port")) {
          v = port(v);
        }
        out.add(new Setting(k.param, k.option, v, enable, k.timeout));
      }
    }
    for (String flag : List.of("masquerade", "icmp_block_inversion")) {
      if (args.has(flag)) {
        boolean on = bool(flag, args.str(flag));
        out.add(new Setting(flag, flag.replace('_', '-'), null, enable == on, true));
      }
    }
    return out;
  }

  private static List<String> values(Args args, String param) {
    if (param.equals("rich_rule")) {
      Object raw = args.raw(param);
      List<String> rules = new ArrayList<>();
      for (Object o : raw instanceof List<?> l ? l : List.of(raw)) {
        if (o instanceof Map<?, ?> || o instanceof List<?>) {
          throw new ModuleException("rich_rule must be a string or a list of strings, not " + o);
        }
        rules.add(String.valueOf(o).strip());
      }
      return rules;
    }
    if (param.equals("port_forward")) {
      List<String> out = new ArrayList<>();
      for (Object o : (List<?>) args.raw(param)) {
        Map<?, ?> m = (Map<?, ?>) o;
        for (String key : List.of("port", "proto", "toport")) {
          if (m.get(key) == null) {
            throw new ModuleException(
                key + (key.equals("proto") ? " udp/tcp" : "") + " must be specified for port forward");
          }
        }
        for (Object key : m.keySet()) {
          if (!List.of("port", "proto", "toport", "toaddr").contains(String.valueOf(key))) {
            throw new ModuleException("unknown port_forward key '" + key + "': give port, proto, toport and toaddr");
          }
        }
        String pf = "port=" + m.get("port") + ":proto=" + m.get("proto") + ":toport=" + m.get("toport");
        if (m.get("toaddr") != null && !String.valueOf(m.get("toaddr")).isEmpty()) {
          pf += ":toaddr=" + m.get("toaddr");
        }
        out.add(pf);
      }
      return out;
    }
    return args.strings(param).stream().map(String::strip).toList();
  }

  /** PORT/PROTOCOL, checked here so the message is Ansible's rather than firewalld's. */
  static String port(String v) {
    int slash = v.indexOf('/');
    if (slash <= 0 || slash == v.length() - 1) {
      throw new ModuleException("improper port format (missing protocol?): '" + v + "', give PORT/PROTOCOL such as 6443/tcp");
    }
    return v;
  }

  private static boolean bool(String name, String v) {
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "on", "1", "y", "t" -> true;
      case "no", "false", "off", "0", "n", "f" -> false;
      default -> throw new ModuleException("value '" + v + "' of parameter '" + name + "' is not a boolean: give true or false");
    };
  }

  /**
   * What the probe found: whether the daemon runs, the answers to the queries (permanent and runtime, by setting
   * index), the zone's permanent target and the permanent zones.
   */
  record Scopes(boolean running, Map<String, Boolean> answers, String target, List<String> zones) {
    boolean answer(boolean runtime, Setting s) {
      Boolean b = answers.get((runtime ? "runtime " : "permanent ") + s.describe());
      if (b == null) {
        throw new IllegalStateException("no probe answer for " + s.describe());
      }
      return b;
    }
  }

  /**
   * One probe for everything: is the daemon running; then each query against the permanent configuration
   * (firewall-cmd --permanent, or firewall-offline-cmd when the daemon is down) and, when it runs, the runtime one.
   * Each answer is a line {@code <id> <rc> <output>}: rc 0 is yes, 1 is no, anything else firewalld's error.
   */
  static Fact<Scopes> probe(String zone, List<Setting> settings, boolean target, boolean zones) {
    StringBuilder s = new StringBuilder();
    s.append("q() { id=$1; shift; out=$(\"$@\" 2>&1); rc=$?; ")
        .append("printf '%s\\t%s\\t%s\\n' \"$id\" \"$rc\" \"$(printf %s \"$out\" | tr '\\n' ' ')\"; }\n");
    s.append("if command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state >/dev/null 2>&1; then\n");
    s.append("  echo running\n  P='firewall-cmd --permanent'\n");
    s.append("elif command -v firewall-offline-cmd >/dev/null 2>&1; then\n  echo offline\n  P=firewall-offline-cmd\n");
    s.append("else\n  echo missing\n  exit 0\nfi\n");
    String z = zone == null ? "" : " " + Shell.quote("--zone=" + zone);
    for (Setting st : settings) {
      String flag = Shell.quote(st.flag("query"));
      s.append("q ").append(Shell.quote("permanent " + st.describe())).append(" $P").append(z).append(' ').append(flag).append('\n');
      s.append("[ \"$P\" = firewall-offline-cmd ] || q ").append(Shell.quote("runtime " + st.describe())).append(" firewall-cmd")
          .append(z).append(' ').append(flag).append('\n');
    }
    if (target) {
      s.append("q target $P").append(z).append(" --get-target\n");
    }
    if (zones) {
      s.append("q zones $P --get-zones\n");
    }
    String key =
        "firewalld " + (zone == null ? "(default zone)" : zone) + " " + settings.stream().map(Setting::describe).toList()
            + (target ? " target" : "") + (zones ? " zones" : "");
    return Fact.of(key, Command.of(s.toString()), Firewalld::parse);
  }

  static Scopes parse(CommandResult r) {
    String[] lines = r.stdout().split("\n");
    if (!r.ok() || lines.length == 0 || lines[0].isEmpty()) {
      throw new ModuleException("cannot query firewalld: " + (r.stderr().isBlank() ? "exit code " + r.rc() : r.stderr().strip()));
    }
    if (lines[0].equals("missing")) {
      throw new ModuleException("firewalld is not installed: neither firewall-cmd nor firewall-offline-cmd is on the PATH");
    }
    boolean running = lines[0].equals("running");
    Map<String, Boolean> answers = new LinkedHashMap<>();
    String target = null;
    List<String> zones = List.of();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split("\t", 3);
      if (f.length < 3) {
        throw new ModuleException("cannot query firewalld: unexpected probe output '" + lines[i] + "'");
      }
      String id = f[0];
      String out = f[2].strip();
      int rc = Integer.parseInt(f[1]);
      if (id.equals("target") || id.equals("zones")) {
        if (rc != 0) {
          throw new ModuleException("firewalld: " + out);
        }
        if (id.equals("target")) {
          target = out;
        } else {
          zones = List.of(out.split("\\s+"));
        }
      } else if (rc == 0 || rc == 1) {
        answers.put(id, rc == 0);
      } else {
        throw new ModuleException("firewalld refused " + id.substring(id.indexOf(' ') + 1) + ": " + out);
      }
    }
    return new Scopes(running, answers, target, zones);
  }
}
