package jplay.engine.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code version} test: distutils' LooseVersion by default ({@code 1.10 > 1.9}, {@code 1.0 != 1.0.0}),
 * StrictVersion with {@code strict=true} or {@code version_type='strict'}, and semantic versions with
 * {@code version_type='semver'} (pre-releases sort before their release).
 */
final class Versions {
  private Versions() {}

  private static final Pattern LOOSE = Pattern.compile("\\d+|[a-zA-Z]+|\\.");
  private static final Pattern STRICT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:([ab])(\\d+))?");
  private static final Pattern SEMVER = Pattern.compile(
      "v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?");

  static boolean compare(Object value, Object version, String operator, boolean strict, String type) {
    String a = Py.str(value);
    String b = Py.str(version);
    String kind = type == null ? (strict ? "strict" : "loose") : type.toLowerCase(Locale.ROOT);
    int c = switch (kind) {
      case "loose" -> compareLists(loose(a), loose(b));
      case "strict" -> compareLists(strictParts(a), strictParts(b));
      case "semver", "semantic" -> semver(a, b);
      default -> throw new IllegalArgumentException(
          "Invalid version type (" + type + "). Must be one of loose, strict, semver, semantic");
    };
    return switch (operator) {
      case "==", "=", "eq" -> c == 0;
      case "<", "lt" -> c < 0;
      case "<=", "le" -> c <= 0;
      case ">", "gt" -> c > 0;
      case ">=", "ge" -> c >= 0;
      case "!=", "<>", "ne" -> c != 0;
      default -> throw new IllegalArgumentException("Invalid operator type (" + operator + ")");
    };
  }

  private static List<Object> loose(String v) {
    List<Object> out = new ArrayList<>();
    Matcher m = LOOSE.matcher(v);
    while (m.find()) {
      String part = m.group();
      if (!part.equals(".")) {
        out.add(part.matches("\\d+") ? (Object) new BigInteger(part) : part);
      }
    }
    return out;
  }

  private static List<Object> strictParts(String v) {
    Matcher m = STRICT.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("Version comparison failed: invalid version number '" + v + "'");
    }
    List<Object> out = new ArrayList<>();
    out.add(new BigInteger(m.group(1)));
    out.add(new BigInteger(m.group(2)));
    out.add(m.group(3) == null ? BigInteger.ZERO : new BigInteger(m.group(3)));
    // a release sorts after its pre-releases: "1.0" > "1.0b1"
    out.add(m.group(4) == null ? "z" : m.group(4));
    out.add(m.group(5) == null ? BigInteger.ZERO : new BigInteger(m.group(5)));
    return out;
  }

  private static int compareLists(List<Object> a, List<Object> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x instanceof BigInteger p && y instanceof BigInteger q) {
        c = p.compareTo(q);
      } else if (x instanceof String p && y instanceof String q) {
        c = p.compareTo(q);
      } else {
        throw new IllegalArgumentException("Version comparison failed: '<' not supported between instances of '"
            + (x instanceof String ? "str" : "int") + "' and '" + (y instanceof String ? "str" : "int") + "'");
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int semver(String a, String b) {
    Matcher x = SEMVER.matcher(a);
    Matcher y = SEMVER.matcher(b);
    if (!x.matches() || !y.matches()) {
      throw new IllegalArgumentException(
          "Version comparison failed: invalid semantic version '" + (x.matches() ? b : a) + "'");
    }
    for (int i = 1; i <= 3; i++) {
      int c = new BigInteger(x.group(i)).compareTo(new BigInteger(y.group(i)));
      if (c != 0) {
        return c;
      }
    }
    String p = x.group(4);
    String q = y.group(4);
    if (p == null || q == null) {
      return p == null ? (q == null ? 0 : 1) : -1;
    }
    String[] ps = p.split("\\.");
    String[] qs = q.split("\\.");
    for (int i = 0; i < Math.min(ps.length, qs.length); i++) {
      boolean pn = ps[i].matches("\\d+");
      boolean qn = qs[i].matches("\\d+");
      int c = pn && qn ? new BigInteger(ps[i]).compareTo(new BigInteger(qs[i]))
          : pn ? -1 : qn ? 1 : ps[i].compareTo(qs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(ps.length, qs.length);
  }
}
