package jplay.modules.dnf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One package as rpm names it: name, epoch, version, release, arch; with rpm's version comparison and the ways dnf
 * lets a user name a package ({@code name}, {@code name.arch}, {@code name-version}, {@code name-version-release},
 * with or without {@code epoch:}, globs allowed).
 */
record Nevra(String name, int epoch, String version, String release, String arch) implements Comparable<Nevra> {
  /** The rpm/dnf query format whose lines {@link #parse} reads. */
  static final String QF = "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n";

  /** The same for dnf repoquery, whose tags are lower-case and whose epoch is always a number. */
  static final String DNF_QF = "%{name}\\t%{epoch}\\t%{version}\\t%{release}\\t%{arch}";

  /** A line of {@link #QF} output, or null when the line is something else (rpm's "not installed" notes). */
  static Nevra parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 5 || f[0].isEmpty() || !f[1].matches("\\d+")) {
      return null;
    }
    return new Nevra(f[0], Integer.parseInt(f[1]), f[2], f[3], f[4]);
  }

  /** As dnf prints a package: {@code name-[epoch:]version-release.arch}, the epoch only when not 0. */
  @Override
  public String toString() {
    return name + "-" + (epoch == 0 ? "" : epoch + ":") + version + "-" + release + "." + arch;
  }

  /** True if {@code spec} (dnf's NEVRA forms, shell globs allowed) names this package. */
  boolean matches(String spec) {
    Pattern p = glob(spec);
    String ev = epoch + ":" + version;
    for (String form :
        List.of(
            name, name + "." + arch, name + "-" + version, name + "-" + ev, name + "-" + version + "-" + release,
            name + "-" + ev + "-" + release, name + "-" + version + "-" + release + "." + arch,
            name + "-" + ev + "-" + release + "." + arch, epoch + ":" + name + "-" + version + "-" + release + "." + arch)) {
      if (p.matcher(form).matches()) {
        return true;
      }
    }
    return false;
  }

  static boolean isGlob(String spec) {
    return spec.contains("*") || spec.contains("?") || spec.contains("[");
  }

  /** fnmatch as dnf uses it: {@code *}, {@code ?} and {@code [...]}; everything else literal. */
  static Pattern glob(String spec) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int end = spec.indexOf(']', i + 2);
          if (end < 0) {
            re.append("\\[");
          } else {
            String set = spec.substring(i + 1, end);
            String body = (set.startsWith("!") ? set.substring(1) : set).replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&");
            re.append('[').append(set.startsWith("!") ? "^" : "").append(body).append(']');
            i = end;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  @Override
  public int compareTo(Nevra o) {
    return compareEvr(epoch, version, release, o.epoch, o.version, o.release);
  }

  /** rpm's EVR order; a null release on either side compares version (and epoch) only, as dnf's "name-version". */
  static int compareEvr(int e1, String v1, String r1, int e2, String v2, String r2) {
    if (e1 != e2) {
      return Integer.compare(e1, e2);
    }
    int c = rpmvercmp(v1, v2);
    if (c != 0 || r1 == null || r2 == null) {
      return c;
    }
    return rpmvercmp(r1, r2);
  }

  /** rpm's rpmvercmp: alternating numeric and alphabetic segments, {@code ~} sorts before everything, {@code ^} after the end. */
  static int rpmvercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while (i < a.length() && !Character.isLetterOrDigit(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
        i++;
      }
      while (j < b.length() && !Character.isLetterOrDigit(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
        j++;
      }
      boolean tildeA = i < a.length() && a.charAt(i) == '~';
      boolean tildeB = j < b.length() && b.charAt(j) == '~';
      if (tildeA || tildeB) {
        if (!tildeA) {
          return 1;
        }
        if (!tildeB) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      boolean caretA = i < a.length() && a.charAt(i) == '^';
      boolean caretB = j < b.length() && b.charAt(j) == '^';
      if (caretA || caretB) {
        if (i >= a.length()) {
          return -1;
        }
        if (j >= b.length()) {
          return 1;
        }
        if (!caretA) {
          return 1;
        }
        if (!caretB) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (i >= a.length() || j >= b.length()) {
        break;
      }
      boolean numeric = Character.isDigit(a.charAt(i));
      int si = i;
      int sj = j;
      while (i < a.length() && (numeric ? isDigit(a.charAt(i)) : isAlpha(a.charAt(i)))) {
        i++;
      }
      while (j < b.length() && (numeric ? isDigit(b.charAt(j)) : isAlpha(b.charAt(j)))) {
        j++;
      }
      String sa = a.substring(si, i);
      String sb = b.substring(sj, j);
      if (sb.isEmpty()) {
        return numeric ? 1 : -1;
      }
      if (numeric) {
        sa = sa.replaceFirst("^0+(?=.)", "");
        sb = sb.replaceFirst("^0+(?=.)", "");
        if (sa.length() != sb.length()) {
          return sa.length() > sb.length() ? 1 : -1;
        }
      }
      int c = sa.compareTo(sb);
      if (c != 0) {
        return c < 0 ? -1 : 1;
      }
    }
    boolean endA = i >= a.length();
    boolean endB = j >= b.length();
    if (endA && endB) {
      return 0;
    }
    return endA ? -1 : 1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** A requested version: {@code [epoch:]version[-release]}, release null when not given. */
  record Evr(int epoch, String version, String release) {
    static Evr parse(String s) {
      int epoch = 0;
      int colon = s.indexOf(':');
      if (colon > 0 && s.substring(0, colon).matches("\\d+")) {
        epoch = Integer.parseInt(s.substring(0, colon));
        s = s.substring(colon + 1);
      }
      int dash = s.lastIndexOf('-');
      return dash > 0 ? new Evr(epoch, s.substring(0, dash), s.substring(dash + 1)) : new Evr(epoch, s, null);
    }

    int compareTo(Nevra p) {
      return compareEvr(epoch, version, release, p.epoch(), p.version(), release == null ? null : p.release());
    }

    @Override
    public String toString() {
      return (epoch == 0 ? "" : epoch + ":") + version + (release == null ? "" : "-" + release);
    }
  }

  /**
   * The ways {@code spec} can be read as {@code name-[epoch:]version[-release][.arch]} for a name among
   * {@code names}: for "kubelet-1.28.2" and an installed kubelet, kubelet at 1.28.2.
   */
  static List<Versioned> versioned(String spec, List<Nevra> installed) {
    List<Versioned> out = new ArrayList<>();
    if (isGlob(spec)) {
      return out;
    }
    for (Nevra p : installed) {
      if (!spec.startsWith(p.name + "-") || spec.length() == p.name.length() + 1) {
        continue;
      }
      String rest = spec.substring(p.name.length() + 1);
      if (rest.endsWith("." + p.arch)) {
        rest = rest.substring(0, rest.length() - p.arch.length() - 1);
      }
      if (!Character.isDigit(rest.charAt(0))) {
        continue;
      }
      out.add(new Versioned(p, Evr.parse(rest)));
    }
    return out;
  }

  /** An installed package and the version a spec asks of it. */
  record Versioned(Nevra installed, Evr wanted) {}
}
