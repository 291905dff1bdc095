package jplay.engine.api;

/** The value types a module parameter can take; {@link Args#bind} coerces raw YAML values to them. */
public enum ParamType {
  /** A string; numbers and booleans are turned into their text, as Ansible does. */
  STR,
  /** A boolean: true/false, yes/no, on/off, 1/0 (any case), as Ansible's boolean(). */
  BOOL,
  INT,
  FLOAT,
  /** A list; a comma-separated string becomes a list, as Ansible does. */
  LIST,
  DICT,
  /** A path on the target; kept as a string. */
  PATH,
  /**
   * A file mode: an octal string ({@code "0644"}), an int (YAML 1.1 {@code 0644} is octal), or a symbolic mode
   * ({@code u+rwx,g-w}); kept as the string the user meant, normalised by the module.
   */
  MODE,
  /** Anything, untouched. */
  RAW;

  /** The lower-case name used in docs and error messages ({@code str}, {@code bool}, ...). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
