package jplay.engine.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code k=v} shorthand ({@code file: path=/x state=touch}), split exactly as Ansible's
 * {@code split_args} and {@code parse_kv} do: words are split on spaces but kept together inside quotes and Jinja2
 * blocks, values are unquoted and their backslash escapes decoded, and words that are not {@code k=v} form the
 * free-form text ({@code _raw_params}).
 *
 * <pre>{@code
 * KvArgs.Parsed p = KvArgs.parse("chdir=/tmp echo hi", k -> k.equals("chdir"));
 * p.options();    // {chdir=/tmp}
 * p.rawParams();  // "echo hi"
 * }</pre>
 */
public final class KvArgs {
  private static final Pattern ESCAPE =
      Pattern.compile(
          "\\\\U[0-9a-fA-F]{8}|\\\\u[0-9a-fA-F]{4}|\\\\x[0-9a-fA-F]{2}|\\\\N\\{[^}]+}|\\\\[\\\\'\"abfnrtv]");

  private KvArgs() {}

  /** One word of the argument string and where it starts in that string (0-based). */
  public record Word(String text, int offset) {}

  /**
   * The argument string taken apart.
   *
   * @param options the {@code k=v} pairs, in order, values unquoted
   * @param offsets where each option's word starts in the argument string, by key
   * @param rawParams the other words joined with single spaces, or null when there were none
   * @param rawOffset where the first free-form word starts, or -1
   */
  public record Parsed(Map<String, String> options, Map<String, Integer> offsets, String rawParams, int rawOffset) {
    public Parsed {
      options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
      offsets = Map.copyOf(offsets);
    }
  }

  /**
   * Parses {@code text} as Ansible's {@code parse_kv} does.
   *
   * @param isOption which keys count as options; null takes every {@code k=v} word as an option (Ansible's
   *     behaviour for ordinary modules), a predicate keeps the other {@code k=v} words in the free-form text (its
   *     behaviour for command and shell, where {@code echo a=b} is a command line)
   * @throws IllegalArgumentException when quotes or Jinja2 blocks are unbalanced
   */
  public static Parsed parse(String text, Predicate<String> isOption) {
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, Integer> offsets = new LinkedHashMap<>();
    List<String> raw = new ArrayList<>();
    int rawOffset = -1;
    for (Word w : split(text)) {
      String orig = w.text();
      String x = decodeEscapes(orig);
      int eq = unescapedEquals(x);
      String rawWord;
      if (x.indexOf('=') < 0) {
        rawWord = orig;
      } else if (eq < 0) {
        // Only escaped '=' signs: the word is free text with the escapes removed.
        rawWord = x.replace("\\=", "=");
      } else if (isOption != null && !isOption.test(x.substring(0, eq))) {
        rawWord = orig;
      } else {
        String key = x.substring(0, eq).strip();
        options.put(key, unquote(x.substring(eq + 1).strip()));
        offsets.put(key, w.offset());
        continue;
      }
      if (rawOffset < 0) {
        rawOffset = w.offset();
      }
      raw.add(rawWord);
    }
    return new Parsed(options, offsets, raw.isEmpty() ? null : joinArgs(raw), rawOffset);
  }

  /** The first '=' after the first character that is not escaped with a backslash, or -1; as Ansible finds it. */
  private static int unescapedEquals(String x) {
    for (int pos = x.indexOf('=', 1); pos >= 0; pos = x.indexOf('=', pos + 1)) {
      if (x.charAt(pos - 1) != '\\') {
        return pos;
      }
    }
    return -1;
  }

  static String unquote(String s) {
    int n = s.length();
    boolean quoted =
        n > 1 && s.charAt(0) == s.charAt(n - 1) && (s.charAt(0) == '"' || s.charAt(0) == '\'')
            && s.charAt(n - 2) != '\\';
    return quoted ? s.substring(1, n - 1) : s;
  }

  /** Python's "unicode-escape" decoding, limited to the escapes Ansible's {@code _decode_escapes} matches. */
  static String decodeEscapes(String s) {
    Matcher m = ESCAPE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(decodeEscape(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decodeEscape(String e) {
    char c = e.charAt(1);
    switch (c) {
      case 'U', 'u', 'x':
        return Character.toString(Integer.parseInt(e.substring(2), 16));
      case 'N':
        try {
          return Character.toString(Character.codePointOf(e.substring(3, e.length() - 1)));
        } catch (IllegalArgumentException unknownName) {
          return e;
        }
      case 'a':
        return "\u0007";
      case 'b':
        return "\b";
      case 'f':
        return "\f";
      case 'n':
        return "\n";
      case 'r':
        return "\r";
      case 't':
        return "\t";
      case 'v':
        return "\u000b";
      default:
        return String.valueOf(c);
    }
  }

  private static String joinArgs(List<String> words) {
    StringBuilder out = new StringBuilder();
    for (String w : words) {
      if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
        out.append(' ');
      }
      out.append(w);
    }
    return out.toString();
  }

  /**
   * Ansible's {@code split_args}: splits on spaces and newlines, but keeps quoted strings and Jinja2 blocks
   * ({@code {{ }}}, {@code {% %}}, {@code {# #}}) in one word, with their inner spaces and newlines.
   *
   * @throws IllegalArgumentException when quotes or Jinja2 blocks are unbalanced
   */
  public static List<Word> split(String args) {
    List<StringBuilder> params = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    String[] items = args.split("\n", -1);
    char quoteChar = 0;
    boolean insideQuotes = false;
    int printDepth = 0;
    int blockDepth = 0;
    int commentDepth = 0;
    int itemStart = 0;
    for (int itemIdx = 0; itemIdx < items.length; itemIdx++) {
      String item = items[itemIdx];
      String[] tokens = item.split(" ", -1);
      boolean lineContinuation = false;
      int tokenStart = itemStart;
      for (int idx = 0; idx < tokens.length; idx++) {
        String token = tokens[idx];
        int start = tokenStart;
        tokenStart += token.length() + 1;
        if (token.isEmpty() && idx != 0) {
          // Runs of spaces are kept inside the word they follow, so quoted text keeps them. Ansible fails on
          // leading spaces here (an IndexError); there is no word yet, so they are simply dropped.
          if (!params.isEmpty()) {
            last(params).append(' ');
          }
          continue;
        }
        if (token.equals("\\") && !insideQuotes) {
          lineContinuation = true;
          continue;
        }
        boolean wasInsideQuotes = insideQuotes;
        quoteChar = quoteState(token, quoteChar);
        insideQuotes = quoteChar != 0;
        boolean inBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
        boolean appended = false;
        if (insideQuotes && !wasInsideQuotes && !inBlock) {
          params.add(new StringBuilder(token));
          starts.add(start);
          appended = true;
        } else if (inBlock || insideQuotes || wasInsideQuotes) {
          if (idx == 0 && wasInsideQuotes) {
            last(params).append(token);
          } else if (tokens.length > 1) {
            last(params).append(idx > 0 ? " " : "").append(token);
          } else {
            last(params).append('\n').append(token);
          }
          appended = true;
        }
        int before = printDepth;
        printDepth = depth(token, printDepth, "{{", "}}");
        if (printDepth != before && !appended) {
          params.add(new StringBuilder(token));
          starts.add(start);
          appended = true;
        }
        before = blockDepth;
        blockDepth = depth(token, blockDepth, "{%", "%}");
        if (blockDepth != before && !appended) {
          params.add(new StringBuilder(token));
          starts.add(start);
          appended = true;
        }
        before = commentDepth;
        commentDepth = depth(token, commentDepth, "{#", "#}");
        if (commentDepth != before && !appended) {
          params.add(new StringBuilder(token));
          starts.add(start);
          appended = true;
        }
        boolean nowInBlock = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
        if (!nowInBlock && !insideQuotes && !appended && !token.isEmpty()) {
          params.add(new StringBuilder(token));
          starts.add(start);
        }
      }
      if (items.length > 1 && itemIdx != items.length - 1 && !lineContinuation && !params.isEmpty()) {
        last(params).append('\n');
      }
      itemStart += item.length() + 1;
    }
    if (printDepth > 0 || blockDepth > 0 || commentDepth > 0 || insideQuotes) {
      throw new IllegalArgumentException(
          "unbalanced " + (insideQuotes ? "quotes" : "Jinja2 block") + " in the arguments: " + args.strip());
    }
    List<Word> words = new ArrayList<>(params.size());
    for (int i = 0; i < params.size(); i++) {
      words.add(new Word(params.get(i).toString(), starts.get(i)));
    }
    return words;
  }

  private static StringBuilder last(List<StringBuilder> params) {
    return params.get(params.size() - 1);
  }

  /** The quote still open after {@code token}, or 0: a quote opens or closes unless a backslash precedes it. */
  private static char quoteState(String token, char quoteChar) {
    char q = quoteChar;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean escaped = i > 0 && token.charAt(i - 1) == '\\';
      if ((c == '"' || c == '\'') && !escaped) {
        if (q == 0) {
          q = c;
        } else if (q == c) {
          q = 0;
        }
      }
    }
    return q;
  }

  private static int depth(String token, int current, String open, String close) {
    int opened = count(token, open);
    int closed = count(token, close);
    if (opened == closed) {
      return current;
    }
    return Math.max(0, current + opened - closed);
  }

  private static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }
}
