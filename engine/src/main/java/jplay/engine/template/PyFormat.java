package jplay.engine.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python's string formatting: {@code '%s-%d' % (a, 1)} (the {@code format} filter) and {@code str.format}. */
final class PyFormat {
  private PyFormat() {}

  private static final Pattern PERCENT =
      Pattern.compile("%(?:\\((\\w+)\\))?([-+ 0#]*)(\\d+)?(?:\\.(\\d+))?([sdirfFeExXoc%])");
  private static final Pattern BRACES = Pattern.compile("\\{\\{|\\}\\}|\\{([^{}:!]*)(?:![rsa])?(?::([^{}]*))?\\}");
  private static final Pattern SPEC =
      Pattern.compile("(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\\d+)?(,)?(?:\\.(\\d+))?([bcdeEfFgGnosxX%])?");

  /** {@code fmt % args}: args is one value, a list (a tuple), or a dict for {@code %(name)s}. */
  static String percent(String fmt, Object args) {
    List<Object> positional = args instanceof List<?> l ? new java.util.ArrayList<>(l) : null;
    Matcher m = PERCENT.matcher(fmt);
    StringBuilder sb = new StringBuilder();
    int next = 0;
    while (m.find()) {
      String conv = m.group(5);
      Object v;
      if (conv.equals("%")) {
        m.appendReplacement(sb, "%");
        continue;
      }
      if (m.group(1) != null) {
        v = ((Map<?, ?>) args).get(m.group(1));
      } else if (positional != null) {
        if (next >= positional.size()) {
          throw new IllegalArgumentException("not enough arguments for format string");
        }
        v = positional.get(next++);
      } else {
        if (next++ > 0) {
          throw new IllegalArgumentException("not enough arguments for format string");
        }
        v = args;
      }
      String flags = m.group(2);
      String text = convert(conv, v, m.group(4) == null ? -1 : Integer.parseInt(m.group(4)), flags.contains("+"));
      int width = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
      if (text.length() < width) {
        String pad = (flags.contains("0") && !flags.contains("-") && !conv.matches("[sr]") ? "0" : " ")
            .repeat(width - text.length());
        if (flags.contains("-")) {
          text = text + pad;
        } else if (pad.startsWith("0") && (text.startsWith("-") || text.startsWith("+"))) {
          text = text.charAt(0) + pad + text.substring(1);
        } else {
          text = pad + text;
        }
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(text));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String convert(String conv, Object v, int precision, boolean plus) {
    switch (conv) {
      case "s":
        return precision >= 0 ? Py.str(v).substring(0, Math.min(precision, Py.str(v).length())) : Py.str(v);
      case "r":
        return Py.repr(v);
      case "d":
      case "i":
        return (plus && Py.bigInteger(number(v)).signum() >= 0 ? "+" : "") + Py.bigInteger(number(v));
      case "f":
      case "F":
        return (plus && number(v).doubleValue() >= 0 ? "+" : "")
            + new BigDecimal(number(v).doubleValue()).setScale(precision < 0 ? 6 : precision, RoundingMode.HALF_EVEN)
                .toPlainString();
      case "e":
      case "E": {
        String s = String.format("%." + (precision < 0 ? 6 : precision) + "e", number(v).doubleValue());
        return conv.equals("E") ? s.toUpperCase(java.util.Locale.ROOT) : s;
      }
      case "x":
        return Py.bigInteger(number(v)).toString(16);
      case "X":
        return Py.bigInteger(number(v)).toString(16).toUpperCase(java.util.Locale.ROOT);
      case "o":
        return Py.bigInteger(number(v)).toString(8);
      case "c":
        return v instanceof Number n ? new String(Character.toChars(n.intValue())) : Py.str(v);
      default:
        throw new IllegalArgumentException("unsupported format character '" + conv + "'");
    }
  }

  private static Number number(Object v) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("a number is required, not " + Py.typeName(v));
  }

  /** {@code fmt.format(*args, **kwargs)} for the common fields: {@code {}}, {@code {0}}, {@code {name:>8}}. */
  static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
    Matcher m = BRACES.matcher(fmt);
    StringBuilder sb = new StringBuilder();
    int auto = 0;
    while (m.find()) {
      String all = m.group();
      if (all.equals("{{") || all.equals("}}")) {
        m.appendReplacement(sb, all.substring(1));
        continue;
      }
      String field = m.group(1);
      Object v;
      if (field.isEmpty()) {
        v = args.get(auto++);
      } else if (field.matches("\\d+")) {
        v = args.get(Integer.parseInt(field));
      } else {
        v = kwargs.get(field);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(spec(v, m.group(2) == null ? "" : m.group(2))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String spec(Object v, String spec) {
    Matcher m = SPEC.matcher(spec);
    if (spec.isEmpty() || !m.matches()) {
      return Py.str(v);
    }
    String type = m.group(9);
    int precision = m.group(8) == null ? -1 : Integer.parseInt(m.group(8));
    String text;
    if (type == null || type.equals("s")) {
      text = Py.str(v);
      if (precision >= 0 && Py.isNumber(v)) {
        text = convert("f", v, precision, false);
      }
    } else if (type.equals("d") || type.equals("n")) {
      text = convert("d", v, -1, "+".equals(m.group(3)));
    } else if (type.equals("%")) {
      text = convert("f", number(v).doubleValue() * 100, precision, false) + "%";
    } else {
      text = convert(type, v, precision, "+".equals(m.group(3)));
    }
    if (m.group(7) != null && Py.isNumber(v)) {
      String[] parts = text.split("\\.", 2);
      parts[0] = parts[0].replaceAll("(\\d)(?=(\\d{3})+$)", "$1,");
      text = parts.length > 1 ? parts[0] + "." + parts[1] : parts[0];
    }
    int width = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
    if (text.length() >= width) {
      return text;
    }
    String fill = m.group(1) != null ? m.group(1) : m.group(5) != null ? "0" : " ";
    String align = m.group(2) != null ? m.group(2) : Py.isNumber(v) ? ">" : "<";
    int pad = width - text.length();
    return switch (align) {
      case ">" -> fill.repeat(pad) + text;
      case "^" -> fill.repeat(pad / 2) + text + fill.repeat(pad - pad / 2);
      default -> text + fill.repeat(pad);
    };
  }
}
