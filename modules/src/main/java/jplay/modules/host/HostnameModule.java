package jplay.modules.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import jplay.engine.api.Plan;


/**
 * Ansible's {@code hostname} with two strategies. systemd: {@code hostnamectl} (static, then transient, as
 * Ansible's order keeps NetworkManager quiet). generic: the kernel's name with {@code hostname}, and
 * {@code /etc/hostname} written atomically (what Ansible's Debian, Alpine and file strategies do). Without
 * {@code use}, systemd is chosen where it runs (hostnamectl present and {@code /run/systemd/system} there).
 */
public final class HostnameModule implements Module {
  static final ModuleSpec SPEC =
      ModuleSpec.builder("hostname")
          .aliases("ansible.builtin.hostname")
          .summary("Set the system's host name")
          .description(
              "Sets the running and the permanent host name, and updates the ansible_hostname, ansible_nodename,"
                  + " ansible_fqdn and ansible_domain facts.")
          .param(Param.str("name").required().doc("The host name."))
          .param(Param.str("use").choices("systemd", "generic")
              .doc("The strategy; default: systemd where systemd runs, else generic."))
          .examples(
              """
              - hostname:
                  name: "{{ inventory_hostname }}"
              - hostname: name=node1.example.com use=generic
              """)
          .build();

  /** What the probe saw: whether systemd runs, the kernel's name, hostnamectl's names and the FQDN. */
  record Names(boolean systemd, String kernel, String staticName, String transientName, String fqdn) {}

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public Plan plan(ModuleContext ctx) {
    Args args = ctx.args();
    String name = args.str("name");
    if (name.isEmpty() || name.startsWith("-") || name.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new ModuleException("'" + name + "' is not a valid host name");
    }
    Names now = ctx.fact(probe());
    String use = args.has("use") ? args.str("use") : now.systemd() ? "systemd" : "generic";
    String current;
    String permanent;
    List<Command> commands = new ArrayList<>();
    if (use.equals("systemd")) {
      if (name.length() > 64) {
        throw new ModuleException(
            "name cannot be longer than 64 characters on systemd servers, try a shorter name");
      }
      if (now.staticName() == null) {
        throw new ModuleException("use=systemd, but hostnamectl cannot be used on this host (systemd not running)");
      }
      current = now.transientName();
      permanent = now.staticName();
      if (!permanent.equals(name)) {
        commands.add(Command.argv("hostnamectl", "--pretty", "--static", "set-hostname", name));
      }
      if (!current.equals(name)) {
        commands.add(Command.argv("hostnamectl", "--transient", "set-hostname", name));
      }
    } else {
      TextFile file = ctx.fact(TextFile.read("/etc/hostname"));
      current = now.kernel();
      permanent = file.content().strip();
      if (!current.equals(name)) {
        commands.add(Command.argv("hostname", name));
      }
      if (!permanent.equals(name)) {
        commands.add(file.write(name + "\n"));
      }
    }
    String before = !name.equals(current) ? current : permanent;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", name);
    data.put("ansible_facts", facts(name, now.fqdn()));
    if (commands.isEmpty()) {
      return Plan.noop("the host name is " + name, data);
    }
    Diff diff = new Diff("", "hostname = " + before + "\n", "", "hostname = " + name + "\n");
    commands.add(Command.of("hostname -f 2>/dev/null || hostname").probe());
    Outcome done = Outcome.changed(data).withDiff(diff);
    return new Plan.Change(commands, diff, done, results -> {
      Outcome o = Plan.defaultInterpret(results, done);
      if (o.failed()) {
        return o;
      }
      CommandResult last = results.get(results.size() - 1);
      Map<String, Object> out = new LinkedHashMap<>(data);
      out.put("ansible_facts", facts(name, last.stdout().strip()));
      return Outcome.changed(out).withDiff(diff);
    });
  }

  static Map<String, Object> facts(String name, String fqdn) {
    String f = fqdn == null || fqdn.isEmpty() ? name : fqdn;
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("ansible_hostname", name.split("\\.", -1)[0]);
    facts.put("ansible_nodename", name);
    facts.put("ansible_fqdn", f);
    int dot = f.indexOf('.');
    facts.put("ansible_domain", dot < 0 ? "" : f.substring(dot + 1));
    return facts;
  }

  static Fact<Names> probe() {
    String script = """
        if command -v hostnamectl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
          echo systemd
          printf 'static %s\\n' "$(hostnamectl --static status)" && printf 'transient %s\\n' "$(hostnamectl --transient status)" || exit 1
        fi
        printf 'kernel %s\\n' "$(hostname 2>/dev/null || uname -n)"
        printf 'fqdn %s\\n' "$(hostname -f 2>/dev/null)"
        """;
    return Fact.of("hostname", Command.of(script), r -> {
      if (!r.ok()) {
        throw new ModuleException("cannot read the host name: " + r.stderr().strip());
      }
      boolean systemd = false;
      String kernel = null;
      String st = null;
      String tr = null;
      String fqdn = null;
      for (String l : r.stdout().lines().toList()) {
        if (l.equals("systemd")) {
          systemd = true;
        } else if (l.startsWith("static ")) {
          st = l.substring(7).strip();
        } else if (l.startsWith("transient ")) {
          tr = l.substring(10).strip();
        } else if (l.startsWith("kernel ")) {
          kernel = l.substring(7).strip();
        } else if (l.startsWith("fqdn ")) {
          fqdn = l.substring(5).strip();
        }
      }
      if (kernel == null) {
        throw new ModuleException("cannot read the host name: the probe printed no name");
      }
      return new Names(systemd, kernel, st, tr, fqdn);
    });
  }

}
