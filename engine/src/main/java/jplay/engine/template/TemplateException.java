package jplay.engine.template;

/** A template could not be rendered: an undefined variable, a syntax error, a failing filter. */
public final class TemplateException extends Exception {
  private final String template;

  public TemplateException(String message, String template) {
    super(message);
    this.template = template;
  }

  /** The template text that failed, for error messages. */
  public String template() {
    return template;
  }
}
