package jplay.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.objects.Namespace;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The first resolver Jinjava asks: Python's attribute and method semantics on the plain values templates see.
 * A missing dict key or attribute is an {@link Undefined} (not null, which is None), and so is anything taken from
 * an Undefined; strings, dicts and lists have the Python methods Ansible users call ({@code s.split(',')},
 * {@code d.items()}, {@code d.get('k', 1)}).
 */
final class PyResolver extends ELResolver {
  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    if (base == null) {
      return null;
    }
    if (base instanceof Undefined) {
      context.setPropertyResolved(true);
      return base;
    }
    if (base instanceof Namespace) {
      return null; // Jinjava's own map resolver handles namespace() objects, which may gain keys later
    }
    if (base instanceof Map<?, ?> m) {
      context.setPropertyResolved(true);
      Object key = property instanceof Number n && !m.containsKey(property) ? keyFor(m, n) : property;
      if (m.containsKey(key)) {
        return m.get(key);
      }
      return Undefined.attribute(base, String.valueOf(property));
    }
    if (base instanceof List<?> l) {
      context.setPropertyResolved(true);
      Integer i = index(property);
      if (i == null) {
        return Undefined.attribute(base, String.valueOf(property));
      }
      int k = i < 0 ? i + l.size() : i;
      if (k < 0 || k >= l.size()) {
        return Undefined.because("list object has no element " + i);
      }
      return l.get(k);
    }
    if (base instanceof CharSequence s) {
      Integer i = index(property);
      context.setPropertyResolved(true);
      if (i == null) {
        return Undefined.attribute(base, String.valueOf(property));
      }
      List<Object> chars = Py.iterate(s);
      int k = i < 0 ? i + chars.size() : i;
      if (k < 0 || k >= chars.size()) {
        return Undefined.because("str object has no element " + i);
      }
      return chars.get(k);
    }
    if (base instanceof Number || base instanceof Boolean) {
      context.setPropertyResolved(true);
      return Undefined.attribute(base, String.valueOf(property));
    }
    return null;
  }

  /** YAML may load integer keys; {@code d[1]} finds them whether Jinjava made the index a Long or an Integer. */
  private static Object keyFor(Map<?, ?> m, Number n) {
    for (Object k : m.keySet()) {
      if (Py.isNumber(k) && Py.eq(k, n)) {
        return k;
      }
    }
    return n;
  }

  private static Integer index(Object property) {
    if (property instanceof Number n && Py.isInteger(n)) {
      return n.intValue();
    }
    if (property instanceof String s && s.matches("-?\\d{1,9}")) {
      return Integer.parseInt(s);
    }
    return null;
  }

  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
    if (base == null || method == null) {
      return null;
    }
    String name = method.toString();
    List<Object> args = new ArrayList<>();
    Map<String, Object> kwargs = new LinkedHashMap<>();
    if (params != null) {
      for (Object p : params) {
        if (p instanceof NamedParameter np) {
          kwargs.put(np.getName(), np.getValue());
        } else {
          args.add(p);
        }
      }
    }
    Object result;
    if (base instanceof Undefined u) {
      throw u.error();
    } else if (base instanceof CharSequence s) {
      result = PyMethods.string(s.toString(), name, args, kwargs);
    } else if (base instanceof Namespace) {
      return null;
    } else if (base instanceof Map<?, ?> m) {
      result = PyMethods.dict(m, name, args);
    } else if (base instanceof List<?> l) {
      result = PyMethods.list(l, name, args);
    } else {
      return null;
    }
    if (result == PyMethods.NO_SUCH_METHOD && !(base instanceof CharSequence)) {
      return null; // Jinjava's PyList and PyMap have more (append, update)
    }
    if (result == PyMethods.NO_SUCH_METHOD) {
      throw new IllegalArgumentException(
          "'" + Py.typeName(base) + " object' has no attribute '" + name.toLowerCase(Locale.ROOT) + "'");
    }
    context.setPropertyResolved(true);
    return result;
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    return null;
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {}

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return false;
  }

  @Override
  public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
    return null;
  }

  @Override
  public Class<?> getCommonPropertyType(ELContext context, Object base) {
    return Object.class;
  }
}
