package jplay.engine.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host names as Ansible reads them in inventories: an optional {@code :port} suffix, and {@code [x:y(:step)]}
 * ranges ({@code node[01:10]}, {@code db[a:f]}) expanded in order. Ported from Ansible's {@code parse_address}
 * and {@code expand_hostname_range} so that the same names come out.
 */
final class HostRanges {
  private HostRanges() {}

  /** A host (or range) name and the port written after it, or null. */
  record Address(String host, Integer port) {}

  /** Thrown for a malformed range; the message says what would be right. */
  static final class RangeException extends Exception {
    private static final long serialVersionUID = 1L;

    RangeException(String message) {
      super(message);
    }
  }

  private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
  private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
  private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
  private static final String I6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
  private static final String I4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
  private static final String LABEL = "(?:[\\w]|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

  private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
  private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
  private static final Pattern IPV4 = Pattern.compile("^(?:" + I4 + "\\.){3}" + I4 + "$", Pattern.CASE_INSENSITIVE);
  private static final Pattern IPV6 =
      Pattern.compile(
          "^(?:"
              + String.join(
                  "|",
                  "(?:" + I6 + ":){7}" + I6,
                  "(?:" + I6 + ":){1,6}:",
                  "(?:" + I6 + ":)(?::" + I6 + "){1,6}",
                  "(?:" + I6 + ":){2}(?::" + I6 + "){1,5}",
                  "(?:" + I6 + ":){3}(?::" + I6 + "){1,4}",
                  "(?:" + I6 + ":){4}(?::" + I6 + "){1,3}",
                  "(?:" + I6 + ":){5}(?::" + I6 + "){1,2}",
                  "(?:" + I6 + ":){6}(?::" + I6 + ")",
                  ":(?::" + I6 + "){1,6}",
                  I6 + "?::",
                  "(?:0:){6}(?:" + I6 + "\\.){3}" + I6,
                  "::(?:ffff:)?(?:" + I6 + "\\.){3}" + I6,
                  "(?:0:){5}ffff:(?:" + I6 + "\\.){3}" + I6)
              + ")$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^" + LABEL + "(?:\\." + LABEL + ")*$",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** Ansible's parse_address: null when the text is no recognisable host identifier (with optional port). */
  static Address parseAddress(String address, boolean allowRanges) {
    Integer port = null;
    String host = address;
    for (Pattern p : List.of(BRACKETED_HOSTPORT, HOSTPORT)) {
      Matcher m = p.matcher(host);
      if (m.matches()) {
        host = m.group(1);
        try {
          port = Integer.valueOf(m.group(2));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    if (!(IPV4.matcher(host).matches() || IPV6.matcher(host).matches() || HOSTNAME.matcher(host).matches())) {
      return null;
    }
    if (!allowRanges && host.contains("[")) {
      return null;
    }
    return new Address(host, port);
  }

  /** The host names a pattern such as {@code web[01:03].lan:2222} stands for, and its port. */
  static Expanded expand(String pattern) throws RangeException {
    Address a = parseAddress(pattern, true);
    String base = a == null ? pattern : a.host();
    Integer port = a == null ? null : a.port();
    if (pattern.strip().endsWith(":") && port == null) {
      throw new RangeException("host '" + pattern + "' ends in ':'; write host:port with a port number, or drop the ':'");
    }
    List<String> names = base.contains("[") ? expandRange(base) : List.of(base);
    return new Expanded(names, port);
  }

  record Expanded(List<String> names, Integer port) {}

  static List<String> expandRange(String line) throws RangeException {
    int open = line.indexOf('[');
    int close = line.indexOf(']', open);
    if (close < 0) {
      throw new RangeException("host range in '" + line + "' has no closing ']'");
    }
    String head = line.substring(0, open);
    String range = line.substring(open + 1, close);
    String tail = line.substring(close + 1);
    String[] bounds = range.split(":", -1);
    if (bounds.length != 2 && bounds.length != 3) {
      throw new RangeException("host range [" + range + "] must be [begin:end] or [begin:end:step]");
    }
    String beg = bounds[0].isEmpty() ? "0" : bounds[0];
    String end = bounds[1];
    if (end.isEmpty()) {
      throw new RangeException("host range [" + range + "] has no end value: write [begin:end]");
    }
    int step = 1;
    if (bounds.length == 3) {
      if (!bounds[2].matches("[0-9]+") || Integer.parseInt(bounds[2]) == 0) {
        throw new RangeException("host range [" + range + "] has step '" + bounds[2] + "'; the step is a positive number");
      }
      step = Integer.parseInt(bounds[2]);
    }
    int width = beg.length() > 1 && beg.charAt(0) == '0' ? beg.length() : 0;
    if (width > 0 && width != end.length()) {
      throw new RangeException(
          "host range [" + range + "] begins with a leading zero, so begin and end need the same number of digits");
    }
    List<String> items = new ArrayList<>();
    if (beg.length() == 1 && end.length() == 1 && LETTERS.indexOf(beg) >= 0 && LETTERS.indexOf(end) >= 0) {
      int b = LETTERS.indexOf(beg);
      int e = LETTERS.indexOf(end);
      if (b > e) {
        throw new RangeException("host range [" + range + "] must have begin <= end");
      }
      for (int i = b; i <= e; i += step) {
        items.add(String.valueOf(LETTERS.charAt(i)));
      }
    } else if (beg.matches("[0-9]{1,9}") && end.matches("[0-9]{1,9}")) {
      int b = Integer.parseInt(beg);
      int e = Integer.parseInt(end);
      if (b > e) {
        // Ansible silently yields no hosts here; an empty range is always a typo.
        throw new RangeException("host range [" + range + "] must have begin <= end");
      }
      for (long i = b; i <= e; i += step) {
        String s = Long.toString(i);
        items.add(width > 0 ? "0".repeat(Math.max(0, width - s.length())) + s : s);
      }
    } else {
      throw new RangeException(
          "host range [" + range + "] needs numbers ([1:10]) or single letters ([a:f]) for begin and end");
    }
    List<String> out = new ArrayList<>();
    for (String item : items) {
      String name = head + item + tail;
      if (name.contains("[")) {
        out.addAll(expandRange(name));
      } else {
        out.add(name);
      }
    }
    return out;
  }
}
