package jplay.engine.cli;

import java.nio.file.Path;
import jplay.engine.config.Config;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Gives every command's options their defaults from jplay.cfg / ansible.cfg and {@code JPLAY_*} /
 * {@code ANSIBLE_*} variables, so that what is typed on the command line still wins and no command needs code
 * for it.
 */
record ConfigDefaults(Config config) implements IDefaultValueProvider {
  /** Short, and no invokedynamic to link: picocli's tracing asks for it on every run. */
  @Override
  public String toString() {
    return "ConfigDefaults[" + config.file().map(Path::toString).orElse("no file") + "]";
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    // A flag whose default is true would be switched off by typing it (picocli's rule); see applyFlags.
    return arg instanceof OptionSpec o && !isFlag(o) ? config.optionDefault(o.longestName()) : null;
  }

  /**
   * Turns on the flags ({@code -b}, {@code -K}, ...) the configuration turns on and the command line did not
   * give, in every command parsed; run before the command executes.
   */
  static void applyFlags(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
      Config config = of(p.commandSpec());
      for (OptionSpec o : p.commandSpec().options()) {
        if (isFlag(o) && !p.hasMatchedOption(o) && "true".equals(config.optionDefault(o.longestName()))) {
          o.setValue(true);
        }
      }
    }
  }

  private static boolean isFlag(OptionSpec o) {
    return o.arity().max() == 0 && (o.type() == boolean.class || o.type() == Boolean.class);
  }

  /** The configuration of the command line {@code spec} belongs to; the defaults when it has none. */
  static Config of(CommandSpec spec) {
    CommandSpec root = spec.root();
    return root.defaultValueProvider() instanceof ConfigDefaults d ? d.config() : Config.defaults();
  }
}
