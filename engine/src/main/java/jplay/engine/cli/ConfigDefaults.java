package jplay.engine.cli;

import jplay.engine.config.Config;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every command's options their defaults from jplay.cfg / ansible.cfg and {@code JPLAY_*} /
 * {@code ANSIBLE_*} variables, so that what is typed on the command line still wins and no command needs code
 * for it.
 */
record ConfigDefaults(Config config) implements IDefaultValueProvider {
  @Override
  public String defaultValue(ArgSpec arg) {
    return arg instanceof OptionSpec o ? config.optionDefault(o.longestName()) : null;
  }

  /** The configuration of the command line {@code spec} belongs to; the defaults when it has none. */
  static Config of(CommandSpec spec) {
    CommandSpec root = spec.root();
    return root.defaultValueProvider() instanceof ConfigDefaults d ? d.config() : Config.defaults();
  }
}
