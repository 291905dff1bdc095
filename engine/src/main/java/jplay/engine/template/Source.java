package jplay.engine.template;

/**
 * Template text as Jinja2's lexer reads it, rewritten for Jinjava's: inside {@code {{ }}} a {@code }}} within
 * brackets does not end the expression ({@code {{ d | combine({'b': {'c': 1}}) }}}), and backslashes in string
 * literals stay as written, as Ansible keeps them ({@code regex_replace('(\w+)', '\1')}); inside {@code {% %}}
 * string literals have Python's escapes. Raw blocks and comments are copied as they are.
 */
final class Source {
  private Source() {}

  /** The text of a template that is exactly one {@code {{ expression }}}, or null. */
  static String singleExpression(String s) {
    if (!s.startsWith("{{")) {
      return null;
    }
    int end = expressionEnd(s, 2);
    if (end < 0 || end + 2 != s.length()) {
      return null;
    }
    String inner = s.substring(2, end);
    if (inner.startsWith("-")) {
      inner = inner.substring(1);
    }
    if (inner.endsWith("-")) {
      inner = inner.substring(0, inner.length() - 1);
    }
    return inner;
  }

  /** The index of the {@code }}} that closes the expression starting at {@code from}, or -1. */
  private static int expressionEnd(String s, int from) {
    int depth = 0;
    char quote = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        depth--;
      } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
        return i;
      }
    }
    return -1;
  }

  /** An expression (the inside of {@code {{ }}}) with its string literals in Jinjava's form. */
  static String expression(String e) {
    StringBuilder sb = new StringBuilder(e.length() + 8);
    char quote = 0;
    for (int i = 0; i < e.length(); i++) {
      char c = e.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          // Ansible doubles backslashes inside {{ }} literals: they reach the filter as written
          if (i + 1 < e.length() && e.charAt(i + 1) == quote) {
            sb.append('\\').append(quote);
            i++;
          } else {
            sb.append("\\\\");
          }
          continue;
        }
        if (c == quote) {
          quote = 0;
        }
        sb.append(c);
      } else {
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '}' && i + 1 < e.length() && e.charAt(i + 1) == '}') {
          sb.append("} ");
          continue;
        } else if (c == '.' && afterOperand(sb, sb.length())) {
          // Jinja2 reads item.0 as item[0]; Jinjava cannot parse a number after a dot.
          int j = i + 1;
          while (j < e.length() && Character.isDigit(e.charAt(j))) {
            j++;
          }
          if (j > i + 1 && (j == e.length() || !isNamePart(e.charAt(j)))) {
            sb.append('[').append(e, i + 1, j).append(']');
            i = j - 1;
            continue;
          }
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** True if the dot at {@code dot} follows a name, a subscript or a call (not a number: 1.5 stays a float). */
  private static boolean afterOperand(CharSequence e, int dot) {
    int k = dot - 1;
    if (k < 0) {
      return false;
    }
    char p = e.charAt(k);
    if (p == ']' || p == ')') {
      return true;
    }
    while (k >= 0 && isNamePart(e.charAt(k))) {
      k--;
    }
    return k + 1 < dot && !Character.isDigit(e.charAt(k + 1));
  }

  private static boolean isNamePart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /** A statement (the inside of {@code {% %}}) with Python's string escapes turned into Jinjava's. */
  private static String statement(String e) {
    StringBuilder sb = new StringBuilder(e.length() + 8);
    char quote = 0;
    for (int i = 0; i < e.length(); i++) {
      char c = e.charAt(i);
      if (quote != 0) {
        if (c == '\\' && i + 1 < e.length()) {
          char n = e.charAt(++i);
          switch (n) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '\\' -> sb.append("\\\\");
            case '\'', '"' -> sb.append(n == quote ? "\\" + n : String.valueOf(n));
            default -> sb.append("\\\\").append(n);
          }
          continue;
        }
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The code of a template (the insides of its expressions and statements) with string literals blanked. */
  static java.util.List<String> code(String s) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int i = s.startsWith("{{") || s.startsWith("{%") ? 0 : s.indexOf('{');
    if (!s.contains("{{") && !s.contains("{%")) {
      out.add(blank(s)); // a bare expression
      return out;
    }
    while (i >= 0 && i < s.length()) {
      if (s.startsWith("{{", i)) {
        int end = expressionEnd(s, i + 2);
        if (end < 0) {
          break;
        }
        out.add(blank(s.substring(i + 2, end)));
        i = end + 2;
      } else if (s.startsWith("{%", i)) {
        int end = statementEnd(s, i + 2);
        if (end < 0) {
          break;
        }
        String body = s.substring(i + 2, end);
        out.add(blank(body));
        i = end + 2;
        if (body.strip().replaceFirst("^-", "").strip().equals("raw")) {
          i = rawEnd(s, i);
        }
      } else if (s.startsWith("{#", i)) {
        int end = s.indexOf("#}", i + 2);
        i = end < 0 ? s.length() : end + 2;
      } else {
        i++;
      }
    }
    return out;
  }

  private static String blank(String code) {
    StringBuilder sb = new StringBuilder(code);
    char quote = 0;
    for (int i = 0; i < sb.length(); i++) {
      char c = sb.charAt(i);
      if (quote != 0) {
        if (c == '\\' && i + 1 < sb.length()) {
          sb.setCharAt(i++, ' ');
          sb.setCharAt(i, ' ');
        } else if (c == quote) {
          quote = 0;
        } else {
          sb.setCharAt(i, ' ');
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      }
    }
    return sb.toString();
  }

  /** A whole template in Jinjava's form. */
  static String template(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("{{", i)) {
        int end = expressionEnd(s, i + 2);
        if (end < 0) {
          sb.append(s, i, s.length());
          break;
        }
        sb.append("{{").append(expression(s.substring(i + 2, end))).append("}}");
        i = end + 2;
      } else if (s.startsWith("{#", i)) {
        int end = s.indexOf("#}", i + 2);
        end = end < 0 ? s.length() : end + 2;
        sb.append(s, i, end);
        i = end;
      } else if (s.startsWith("{%", i)) {
        int end = statementEnd(s, i + 2);
        if (end < 0) {
          sb.append(s, i, s.length());
          break;
        }
        String body = s.substring(i + 2, end);
        sb.append("{%").append(statement(body)).append("%}");
        i = end + 2;
        if (body.strip().replaceFirst("^-", "").strip().equals("raw")) {
          int close = rawEnd(s, i);
          sb.append(s, i, close);
          i = close;
        }
      } else {
        sb.append(s.charAt(i++));
      }
    }
    return sb.toString();
  }

  private static int statementEnd(String s, int from) {
    char quote = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '%' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
        return i;
      }
    }
    return -1;
  }

  private static int rawEnd(String s, int from) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{%-?\\s*endraw\\s*-?%\\}").matcher(s);
    return m.find(from) ? m.start() : s.length();
  }
}
