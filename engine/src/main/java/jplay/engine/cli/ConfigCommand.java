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
      "Shows jplay's configuration (as ansible-config): jplay.cfg or ansible.cfg, JPLAY_* and",
      "ANSIBLE_* variables. The command line overrides all of them.",
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
      description = {"Every setting as NAME(ORIGIN) = VALUE; ORIGIN is default, env: VARIABLE or FILE:LINE.", ""})
  int dump(
      @Option(names = "--only-changed", description = "Only the settings not at their default.") boolean onlyChanged) {
    Config config = ConfigDefaults.of(spec);
    io.out().print(config.dump(onlyChanged));
    io.out().flush();
    return 0;
  }
}
