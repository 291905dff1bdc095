package jplay.engine.config;

import java.util.List;

/** A configuration that cannot be used: each message names the file and line, or the environment variable. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  ConfigException(String error) {
    this(List.of(error));
  }

  ConfigException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  /** One line per problem. */
  public List<String> errors() {
    return errors;
  }
}
