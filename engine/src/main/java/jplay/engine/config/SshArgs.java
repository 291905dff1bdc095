package jplay.engine.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code ssh_args} jplay can honour: {@code -F FILE} (the ssh client configuration),
 * {@code -o ConnectTimeout=}, {@code -o StrictHostKeyChecking=} and
 * {@code -o UserKnownHostsFile=} become the timeout, host_key_checking and known_hosts settings (used when nothing
 * else sets those). Connection-sharing options are moot with one sshj connection per host and pass silently; any
 * other option is a warning, since jplay does not run the ssh program.
 */
final class SshArgs {
  private static final Set<String> MOOT = Set.of("controlmaster", "controlpersist", "controlpath",
      "serveraliveinterval", "serveralivecountmax", "compression", "forwardagent");

  private SshArgs() {}

  static void apply(Config.Value args, Path home, Path base, Map<Setting, Config.Value> implied,
      List<String> warnings, List<String> errors) {
    List<String> words = List.of(args.value().trim().split("\\s+"));
    List<String> options = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = Config.unquote(words.get(i));
      if (w.isEmpty()) {
        continue;
      }
      if (w.equals("-F") && i + 1 < words.size()) {
        Setting s = Settings.find(Settings.SSH, "ssh_config_file").orElseThrow();
        implied.put(s, new Config.Value(s.name(), Settings.check(s, Config.unquote(words.get(++i)), home, base),
            args.origin() + " (ssh_args)", false));
      } else if (w.equals("-o") && i + 1 < words.size()) {
        options.add(Config.unquote(words.get(++i)));
      } else if (w.startsWith("-o")) {
        options.add(w.substring(2));
      } else if (!w.equals("-C")) {
        warnings.add(args.origin() + ": ssh_args: '" + w + "' has no effect in jplay (it does not run ssh)");
      }
    }
    String origin = args.origin() + " (ssh_args)";
    for (String o : options) {
      int eq = o.indexOf('=');
      String key = (eq < 0 ? o.split("\\s+")[0] : o.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? o.substring(key.length()).trim() : o.substring(eq + 1).trim();
      String setting = switch (key) {
        case "connecttimeout" -> "timeout";
        case "stricthostkeychecking" -> "host_key_checking";
        case "userknownhostsfile" -> "known_hosts";
        default -> null;
      };
      if (setting == null) {
        if (!MOOT.contains(key)) {
          warnings.add(args.origin() + ": ssh_args: -o " + o + " has no effect in jplay (it does not run ssh)");
        }
        continue;
      }
      Setting s = Settings.find(Settings.DEFAULTS, setting).orElseThrow();
      if (setting.equals("host_key_checking") && value.equalsIgnoreCase("ask")) {
        value = "yes";
      }
      try {
        implied.put(s, new Config.Value(s.name(), Settings.check(s, value, home, base), origin, false));
      } catch (IllegalArgumentException e) {
        errors.add(args.origin() + ": ssh_args: -o " + o + ": " + e.getMessage());
      }
    }
  }
}
