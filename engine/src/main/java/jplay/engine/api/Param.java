package jplay.engine.api;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of a module, declared once: validation, {@code jplay doc} and completion all read it.
 *
 * <pre>{@code
 * Param.str("state").choices("file", "directory", "touch", "absent").doc("What the path should be.")
 * }</pre>
 */
public record Param(
    String name,
    ParamType type,
    boolean mandatory,
    Object defaultValue,
    List<String> choices,
    List<String> aliases,
    ParamType elements,
    boolean secret,
    String description) {

  public Param {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    choices = List.copyOf(choices);
    aliases = List.copyOf(aliases);
    description = description == null ? "" : description;
  }

  public static Param of(String name, ParamType type) {
    return new Param(name, type, false, null, List.of(), List.of(), null, false, "");
  }

  public static Param str(String name) {
    return of(name, ParamType.STR);
  }

  public static Param bool(String name) {
    return of(name, ParamType.BOOL);
  }

  public static Param integer(String name) {
    return of(name, ParamType.INT);
  }

  public static Param path(String name) {
    return of(name, ParamType.PATH);
  }

  public static Param list(String name) {
    return of(name, ParamType.LIST);
  }

  public static Param dict(String name) {
    return of(name, ParamType.DICT);
  }

  public static Param mode(String name) {
    return of(name, ParamType.MODE);
  }

  public static Param raw(String name) {
    return of(name, ParamType.RAW);
  }

  public Param required() {
    return new Param(name, type, true, defaultValue, choices, aliases, elements, secret, description);
  }

  public Param defaultValue(Object value) {
    return new Param(name, type, mandatory, value, choices, aliases, elements, secret, description);
  }

  public Param choices(String... values) {
    return new Param(name, type, mandatory, defaultValue, List.of(values), aliases, elements, secret, description);
  }

  public Param aliases(String... values) {
    return new Param(name, type, mandatory, defaultValue, choices, List.of(values), elements, secret, description);
  }

  /** The type of each element of a LIST parameter. */
  public Param elements(ParamType value) {
    return new Param(name, type, mandatory, defaultValue, choices, aliases, value, secret, description);
  }

  /** The value is a secret: never shown in output, logs or errors. */
  public Param noLog() {
    return new Param(name, type, mandatory, defaultValue, choices, aliases, elements, true, description);
  }

  public Param doc(String text) {
    return new Param(name, type, mandatory, defaultValue, choices, aliases, elements, secret, text);
  }

  /** True if {@code key} is this parameter's name or one of its aliases. */
  public boolean answersTo(String key) {
    return name.equals(key) || aliases.contains(key);
  }
}
