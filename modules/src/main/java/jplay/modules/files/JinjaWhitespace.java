package jplay.modules.files;

/**
 * Jinja2's {@code trim_blocks} and {@code lstrip_blocks}, applied to the template source before rendering, because
 * the engine's renderer ({@code ModuleContext.render}) takes no environment options. trim_blocks drops the first
 * newline after a block or comment tag; lstrip_blocks drops spaces and tabs between the start of a line and a block
 * or comment tag. {@code +%}} and {@code {%+} switch them off for one tag, as in Jinja2. Text inside
 * {@code {% raw %}} blocks and inside expressions is left alone.
 */
final class JinjaWhitespace {
  private JinjaWhitespace() {}

  /**
   * Renders a template file as Ansible's template module does: Jinja2 drops the source's last newline
   * (keep_trailing_newline is off), and Ansible then pads the result to as many trailing newlines as the source
   * had (its preserve_trailing_newlines).
   */
  static String render(String src, boolean trimBlocks, boolean lstripBlocks,
      java.util.function.UnaryOperator<String> renderer) {
    String body = src.endsWith("\r\n") ? src.substring(0, src.length() - 2)
        : src.endsWith("\n") || src.endsWith("\r") ? src.substring(0, src.length() - 1) : src;
    String out = renderer.apply(apply(body, trimBlocks, lstripBlocks));
    int want = trailingNewlines(src);
    int have = trailingNewlines(out);
    return want > have ? out + "\n".repeat(want - have) : out;
  }

  private static int trailingNewlines(String s) {
    int n = 0;
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\n'; i--) {
      n++;
    }
    return n;
  }

  static String apply(String src, boolean trimBlocks, boolean lstripBlocks) {
    StringBuilder out = new StringBuilder(src.length());
    int n = src.length();
    int i = 0;
    boolean raw = false;
    while (i < n) {
      int open = nextTag(src, i);
      if (open < 0) {
        out.append(src, i, n);
        break;
      }
      char kind = src.charAt(open + 1);
      String close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
      int end = closing(src, open + 2, close, kind != '#');
      if (end < 0) {
        out.append(src, i, n);
        break;
      }
      String text = src.substring(i, open);
      String tag = src.substring(open, end + 2);
      if (raw) {
        out.append(text);
        out.append(tag);
        i = end + 2;
        if (kind == '%' && inner(tag).equals("endraw")) {
          raw = false;
          if (trimBlocks && src.charAt(end - 1) != '+' && i < n && src.charAt(i) == '\n') {
            i++;
          }
        }
        continue;
      }
      boolean block = kind == '%' || kind == '#';
      boolean plusOpen = block && open + 2 < n && src.charAt(open + 2) == '+';
      boolean minusOpen = open + 2 < n && src.charAt(open + 2) == '-';
      if (block && lstripBlocks && !plusOpen && !minusOpen) {
        text = lstrip(text, src, i);
      }
      out.append(text);
      boolean plusClose = block && end > open + 2 && src.charAt(end - 1) == '+';
      if (plusOpen) {
        tag = tag.substring(0, 2) + tag.substring(3);
      }
      if (plusClose) {
        tag = tag.substring(0, tag.length() - 3) + tag.substring(tag.length() - 2);
      }
      out.append(tag);
      i = end + 2;
      if (kind == '%' && inner(tag).equals("raw")) {
        raw = true;
      }
      // The newline after {% raw %} belongs to the raw text; Jinja2 trims after {% endraw %} only.
      boolean rawStart = kind == '%' && inner(tag).equals("raw");
      if (block && trimBlocks && !plusClose && !rawStart) {
        if (i < n && src.charAt(i) == '\n') {
          i++;
        } else if (i + 1 < n && src.charAt(i) == '\r' && src.charAt(i + 1) == '\n') {
          i += 2;
        }
      }
    }
    return out.toString();
  }

  /** The text before a block tag without its trailing blanks, when they alone stand between a line start and it. */
  private static String lstrip(String text, String src, int textStart) {
    int k = text.length();
    while (k > 0 && (text.charAt(k - 1) == ' ' || text.charAt(k - 1) == '\t')) {
      k--;
    }
    // A line start in the source (Jinja2 looks at the template, not at what trim_blocks left of it).
    int at = textStart + k;
    boolean lineStart = at == 0 || src.charAt(at - 1) == '\n';
    return lineStart ? text.substring(0, k) : text;
  }

  private static int nextTag(String s, int from) {
    for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
      char c = s.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') {
        return i;
      }
    }
    return -1;
  }

  /** Where {@code close} starts, skipping string literals inside expressions and statements. */
  private static int closing(String s, int from, String close, boolean strings) {
    char quote = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (strings && (c == '\'' || c == '"')) {
        quote = c;
      } else if (s.startsWith(close, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The statement's words without delimiters and whitespace control: "raw", "endraw", "if x". */
  private static String inner(String tag) {
    String t = tag.substring(2, tag.length() - 2);
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    if (t.endsWith("-") || t.endsWith("+")) {
      t = t.substring(0, t.length() - 1);
    }
    return t.strip();
  }
}
