package jplay.engine.template;

import com.hubspot.jinjava.util.HasObjectTruthValue;

/**
 * An undefined value, as Ansible's strict {@code AnsibleUndefined}: it may be passed to {@code default},
 * {@code mandatory} and the {@code defined} tests, and its attributes are undefined too (so
 * {@code a.b.c | default(1)} works when {@code a} is missing); anything else that uses it (printing, truth,
 * iteration, arithmetic through its string form) fails with the reason.
 *
 * @param name the variable that is missing, or the attribute missing on {@code base}
 * @param base the object that lacks attribute {@code name}, or null when {@code name} is a variable
 * @param hint a message that replaces the default one ("No first item, sequence was empty."), or null
 */
record Undefined(String name, Object base, String hint) implements HasObjectTruthValue {
  static Undefined variable(String name) {
    return new Undefined(name, null, null);
  }

  static Undefined attribute(Object base, String name) {
    return new Undefined(name, base, null);
  }

  static Undefined because(String hint) {
    return new Undefined(null, null, hint);
  }

  /** Jinja2's message: {@code 'x' is undefined} or {@code 'dict object' has no attribute 'y'}. */
  String message() {
    if (hint != null) {
      return hint;
    }
    if (base == null) {
      return "'" + name + "' is undefined";
    }
    return "'" + Py.typeName(base) + " object' has no attribute '" + name + "'";
  }

  UndefinedException error() {
    return new UndefinedException(this);
  }

  @Override
  public boolean getObjectTruthValue() {
    throw error();
  }

  @Override
  public String toString() {
    throw error();
  }

  /** A template used an undefined value; carries it so that the caller can name the expression. */
  static final class UndefinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Undefined undefined;

    UndefinedException(Undefined undefined) {
      super(undefined.message(), null, false, false);
      this.undefined = undefined;
    }

    Undefined undefined() {
      return undefined;
    }
  }
}
