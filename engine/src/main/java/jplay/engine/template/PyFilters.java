package jplay.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jplay.engine.api.Shell;
import jplay.engine.output.Json;

/**
 * The filters of Jinja2 and Ansible, with Python's semantics, registered over Jinjava's own where those differ
 * (Jinjava's {@code bool}, {@code string}, {@code sort} and others follow Java rather than Python).
 */
final class PyFilters {
  private PyFilters() {}

  /** A filter's arguments: positional ones, then named ones; {@code get(1, "name", dflt)} finds either. */
  record Args(List<Object> pos, Map<String, Object> kw, JinjavaInterpreter in) {
    Object get(int i, String name, Object dflt) {
      if (kw.containsKey(name)) {
        return kw.get(name);
      }
      return i >= 0 && i < pos.size() ? pos.get(i) : dflt;
    }

    boolean bool(int i, String name, boolean dflt) {
      Object v = get(i, name, dflt);
      return Py.truth(v);
    }

    String str(int i, String name, String dflt) {
      Object v = get(i, name, dflt);
      return v == null ? null : Py.str(v);
    }
  }

  interface Impl {
    Object apply(Object value, Args args);
  }

  private static final class Fn implements Filter {
    private final String name;
    private final Impl impl;
    private final boolean acceptsUndefined;

    Fn(String name, Impl impl, boolean acceptsUndefined) {
      this.name = name;
      this.impl = impl;
      this.acceptsUndefined = acceptsUndefined;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter in, String... args) {
      return filter(var, in, (Object[]) args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter in, Object[] args, Map<String, Object> kwargs) {
      if (var instanceof Undefined u && !acceptsUndefined) {
        throw u.error();
      }
      return impl.apply(var, new Args(Arrays.asList(args), kwargs, in));
    }
  }

  static void register(Jinjava j) {
    Map<String, Impl> all = new LinkedHashMap<>();
    Impl dflt = (v, a) -> {
      Object d = a.get(0, "default_value", "");
      if (v instanceof Undefined || a.bool(1, "boolean", false) && !Py.truth(v)) {
        return d;
      }
      return v;
    };
    j.getGlobalContext().registerFilter(new Fn("default", dflt, true));
    j.getGlobalContext().registerFilter(new Fn("d", dflt, true));
    j.getGlobalContext().registerFilter(new Fn("mandatory", (v, a) -> {
      if (v instanceof Undefined u) {
        String msg = a.str(0, "msg", null);
        throw new IllegalArgumentException(msg != null ? msg
            : u.base() == null && u.name() != null ? "Mandatory variable '" + u.name() + "' not defined."
            : "Mandatory variable not defined: " + u.message());
      }
      return v;
    }, true));

    all.put("bool", (v, a) -> {
      if (v == null || v instanceof Boolean) {
        return v;
      }
      String s = Py.str(v).strip().toLowerCase(Locale.ROOT);
      return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true") || s.equals("1.0");
    });
    all.put("int", (v, a) -> toInt(v, a.get(0, "default", 0), toIntArg(a.get(1, "base", 10))));
    all.put("float", (v, a) -> toFloat(v, a.get(0, "default", 0.0)));
    all.put("string", (v, a) -> Templar.nativeText(a.in(), Py.str(v)));
    all.put("lower", (v, a) -> Py.str(v).toLowerCase(Locale.ROOT));
    all.put("upper", (v, a) -> Py.str(v).toUpperCase(Locale.ROOT));
    all.put("capitalize", (v, a) -> PyMethods.string(Py.str(v), "capitalize", List.of(), Map.of()));
    all.put("title", (v, a) -> PyMethods.title(Py.str(v)));
    all.put("trim", (v, a) -> PyMethods.strip(Py.str(v), a.str(0, "chars", null), true, true));
    all.put("replace", (v, a) -> PyMethods.replace(Py.str(v), a.str(0, "old", ""), a.str(1, "new", ""),
        a.get(2, "count", null) == null ? -1 : PyMethods.toInt(a.get(2, "count", null))));
    all.put("regex_replace", (v, a) -> Regex.replace(Py.str(v), a.str(0, "pattern", ""),
        a.str(1, "replacement", ""), a.bool(2, "ignorecase", false), a.bool(3, "multiline", false),
        PyMethods.toInt(a.get(4, "count", 0))));
    all.put("regex_search", (v, a) -> Regex.search(Py.str(v), a.str(0, "regex", ""),
        a.pos().size() > 1 ? a.pos().subList(1, a.pos().size()) : List.of(),
        a.bool(-1, "ignorecase", false), a.bool(-1, "multiline", false)));
    all.put("regex_findall", (v, a) -> Regex.findall(Py.str(v), a.str(0, "regex", ""),
        a.bool(2, "ignorecase", false), a.bool(1, "multiline", false)));
    all.put("regex_escape", (v, a) -> Regex.escape(Py.str(v)));
    all.put("split", (v, a) -> PyMethods.split(Py.str(v), a.str(0, "sep", null),
        a.get(1, "maxsplit", null) == null ? -1 : PyMethods.toInt(a.get(1, "maxsplit", -1))));
    all.put("join", (v, a) -> {
      List<String> parts = new ArrayList<>();
      String attr = a.str(1, "attribute", null);
      for (Object o : Py.iterate(v)) {
        parts.add(Py.str(attr == null ? o : attribute(o, attr)));
      }
      return String.join(a.str(0, "d", ""), parts);
    });
    Impl length = (v, a) -> v instanceof CharSequence s ? s.toString().codePointCount(0, s.length())
        : v instanceof Map<?, ?> m ? m.size() : Py.iterate(v).size();
    all.put("length", length);
    all.put("count", length);
    all.put("first", (v, a) -> {
      List<Object> l = Py.iterate(v);
      return l.isEmpty() ? Undefined.because("No first item, sequence was empty.") : l.get(0);
    });
    all.put("last", (v, a) -> {
      List<Object> l = Py.iterate(v);
      return l.isEmpty() ? Undefined.because("No last item, sequence was empty.") : l.get(l.size() - 1);
    });
    all.put("unique", (v, a) -> unique(Py.iterate(v)));
    all.put("union", (v, a) -> {
      List<Object> l = Py.iterate(v);
      l.addAll(Py.iterate(a.get(0, "b", List.of())));
      return unique(l);
    });
    all.put("intersect", (v, a) -> {
      List<Object> other = Py.iterate(a.get(0, "b", List.of()));
      return unique(Py.iterate(v).stream().filter(x -> contains(other, x)).toList());
    });
    all.put("difference", (v, a) -> {
      List<Object> other = Py.iterate(a.get(0, "b", List.of()));
      return unique(Py.iterate(v).stream().filter(x -> !contains(other, x)).toList());
    });
    all.put("symmetric_difference", (v, a) -> {
      List<Object> mine = Py.iterate(v);
      List<Object> other = Py.iterate(a.get(0, "b", List.of()));
      List<Object> out = new ArrayList<>(mine.stream().filter(x -> !contains(other, x)).toList());
      out.addAll(other.stream().filter(x -> !contains(mine, x)).toList());
      return unique(out);
    });
    all.put("sort", (v, a) -> {
      List<Object> l = Py.iterate(v);
      String attr = a.str(2, "attribute", null);
      boolean cs = a.bool(1, "case_sensitive", false);
      Comparator<Object> c = (x, y) -> Py.compare(sortKey(x, attr, cs), sortKey(y, attr, cs));
      l.sort(a.bool(0, "reverse", false) ? c.reversed() : c);
      return l;
    });
    all.put("reverse", (v, a) -> {
      if (v instanceof CharSequence s) {
        return new StringBuilder(s).reverse().toString();
      }
      List<Object> l = Py.iterate(v);
      java.util.Collections.reverse(l);
      return l;
    });
    all.put("list", (v, a) -> Py.iterate(v));
    all.put("items", (v, a) -> v == null ? new ArrayList<>() : PyMethods.dict((Map<?, ?>) v, "items", List.of()));
    all.put("map", PyFilters::map);
    all.put("extract", PyFilters::extract);
    all.put("product", PyFilters::product);
    all.put("select", (v, a) -> select(v, a, false, true));
    all.put("reject", (v, a) -> select(v, a, false, false));
    all.put("selectattr", (v, a) -> select(v, a, true, true));
    all.put("rejectattr", (v, a) -> select(v, a, true, false));
    all.put("combine", PyFilters::combine);
    all.put("dict2items", (v, a) -> {
      if (!(v instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("dict2items requires a dictionary, got " + Py.typeName(v) + " instead.");
      }
      List<Object> out = new ArrayList<>();
      m.forEach((k, x) -> {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put(a.str(0, "key_name", "key"), k);
        item.put(a.str(1, "value_name", "value"), x);
        out.add(item);
      });
      return out;
    });
    all.put("items2dict", (v, a) -> {
      Map<Object, Object> out = new LinkedHashMap<>();
      String k = a.str(0, "key_name", "key");
      String x = a.str(1, "value_name", "value");
      for (Object o : Py.iterate(v)) {
        if (!(o instanceof Map<?, ?> m) || !m.containsKey(k) || !m.containsKey(x)) {
          throw new IllegalArgumentException(
              "items2dict requires each item to be a dictionary with '" + k + "' and '" + x + "' keys, got "
                  + Py.repr(o));
        }
        out.put(m.get(k), m.get(x));
      }
      return out;
    });
    all.put("dictsort", (v, a) -> {
      List<Object> items = new ArrayList<>(PyMethods.dict((Map<?, ?>) v, "items", List.of()) instanceof List<?> l
          ? l : List.of());
      boolean byValue = "value".equals(a.str(1, "by", "key"));
      boolean cs = a.bool(0, "case_sensitive", false);
      items.sort((x, y) -> Py.compare(sortKey(((List<?>) x).get(byValue ? 1 : 0), null, cs),
          sortKey(((List<?>) y).get(byValue ? 1 : 0), null, cs)));
      if (a.bool(2, "reverse", false)) {
        java.util.Collections.reverse(items);
      }
      return items;
    });
    all.put("to_json", (v, a) -> Templar.nativeText(a.in(), json(v, a.get(-1, "indent", null),
        a.bool(-1, "sort_keys", false), a.bool(-1, "ensure_ascii", true))));
    all.put("to_nice_json", (v, a) -> Templar.nativeText(a.in(), json(v, a.get(0, "indent", 4),
        a.bool(1, "sort_keys", true), a.bool(-1, "ensure_ascii", true))));
    all.put("from_json", (v, a) -> PyYaml.loadJson(Py.str(v)));
    all.put("to_yaml", (v, a) -> Templar.nativeText(a.in(), PyYaml.dump(v, false)));
    all.put("to_nice_yaml", (v, a) -> Templar.nativeText(a.in(), PyYaml.dump(v, true)));
    all.put("from_yaml", (v, a) -> PyYaml.load(Py.str(v)));
    all.put("b64encode", (v, a) -> Base64.getEncoder().encodeToString(Py.str(v).getBytes(StandardCharsets.UTF_8)));
    all.put("b64decode", (v, a) -> new String(Base64.getMimeDecoder().decode(Py.str(v)), StandardCharsets.UTF_8));
    all.put("basename", (v, a) -> {
      String s = Py.str(v);
      return s.substring(s.lastIndexOf('/') + 1);
    });
    all.put("dirname", (v, a) -> {
      String s = Py.str(v);
      int i = s.lastIndexOf('/');
      if (i < 0) {
        return "";
      }
      String head = s.substring(0, i + 1);
      return head.matches("/+") ? head : head.replaceAll("/+$", "");
    });
    all.put("splitext", (v, a) -> {
      String s = Py.str(v);
      int slash = s.lastIndexOf('/');
      int dot = s.lastIndexOf('.');
      String name = s.substring(slash + 1);
      int lead = 0;
      while (lead < name.length() && name.charAt(lead) == '.') {
        lead++;
      }
      if (dot <= slash + lead) {
        return PyMethods.list(s, "");
      }
      return PyMethods.list(s.substring(0, dot), s.substring(dot));
    });
    all.put("quote", (v, a) -> Shell.quote(Py.str(v)));
    all.put("ternary", (v, a) -> {
      if (v == null && a.get(2, "none_val", null) != null) {
        return a.get(2, "none_val", null);
      }
      return Py.truth(v) ? a.get(0, "true_val", null) : a.get(1, "false_val", null);
    });
    all.put("version_compare", (v, a) -> Versions.compare(v, a.get(0, "version", ""), a.str(1, "operator", "eq"),
        a.bool(2, "strict", false), a.str(3, "version_type", null)));
    all.put("version", all.get("version_compare"));
    all.put("zip", (v, a) -> zip(v, a, false));
    all.put("zip_longest", (v, a) -> zip(v, a, true));
    all.put("flatten", (v, a) -> {
      List<Object> out = new ArrayList<>();
      Object levels = a.get(0, "levels", null);
      flatten(Py.iterate(v), levels == null ? -1 : PyMethods.toInt(levels), a.bool(1, "skip_nulls", true), out);
      return out;
    });
    all.put("min", (v, a) -> extreme(v, a, -1));
    all.put("max", (v, a) -> extreme(v, a, 1));
    all.put("sum", (v, a) -> {
      Object total = a.get(1, "start", 0);
      String attr = a.str(0, "attribute", null);
      for (Object o : Py.iterate(v)) {
        total = add(total, attr == null ? o : attribute(o, attr));
      }
      return total;
    });
    all.put("abs", (v, a) -> {
      if (v instanceof Double d) {
        return Math.abs(d);
      }
      return Py.integer(Py.bigInteger((Number) v).abs());
    });
    all.put("round", (v, a) -> {
      int precision = PyMethods.toInt(a.get(0, "precision", 0));
      String method = a.str(1, "method", "common");
      if (Py.isInteger(v) && method.equals("common")) {
        return v;
      }
      BigDecimal d = new BigDecimal(((Number) v).doubleValue());
      RoundingMode mode = switch (method) {
        case "common" -> RoundingMode.HALF_EVEN;
        case "ceil" -> RoundingMode.CEILING;
        case "floor" -> RoundingMode.FLOOR;
        default -> throw new IllegalArgumentException("method must be common, ceil or floor");
      };
      if (method.equals("common")) {
        // Python rounds the exact binary value, half to even: round(2.5) is 2.0, round(2.675, 2) is 2.67
        return d.setScale(precision, mode).doubleValue();
      }
      // Jinja2's ceil and floor work on value * 10**precision in floating point
      double scale = Math.pow(10, precision);
      double x = ((Number) v).doubleValue() * scale;
      return (method.equals("ceil") ? Math.ceil(x) : Math.floor(x)) / scale;
    });
    all.put("hash", (v, a) -> digest(Py.str(v), a.str(0, "hashtype", "sha1")));
    all.put("checksum", (v, a) -> digest(Py.str(v), "sha1"));
    all.put("md5", (v, a) -> digest(Py.str(v), "md5"));
    all.put("sha1", (v, a) -> digest(Py.str(v), "sha1"));
    all.put("format", (v, a) -> PyFormat.percent(Py.str(v), a.pos().size() == 1 && !a.kw().isEmpty()
        ? a.kw() : a.kw().isEmpty() ? new ArrayList<>(a.pos()) : a.kw()));
    all.put("center", (v, a) -> center(Py.str(v), PyMethods.toInt(a.get(0, "width", 80))));
    all.put("wordcount", (v, a) -> (int) Arrays.stream(Py.str(v).split("\\W+")).filter(s -> !s.isEmpty()).count());
    all.put("indent", (v, a) -> {
      Object w = a.get(0, "width", 4);
      String pad = w instanceof CharSequence s ? s.toString() : " ".repeat(PyMethods.toInt(w));
      boolean first = a.bool(1, "first", false);
      boolean blank = a.bool(2, "blank", false);
      String[] lines = Py.str(v).split("\n", -1);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          sb.append('\n');
        }
        boolean indent = (i > 0 || first) && (blank || !lines[i].isBlank());
        sb.append(indent ? pad : "").append(lines[i]);
      }
      return sb.toString();
    });
    all.put("batch", (v, a) -> {
      int n = PyMethods.toInt(a.get(0, "linecount", 1));
      Object fill = a.get(1, "fill_with", null);
      boolean doFill = a.pos().size() > 1 || a.kw().containsKey("fill_with");
      List<Object> out = new ArrayList<>();
      List<Object> cur = new ArrayList<>();
      for (Object o : Py.iterate(v)) {
        cur.add(o);
        if (cur.size() == n) {
          out.add(cur);
          cur = new ArrayList<>();
        }
      }
      if (!cur.isEmpty()) {
        while (doFill && cur.size() < n) {
          cur.add(fill);
        }
        out.add(cur);
      }
      return out;
    });
    all.put("dict", (v, a) -> toDict(v));
    all.put("urlencode", (v, a) -> {
      if (v instanceof Map<?, ?> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, x) -> parts.add(urlQuote(Py.str(k), true) + "=" + urlQuote(Py.str(x), true)));
        return String.join("&", parts);
      }
      return urlQuote(Py.str(v), false);
    });
    for (Map.Entry<String, Impl> e : all.entrySet()) {
      j.getGlobalContext().registerFilter(new Fn(e.getKey(), e.getValue(), false));
    }
  }

  /** Python's urllib quote (safe "/"), or with {@code query} quote_plus-like as Jinja2's urlencode for dicts. */
  static String urlQuote(String s, boolean query) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "_.-~".indexOf(c) >= 0 || c == '/' && !query)) {
        sb.append((char) c);
      } else if (c == ' ' && query) {
        sb.append('+');
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  static Map<Object, Object> toDict(Object v) {
    if (v instanceof Map<?, ?> m) {
      return new LinkedHashMap<>(m);
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Object pair : Py.iterate(v)) {
      List<Object> kv = Py.iterate(pair);
      if (kv.size() != 2) {
        throw new IllegalArgumentException("dictionary update sequence element has length " + kv.size()
            + "; 2 is required");
      }
      out.put(kv.get(0), kv.get(1));
    }
    return out;
  }

  static String center(String s, int width) {
    if (s.length() >= width) {
      return s;
    }
    int pad = width - s.length();
    // Python puts the odd space on the left when the width is odd: '%s'.center
    int left = pad / 2 + (pad & width & 1);
    return " ".repeat(left) + s + " ".repeat(pad - left);
  }

  private static int toIntArg(Object o) {
    return o instanceof Number n ? n.intValue() : Integer.parseInt(Py.str(o));
  }

  /** Jinja2's int filter: int(x, base), else int(float(x)), else the default. */
  static Object toInt(Object v, Object dflt, int base) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (Py.isInteger(v)) {
      return v;
    }
    if (v instanceof Number n) {
      return Py.integer(Py.bigInteger(n));
    }
    String s = Py.str(v).strip().replace("_", "");
    try {
      if (base != 10) {
        String lower = s.toLowerCase(Locale.ROOT);
        String prefix = base == 16 ? "0x" : base == 8 ? "0o" : base == 2 ? "0b" : null;
        if (prefix != null && lower.replaceFirst("^[-+]", "").startsWith(prefix)) {
          s = s.replaceFirst("(?i)^([-+]?)0[xob]", "$1");
        }
      }
      return Py.integer(new BigInteger(s.startsWith("+") ? s.substring(1) : s, base));
    } catch (NumberFormatException e) {
      try {
        return Py.integer(new BigDecimal(s).toBigInteger());
      } catch (NumberFormatException e2) {
        return dflt;
      }
    }
  }

  static Object toFloat(Object v, Object dflt) {
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    String s = Py.str(v).strip().toLowerCase(Locale.ROOT);
    switch (s) {
      case "inf", "+inf", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {}
    }
    try {
      if (!s.matches("[-+]?(\\d[\\d_]*)?(\\.[\\d_]*)?(e[-+]?\\d+)?") || s.matches("[-+]?\\.?(e.*)?")) {
        return dflt;
      }
      return Double.parseDouble(s.replace("_", ""));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  /** Python's {@code +}: numbers, string concatenation, list concatenation. */
  static Object add(Object x, Object y) {
    if (Py.isNumber(x) && Py.isNumber(y)) {
      if (Py.isInteger(x) && Py.isInteger(y)) {
        return Py.integer(Py.bigInteger((Number) x).add(Py.bigInteger((Number) y)));
      }
      return ((Number) x).doubleValue() + ((Number) y).doubleValue();
    }
    if (x instanceof CharSequence && y instanceof CharSequence) {
      return x.toString() + y;
    }
    if (x instanceof List<?> a && y instanceof List<?> b) {
      List<Object> out = new ArrayList<>(a);
      out.addAll(b);
      return out;
    }
    throw new IllegalArgumentException("unsupported operand type(s) for +: '" + Py.typeName(x) + "' and '"
        + Py.typeName(y) + "'");
  }

  private static Object sortKey(Object o, String attr, boolean caseSensitive) {
    Object v = attr == null ? o : attribute(o, attr);
    return !caseSensitive && v instanceof CharSequence s ? s.toString().toLowerCase(Locale.ROOT) : v;
  }

  /** Jinja2's attribute lookup for map(attribute=), sort(attribute=): dotted paths and list indexes. */
  static Object attribute(Object o, String path) {
    Object cur = o;
    for (String part : path.split("\\.")) {
      if (cur instanceof Map<?, ?> m) {
        cur = m.containsKey(part) ? m.get(part) : Undefined.attribute(cur, part);
      } else if (cur instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) {
        cur = l.get(Integer.parseInt(part));
      } else if (cur instanceof Undefined) {
        return cur;
      } else {
        cur = Undefined.attribute(cur, part);
      }
    }
    return cur;
  }

  static boolean contains(List<Object> l, Object x) {
    for (Object o : l) {
      if (Py.eq(o, x)) {
        return true;
      }
    }
    return false;
  }

  static List<Object> unique(List<Object> in) {
    List<Object> out = new ArrayList<>();
    for (Object o : in) {
      if (!contains(out, o)) {
        out.add(o);
      }
    }
    return out;
  }

  private static Object map(Object v, Args a) {
    List<Object> out = new ArrayList<>();
    if (a.kw().containsKey("attribute")) {
      String attr = Py.str(a.kw().get("attribute"));
      for (Object o : Py.iterate(v)) {
        Object x = attribute(o, attr);
        out.add(x instanceof Undefined && a.kw().containsKey("default") ? a.kw().get("default") : x);
      }
      return out;
    }
    if (a.pos().isEmpty()) {
      return Py.iterate(v);
    }
    String name = Py.str(a.pos().get(0));
    Filter f = a.in().getContext().getFilter(name);
    if (f == null) {
      throw new IllegalArgumentException("No filter named '" + name + "'");
    }
    Object[] rest = a.pos().subList(1, a.pos().size()).toArray();
    for (Object o : Py.iterate(v)) {
      out.add(f.filter(o, a.in(), rest, a.kw()));
    }
    return out;
  }

  /** Python's itertools.product, as Ansible's product filter: every combination, one element from each list. */
  private static Object product(Object v, Args a) {
    List<List<Object>> out = new ArrayList<>();
    out.add(new ArrayList<>());
    List<Object> sources = new ArrayList<>();
    sources.add(v);
    sources.addAll(a.pos());
    for (Object source : sources) {
      List<List<Object>> next = new ArrayList<>();
      for (List<Object> prefix : out) {
        for (Object item : Py.iterate(source)) {
          List<Object> combo = new ArrayList<>(prefix);
          combo.add(item);
          next.add(combo);
        }
      }
      out = next;
    }
    return new ArrayList<Object>(out);
  }

  /** Ansible's extract: {@code 'h1' | extract(hostvars, 'ansible_host')} is {@code hostvars['h1']['ansible_host']}. */
  private static Object extract(Object v, Args a) {
    if (a.pos().isEmpty()) {
      throw new IllegalArgumentException("extract needs a container: 'key' | extract(container[, more keys])");
    }
    Object cur = item(a.pos().get(0), v);
    if (a.pos().size() > 1) {
      Object more = a.pos().get(1);
      for (Object k : more instanceof List<?> l ? l : List.of(more)) {
        cur = item(cur, k);
      }
    }
    return cur;
  }

  /** {@code container[key]} as Jinja2: a map's value (Undefined when missing), a list's element by number. */
  private static Object item(Object container, Object key) {
    if (container instanceof Map<?, ?> m) {
      Object k = key instanceof CharSequence ? key.toString() : key;
      return m.containsKey(k) ? m.get(k) : Undefined.attribute(container, String.valueOf(key));
    }
    if (container instanceof List<?> l && key instanceof Number n && n.intValue() >= 0 && n.intValue() < l.size()) {
      return l.get(n.intValue());
    }
    return Undefined.attribute(container, String.valueOf(key));
  }

  private static Object select(Object v, Args a, boolean byAttribute, boolean keep) {
    List<Object> out = new ArrayList<>();
    int next = 0;
    String attr = null;
    if (byAttribute) {
      attr = Py.str(a.pos().get(next++));
    }
    ExpTest test = null;
    if (a.pos().size() > next) {
      String name = Py.str(a.pos().get(next++));
      test = a.in().getContext().getExpTest(name);
      if (test == null) {
        throw new IllegalArgumentException("No test named '" + name + "'");
      }
    }
    Object[] rest = a.pos().subList(next, a.pos().size()).toArray();
    for (Object o : Py.iterate(v)) {
      Object x = attr == null ? o : attribute(o, attr);
      boolean ok = test == null ? Py.truth(x) : test.evaluate(x, a.in(), rest);
      if (ok == keep) {
        out.add(o);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object combine(Object v, Args a) {
    boolean recursive = a.bool(-1, "recursive", false);
    String listMerge = a.str(-1, "list_merge", "replace");
    Map<Object, Object> out = new LinkedHashMap<>((Map<Object, Object>) v);
    for (Object o : a.pos()) {
      List<Object> dicts = o instanceof List<?> l ? new ArrayList<>(l) : List.of(o);
      for (Object d : dicts) {
        if (!(d instanceof Map<?, ?>)) {
          throw new IllegalArgumentException("failed to combine variables, expected dicts but got a '"
              + Py.typeName(d) + "'");
        }
        out = merge(out, (Map<Object, Object>) d, recursive, listMerge);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> merge(Map<Object, Object> a, Map<Object, Object> b, boolean recursive,
      String listMerge) {
    Map<Object, Object> out = new LinkedHashMap<>(a);
    for (Map.Entry<Object, Object> e : b.entrySet()) {
      Object old = out.get(e.getKey());
      Object now = e.getValue();
      if (recursive && old instanceof Map<?, ?> x && now instanceof Map<?, ?> y) {
        out.put(e.getKey(), merge((Map<Object, Object>) x, (Map<Object, Object>) y, true, listMerge));
      } else if (old instanceof List<?> x && now instanceof List<?> y && !listMerge.equals("replace")) {
        List<Object> merged = new ArrayList<>();
        switch (listMerge) {
          case "keep" -> merged.addAll(x);
          case "append" -> {
            merged.addAll(x);
            merged.addAll(y);
          }
          case "prepend" -> {
            merged.addAll(y);
            merged.addAll(x);
          }
          case "append_rp" -> {
            merged.addAll(x.stream().filter(i -> !contains(new ArrayList<>(y), i)).toList());
            merged.addAll(y);
          }
          case "prepend_rp" -> {
            merged.addAll(y);
            merged.addAll(x.stream().filter(i -> !contains(new ArrayList<>(y), i)).toList());
          }
          default -> throw new IllegalArgumentException("'" + listMerge + "' is not a valid list_merge value");
        }
        out.put(e.getKey(), merged);
      } else {
        out.put(e.getKey(), now);
      }
    }
    return out;
  }

  private static Object zip(Object v, Args a, boolean longest) {
    List<List<Object>> lists = new ArrayList<>();
    lists.add(Py.iterate(v));
    for (Object o : a.pos()) {
      lists.add(Py.iterate(o));
    }
    int n = longest ? lists.stream().mapToInt(List::size).max().orElse(0)
        : lists.stream().mapToInt(List::size).min().orElse(0);
    Object fill = a.kw().get("fillvalue");
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Object> row = new ArrayList<>();
      for (List<Object> l : lists) {
        row.add(i < l.size() ? l.get(i) : fill);
      }
      out.add(row);
    }
    return out;
  }

  private static void flatten(List<Object> in, int levels, boolean skipNulls, List<Object> out) {
    for (Object o : in) {
      if (o instanceof List<?> l && levels != 0) {
        flatten(new ArrayList<>(l), levels - 1, skipNulls, out);
      } else if (!(skipNulls && (o == null || "None".equals(o)))) {
        out.add(o);
      }
    }
  }

  private static Object extreme(Object v, Args a, int sign) {
    String attr = a.str(-1, "attribute", null);
    boolean cs = a.bool(-1, "case_sensitive", false);
    Object best = null;
    boolean any = false;
    for (Object o : Py.iterate(v)) {
      if (!any || sign * Py.compare(sortKey(o, attr, cs), sortKey(best, attr, cs)) > 0) {
        best = o;
        any = true;
      }
    }
    return any ? best : Undefined.because("No aggregated item, sequence was empty.");
  }

  private static String json(Object v, Object indent, boolean sortKeys, boolean ascii) {
    Object value = sortKeys ? sortKeys(v) : v;
    String s = indent == null ? Json.write(value) : Json.pretty(value, PyMethods.toInt(indent));
    if (!ascii) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0x7e) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static Object sortKeys(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, x) -> out.put(Py.str(k), sortKeys(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(PyFilters::sortKeys).toList();
    }
    return v;
  }

  private static String digest(String s, String algorithm) {
    String name = switch (algorithm.toLowerCase(Locale.ROOT)) {
      case "md5" -> "MD5";
      case "sha1" -> "SHA-1";
      case "sha224" -> "SHA-224";
      case "sha256" -> "SHA-256";
      case "sha384" -> "SHA-384";
      case "sha512" -> "SHA-512";
      default -> throw new IllegalArgumentException("unsupported hash type " + algorithm);
    };
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
