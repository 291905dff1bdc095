package jplay.engine.config;

import java.util.List;

/**
 * One configuration setting: where it is read from (an INI key, environment variables), its type and default, and
 * the command-line option it gives the default of.
 *
 * @param name the key in its section, as in ansible.cfg ({@code forks})
 * @param section the INI section ({@code defaults})
 * @param env environment variables, first found wins ({@code JPLAY_FORKS} before {@code ANSIBLE_FORKS})
 * @param type how the value is checked and converted
 * @param defaultValue the value when nothing sets it, as shown by {@code jplay config dump}; null for none
 * @param option the long command-line option this setting is the default of, or null
 * @param description one line for {@code jplay config dump}
 */
record Setting(
    String name, String section, List<String> env, Type type, String defaultValue, String option,
    String description) {
  Setting {
    env = List.copyOf(env);
  }

  /** How a value is read. */
  enum Type {
    /** Free text. */
    STRING,
    /** A whole number of at least 1. */
    POSITIVE_INT,
    /** A whole number of at least 0. */
    NON_NEGATIVE_INT,
    /** Ansible's booleans: yes/no, true/false, on/off, 1/0, y/n, t/f. */
    BOOL,
    /** A file path; {@code ~} expands to the home folder. */
    PATH,
    /** Paths separated by commas (Ansible's {@code pathlist}). */
    PATH_LIST,
    /** Paths separated by colons (Ansible's {@code pathspec}). */
    PATH_SPEC,
    /** One of a fixed set, checked where the setting is defined. */
    CHOICE
  }

  // equals and hashCode written out, as the record's own would be: a record's are linked on first use through
  // invokedynamic (ObjectMethods), several milliseconds of every run's start for a map key.
  @Override
  public boolean equals(Object o) {
    return o instanceof Setting s && name.equals(s.name) && section.equals(s.section) && env.equals(s.env)
        && type == s.type && java.util.Objects.equals(defaultValue, s.defaultValue)
        && java.util.Objects.equals(option, s.option) && java.util.Objects.equals(description, s.description);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, section, env, type, defaultValue, option, description);
  }

  /** {@code [section] name}, as messages say it. */
  String display() {
    return "[" + section + "] " + name;
  }
}
