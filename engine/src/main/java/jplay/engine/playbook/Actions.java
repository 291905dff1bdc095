package jplay.engine.playbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;

/**
 * The actions the engine carries out itself, because they act on the run rather than on a host: {@code set_fact},
 * {@code assert}, {@code fail}, {@code meta}, {@code pause} and {@code include_vars}. A task calls them as it calls
 * a module, and their arguments are checked against the specs here ({@code set_fact} takes any variable names).
 *
 * <pre>{@code
 * Actions.canonical("ansible.builtin.set_fact");  // Optional[set_fact]
 * }</pre>
 */
public final class Actions {
  public static final String SET_FACT = "set_fact";
  public static final String ASSERT = "assert";
  public static final String FAIL = "fail";
  public static final String META = "meta";
  public static final String PAUSE = "pause";
  public static final String INCLUDE_VARS = "include_vars";

  /** What {@code meta:} can do, as Ansible's. */
  public static final List<String> META_ACTIONS =
      List.of(
          "flush_handlers", "noop", "end_play", "end_host", "end_batch", "clear_host_errors", "refresh_inventory",
          "clear_facts", "reset_connection");

  private static final Map<String, ModuleSpec> SPECS = new LinkedHashMap<>();

  static {
    add(ModuleSpec.builder(SET_FACT)
        .summary("Set host variables and facts")
        .description("Sets each given variable for the host, above play and task vars. With cacheable=true the"
            + " values are facts too (ansible_facts).")
        .param(Param.bool("cacheable").defaultValue(false).doc("Also store the values as facts."))
        .examples("- set_fact:\n    kube_version: \"1.30\"\n    node_ip: \"{{ ansible_default_ipv4.address }}\"\n")
        .build());
    add(ModuleSpec.builder(ASSERT)
        .summary("Check that conditions hold")
        .description("Fails the host unless every expression in 'that' is true.")
        .param(Param.raw("that").required().doc("A condition, or a list of them; all must hold."))
        .param(Param.raw("fail_msg").aliases("msg").doc("The message when an assertion fails."))
        .param(Param.raw("success_msg").doc("The message when all hold."))
        .param(Param.bool("quiet").defaultValue(false).doc("Show no message when all hold."))
        .examples("- assert:\n    that:\n      - ansible_memtotal_mb >= 2048\n    fail_msg: \"kubeadm needs 2 GB\"\n")
        .build());
    add(ModuleSpec.builder(FAIL)
        .summary("Fail with a message")
        .param(Param.raw("msg").defaultValue("Failed as requested from task").doc("The message."))
        .examples("- fail:\n    msg: \"unsupported distribution {{ ansible_distribution }}\"\n  when: ansible_os_family != 'RedHat'\n")
        .build());
    add(ModuleSpec.builder(META)
        .summary("Act on the run: flush handlers, end the play or a host, ...")
        .freeForm()
        .description("One of: " + String.join(", ", META_ACTIONS) + ".")
        .examples("- meta: flush_handlers\n")
        .build());
    add(ModuleSpec.builder(PAUSE)
        .summary("Wait for a time")
        .description("Waits, once for all hosts of the play. Waiting for a key press (prompt without a time) is"
            + " not supported: jplay runs unattended.")
        .param(Param.integer("seconds").doc("Seconds to wait."))
        .param(Param.integer("minutes").doc("Minutes to wait."))
        .param(Param.str("prompt").doc("Text shown while waiting."))
        .param(Param.bool("echo").defaultValue(true).doc("Accepted for compatibility."))
        .mutuallyExclusive("seconds", "minutes")
        .examples("- pause:\n    seconds: 10\n")
        .build());
    add(ModuleSpec.builder(INCLUDE_VARS)
        .summary("Read variables from a YAML or JSON file on the controller")
        .freeForm()
        .param(Param.path("file").doc("The file, relative to the role's vars/ or the playbook's folder."))
        .param(Param.str("name").doc("Put the variables under this one name instead of at the top."))
        .examples("- include_vars: \"{{ ansible_os_family }}.yml\"\n")
        .build());
  }

  private static final Set<String> PREFIXES = Set.of("ansible.builtin.", "ansible.legacy.");

  private Actions() {}

  private static void add(ModuleSpec spec) {
    SPECS.put(spec.name(), spec);
  }

  /** The action's short name, for its own name or Ansible's qualified forms ({@code ansible.builtin.fail}). */
  public static Optional<String> canonical(String name) {
    return Optional.ofNullable(strip(name)).filter(SPECS::containsKey);
  }

  /** True for an engine action's canonical name. */
  public static boolean isAction(String name) {
    return SPECS.containsKey(name);
  }

  /** The specs of every action, for documentation. */
  public static List<ModuleSpec> specs() {
    return List.copyOf(SPECS.values());
  }

  static ModuleSpec spec(String canonical) {
    return SPECS.get(canonical);
  }

  /** The short form of a statement such as {@code ansible.builtin.include_tasks}, or the name itself. */
  static String strip(String name) {
    for (String p : PREFIXES) {
      if (name.startsWith(p)) {
        return name.substring(p.length());
      }
    }
    return name;
  }
}
