package jplay.engine.cli;

import jplay.engine.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jplay config dump}: the effective settings and where each came from, as ansible-config. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Shows the settings and where each came from (as ansible-config).",
      "",
      "Settings come from the first of $JPLAY_CONFIG, ./jplay.cfg, ~/.jplay.cfg,",
      "$ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg, and",
      "from JPLAY_* and ANSIBLE_* variables, which win over the file. Options on",
      "the command line win over both.",
      "",
      "Examples:",
      "  jplay config dump",
      "  jplay config dump --only-changed",
      ""
    })
final class ConfigCommand implements Runnable {
  private final Io io;

  @Spec CommandSpec spec;

  ConfigCommand(Io io) {
    this.io = io;
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: dump");
  }

  @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Shows every setting and its origin: the default, an environment variable,",
          "or the line of the configuration file that sets it.", ""})
  int dump(
      @Option(names = "--only-changed", description = "Only the settings not at their default.") boolean onlyChanged) {
    Config config = ConfigDefaults.of(spec);
    io.out().print(config.dump(onlyChanged));
    io.out().flush();
    return 0;
  }
}
