package jplay.engine.template;

/**
 * A template could not be rendered: an undefined variable, a syntax error, a failing filter. For syntax errors,
 * {@link #line()} and {@link #column()} give the position inside the template text (1-based; 0 when unknown), so
 * that the caller can add them to the position of the string in its file.
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String template;
  private final int line;
  private final int column;

  public TemplateException(String message, String template) {
    this(message, template, 0, 0);
  }

  public TemplateException(String message, String template, int line, int column) {
    super(message);
    this.template = template;
    this.line = line;
    this.column = column;
  }

  /** The template text that failed, for error messages. */
  public String template() {
    return template;
  }

  /** The line inside the template where the error is, 1-based; 0 when unknown. */
  public int line() {
    return line;
  }

  /** The column inside that line, 1-based; 0 when unknown. */
  public int column() {
    return column;
  }

  /**
   * Where the failing expression starts in {@link #template()} (0-based), or -1 when unknown: from the line and
   * column of a syntax error, or the expression that used an undefined value.
   */
  public int offset() {
    if (line <= 0 || template == null) {
      return -1;
    }
    int at = 0;
    for (int l = 1; l < line; l++) {
      int nl = template.indexOf('\n', at);
      if (nl < 0) {
        return -1;
      }
      at = nl + 1;
    }
    return Math.min(template.length(), at + Math.max(column, 1) - 1);
  }
}
