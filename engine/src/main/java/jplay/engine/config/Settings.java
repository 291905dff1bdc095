package jplay.engine.config;

import static jplay.engine.config.Setting.Type.BOOL;
import static jplay.engine.config.Setting.Type.CHOICE;
import static jplay.engine.config.Setting.Type.NON_NEGATIVE_INT;
import static jplay.engine.config.Setting.Type.PATH;
import static jplay.engine.config.Setting.Type.PATH_LIST;
import static jplay.engine.config.Setting.Type.PATH_SPEC;
import static jplay.engine.config.Setting.Type.POSITIVE_INT;
import static jplay.engine.config.Setting.Type.STRING;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings jplay reads from jplay.cfg / ansible.cfg and the environment, with Ansible's names, and the keys
 * Ansible knows that have no effect in jplay (accepted quietly, shown by {@code config dump}).
 */
final class Settings {
  private Settings() {}

  static final String DEFAULTS = "defaults";
  static final String BECOME = "privilege_escalation";
  static final String SSH = "ssh_connection";

  /** Every setting, in the order {@code jplay config dump} shows them. */
  static final List<Setting> ALL = List.of(
      s("inventory", DEFAULTS, PATH_LIST, null, null, "Inventory sources when no -i is given (comma-separated)."),
      s("forks", DEFAULTS, POSITIVE_INT, "50", "--forks", "Hosts worked on at once."),
      s("remote_user", DEFAULTS, STRING, null, "--user", "Remote user (default: your user name)."),
      s("private_key_file", DEFAULTS, PATH, null, "--private-key", "SSH private key."),
      s("host_key_checking", DEFAULTS, CHOICE, "True", "--host-key-checking",
          "Check SSH host keys: a boolean, or accept-new (jplay)."),
      s("known_hosts", DEFAULTS, PATH, null, "--known-hosts", "known_hosts file (jplay; default ~/.ssh/known_hosts)."),
      s("transport", DEFAULTS, CHOICE, "ssh", "--connection", "Connection type: ssh or local."),
      s("ask_pass", DEFAULTS, BOOL, "False", "--ask-pass", "Ask for the SSH password."),
      s("timeout", DEFAULTS, POSITIVE_INT, "10", "--timeout", "SSH connection timeout in seconds."),
      s("task_timeout", DEFAULTS, NON_NEGATIVE_INT, "0", "--task-timeout",
          "Limit for one command on a target in seconds; 0 for none."),
      s("roles_path", DEFAULTS, PATH_SPEC, null, "--roles-path", "Folders to search for roles (colon-separated)."),
      s("log_path", DEFAULTS, PATH, null, "--log-file", "Write a debug log of the run to this file."),
      s("stdout_callback", DEFAULTS, CHOICE, "default", "--output",
          "Output: default (human), yaml (as default), json (one JSON event per line)."),
      s("nocolor", DEFAULTS, BOOL, "False", "--color", "Never colour the output."),
      s("force_handlers", DEFAULTS, BOOL, "False", "--force-handlers",
          "Run notified handlers even on hosts that failed."),
      s("vault_password_file", DEFAULTS, PATH, null, "--vault-password-file", "File holding the vault password."),
      s("become", BECOME, BOOL, "False", "--become", "Run tasks with sudo."),
      s("become_method", BECOME, CHOICE, "sudo", null, "How to become another user: sudo (the one jplay has)."),
      s("become_user", BECOME, STRING, "root", "--become-user", "User to become."),
      s("become_ask_pass", BECOME, BOOL, "False", "--ask-become-pass", "Ask for the sudo password."),
      s("retries", SSH, NON_NEGATIVE_INT, null, "--retries", "Connection attempts after the first fails."),
      s("ssh_args", SSH, STRING, null, null,
          "OpenSSH options; jplay applies -F and -o ConnectTimeout, StrictHostKeyChecking, UserKnownHostsFile."),
      s("ssh_config_file", SSH, PATH, null, null,
          "OpenSSH client configuration to honour (jplay; default ~/.ssh/config)."));

  /** Keys read by Ansible that mean nothing to jplay, with why. */
  static final Map<String, String> NO_EFFECT = noEffect();

  /** Ansible's configuration sections; keys in those jplay does not read are not checked. */
  static final Set<String> ANSIBLE_SECTIONS = Set.of(
      "defaults", "privilege_escalation", "ssh_connection", "colors", "connection", "diff", "galaxy", "inventory",
      "jinja2", "netconf_connection", "paramiko_connection", "persistent_connection", "selinux", "tags",
      "callback_profile_tasks", "callback_timer");

  /** The sections jplay reads, whose keys are checked. */
  static final Set<String> READ_SECTIONS = Set.of(DEFAULTS, BECOME, SSH);

  private static Map<String, String> noEffect() {
    Map<String, String> m = new LinkedHashMap<>();
    String ansibleOnly = "no effect in jplay (an Ansible internal)";
    for (String k : ("action_plugins action_warnings allow_unsafe_lookups ansible_managed any_errors_fatal "
        + "ask_vault_pass become_password_file become_plugins bin_ansible_callbacks cache_plugins callback_plugins "
        + "callback_whitelist callbacks_enabled cliconf_plugins collections_on_ansible_version_mismatch "
        + "collections_path collections_paths collections_scan_sys_path connection_password_file "
        + "connection_plugins cow_selection cow_whitelist cowpath cowsay_enabled_stencils debug "
        + "deprecation_warnings devel_warning display_args_to_stdout display_skipped_hosts doc_fragment_plugins "
        + "docsite_root_url duplicate_dict_key enable_task_debugger error_on_missing_handler "
        + "error_on_undefined_vars executable fact_caching fact_caching_connection fact_caching_prefix "
        + "fact_caching_timeout fact_path facts_modules filter_plugins force_color force_valid_group_names "
        + "gather_subset gather_timeout gathering hash_behaviour home httpapi_plugins inject_facts_as_vars "
        + "internal_poll_interval interpreter_python invalid_task_attribute_failed inventory_ignore_extensions "
        + "inventory_ignore_patterns inventory_plugins jinja2_extensions jinja2_native jinja2_native_warning "
        + "keep_remote_files library local_tmp localhost_warning log_filter lookup_plugins max_diff_size "
        + "module_args module_compression module_ignore_exts module_name module_utils netconf_plugins "
        + "network_group_modules no_log no_target_syslog nocows null_representation old_plugin_cache_clear "
        + "pipelining playbook_dir playbook_vars_root plugin_filters_cfg poll_interval precedence "
        + "private_role_vars python_module_rlimit_nofile remote_port retry_files_enabled retry_files_save_path "
        + "run_vars_plugins show_custom_stats strategy strategy_plugins string_conversion_action su "
        + "syslog_facility system_warnings task_debugger_ignore_errors terminal_plugins test_plugins "
        + "use_persistent_connections validate_action_group_metadata vars_plugins vars_plugins_enabled "
        + "vault_encrypt_identity vault_id_match vault_identity vault_identity_list verbose_to_stderr verbosity "
        + "win_async_startup_timeout yaml_valid_extensions").split(" ")) {
      m.put(DEFAULTS + "." + k, ansibleOnly);
    }
    m.put(DEFAULTS + ".gathering", "no effect in jplay: facts are gathered unless a play says gather_facts: false");
    m.put(DEFAULTS + ".remote_port", "no effect in jplay yet: set ansible_port in the inventory");
    for (String k : List.of("agnostic_become_prompt", "become_allow_same_user", "become_exe", "become_flags")) {
      m.put(BECOME + "." + k, ansibleOnly);
    }
    m.put(SSH + ".pipelining", "no effect in jplay: commands always go over one open connection");
    m.put(SSH + ".control_path", "no effect in jplay: one SSH connection per host is kept open for the whole run");
    m.put(SSH + ".control_path_dir", "no effect in jplay: one SSH connection per host is kept open for the whole run");
    for (String k : List.of("scp_if_ssh", "transfer_method", "scp_executable", "scp_extra_args", "sftp_batch_mode",
        "sftp_executable", "sftp_extra_args", "ssh_executable", "ssh_common_args", "ssh_extra_args",
        "sshpass_prompt", "usetty", "pkcs")) {
      m.put(SSH + "." + k, "no effect in jplay: it talks SSH itself (sshj), without the ssh program");
    }
    return Map.copyOf(m);
  }

  private static Setting s(String name, String section, Setting.Type type, String dflt, String option,
      String description) {
    String upper = name.toUpperCase(Locale.ROOT);
    List<String> env = new ArrayList<>();
    env.add("JPLAY_" + upper);
    if (!name.equals("known_hosts") && !name.equals("ssh_config_file")) {
      env.add(section.equals(SSH) ? "ANSIBLE_SSH_" + upper.replace("SSH_", "") : "ANSIBLE_" + upper);
    }
    return new Setting(name, section, env, type, dflt, option, description);
  }

  static Optional<Setting> find(String section, String name) {
    return ALL.stream().filter(s -> s.section().equals(section) && s.name().equals(name)).findFirst();
  }

  static Optional<Setting> byOption(String option) {
    return ALL.stream().filter(s -> option.equals(s.option())).findFirst();
  }

  /**
   * The value checked and put in its canonical form (paths expanded, booleans True/False as Ansible shows them).
   *
   * @throws IllegalArgumentException with what is wrong and what would be right
   */
  static String check(Setting s, String raw, Path home) {
    return check(s, raw, home, null);
  }

  /** As {@link #check(Setting, String, Path)}, relative paths resolved against {@code base} when not null. */
  static String check(Setting s, String raw, Path home, Path base) {
    String v = raw.trim();
    switch (s.type()) {
      case POSITIVE_INT, NON_NEGATIVE_INT -> {
        int n;
        try {
          n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(s.name() + " takes a whole number, not '" + v + "'");
        }
        int min = s.type() == POSITIVE_INT ? 1 : 0;
        if (n < min) {
          throw new IllegalArgumentException(s.name() + " must be at least " + min + ", not " + n);
        }
        return Integer.toString(n);
      }
      case BOOL -> {
        return bool(s.name(), v) ? "True" : "False";
      }
      case PATH -> {
        return expand(v, home, base);
      }
      case PATH_LIST, PATH_SPEC -> {
        String sep = s.type() == PATH_LIST ? "," : ":";
        List<String> parts = new ArrayList<>();
        for (String p : v.split(sep)) {
          if (!p.isBlank()) {
            parts.add(expand(p.trim(), home, base));
          }
        }
        return String.join(sep, parts);
      }
      case CHOICE -> {
        return choice(s, v);
      }
      default -> {
        return v;
      }
    }
  }

  private static String choice(Setting s, String v) {
    String lower = v.toLowerCase(Locale.ROOT);
    switch (s.name()) {
      case "host_key_checking" -> {
        if (lower.equals("accept-new")) {
          return "accept-new";
        }
        try {
          return bool(s.name(), v) ? "True" : "False";
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("host_key_checking takes a boolean (True/False) or accept-new, not '"
              + v + "'");
        }
      }
      case "transport" -> {
        return switch (lower) {
          case "ssh", "smart", "paramiko" -> "ssh";
          case "local" -> "local";
          default -> throw new IllegalArgumentException("transport takes ssh or local, not '" + v + "'");
        };
      }
      case "stdout_callback" -> {
        return switch (lower) {
          case "default", "ansible.builtin.default", "yaml", "community.general.yaml", "minimal",
              "ansible.builtin.minimal" -> lower.endsWith("yaml") ? "yaml" : lower.endsWith("minimal") ? "minimal"
                  : "default";
          case "json", "ansible.posix.json", "ansible.builtin.json" -> "json";
          default -> throw new IllegalArgumentException(
              "stdout_callback takes default, yaml, minimal or json in jplay, not '" + v + "'");
        };
      }
      case "become_method" -> {
        if (!lower.equals("sudo") && !lower.equals("ansible.builtin.sudo")) {
          throw new IllegalArgumentException("become_method '" + v + "' is not supported; jplay supports sudo");
        }
        return "sudo";
      }
      default -> throw new IllegalStateException("no choices for " + s.name());
    }
  }

  static boolean bool(String name, String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "on", "1", "y", "t" -> true;
      case "no", "false", "off", "0", "n", "f", "" -> false;
      default -> throw new IllegalArgumentException(name + " takes a boolean (True/False, yes/no), not '" + v + "'");
    };
  }

  private static String expand(String p, Path home, Path base) {
    if (p.equals("~")) {
      return home.toString();
    }
    if (p.startsWith("~/")) {
      return home.resolve(p.substring(2)).toString();
    }
    // As Ansible, a relative path in a configuration file is relative to that file's folder.
    return base != null && !Path.of(p).isAbsolute() ? base.resolve(p).normalize().toString() : p;
  }

  /** The value a checked setting gives its command-line option, or null when the option takes none from it. */
  static String optionValue(Setting s, String value) {
    return switch (s.name()) {
      case "host_key_checking" -> value.equals("accept-new") ? value : value.equals("True") ? "strict" : "off";
      case "stdout_callback" -> value.equals("json") ? "json" : "human";
      case "nocolor" -> value.equals("True") ? "never" : null;
      case "task_timeout" -> value.equals("0") ? null : value;
      case "ask_pass", "become", "become_ask_pass", "force_handlers" -> value.equals("True") ? "true" : "false";
      default -> value;
    };
  }
}
