package jplay.engine.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code lookup()}, {@code query()}/{@code q()} and the other global functions; lookups run on the controller, as
 * Ansible's do. {@code lookup} joins several results with commas, {@code query} always gives a list.
 */
public final class Lookups {
  private Lookups() {}

  public static Object lookup(String name, Object... args) {
    List<Object> results = run(name, args);
    Map<String, Object> kw = kwargs(args);
    if (Py.truth(kw.getOrDefault("wantlist", false))) {
      return results;
    }
    if (results.size() == 1) {
      return results.get(0);
    }
    List<String> parts = new ArrayList<>();
    results.forEach(r -> parts.add(Py.str(r)));
    return String.join(",", parts);
  }

  public static Object query(String name, Object... args) {
    return run(name, args);
  }

  /** Python's {@code dict()}: keyword arguments, or pairs. */
  public static Object dict(Object... args) {
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Object a : args) {
      if (a instanceof NamedParameter np) {
        out.put(np.getName(), np.getValue());
      } else {
        out.putAll(PyFilters.toDict(a));
      }
    }
    return out;
  }

  private static Map<String, Object> kwargs(Object[] args) {
    Map<String, Object> kw = new LinkedHashMap<>();
    for (Object a : args) {
      if (a instanceof NamedParameter np) {
        kw.put(np.getName(), np.getValue());
      }
    }
    return kw;
  }

  private static List<Object> run(String name, Object[] args) {
    List<String> terms = new ArrayList<>();
    for (Object a : args) {
      if (a instanceof Undefined u) {
        throw u.error();
      }
      if (a instanceof List<?> l) {
        l.forEach(x -> terms.add(Py.str(x)));
      } else if (!(a instanceof NamedParameter)) {
        terms.add(Py.str(a));
      }
    }
    Map<String, Object> kw = kwargs(args);
    Templar.Render render = Templar.Render.current();
    List<Object> out = new ArrayList<>();
    String plugin = name.startsWith("ansible.builtin.") ? name.substring("ansible.builtin.".length()) : name;
    for (String term : terms) {
      switch (plugin) {
        case "env" -> {
          String v = System.getenv(term);
          out.add(v != null ? v : kw.getOrDefault("default", ""));
        }
        case "file" -> {
          String text = read(find(render.context(), term, "files", "file"));
          boolean rstrip = Py.truth(kw.getOrDefault("rstrip", true));
          boolean lstrip = Py.truth(kw.getOrDefault("lstrip", false));
          out.add(PyMethods.strip(text, null, lstrip, rstrip));
        }
        case "template" -> {
          Path file = find(render.context(), term, "templates", "template");
          try {
            out.add(render.templar().renderText(read(file), render.vars(), render.context(),
                Templar.TextOptions.ANSIBLE));
          } catch (TemplateException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
          }
        }
        case "pipe" -> out.add(pipe(term, render.context().baseDir()));
        case "items" -> out.add(term);
        case "vars" -> {
          if (!render.vars().containsKey(term)) {
            if (kw.containsKey("default")) {
              out.add(kw.get("default"));
            } else {
              throw Undefined.because("No variable found with this name: " + term).error();
            }
          } else {
            out.add(render.vars().get(term));
          }
        }
        default -> throw new IllegalArgumentException("lookup plugin (" + name + ") not found");
      }
    }
    if (plugin.equals("items") || plugin.equals("list")) {
      return new ArrayList<>(terms);
    }
    return out;
  }

  private static Path find(TemplateContext context, String term, String subdir, String plugin) {
    Path p = Path.of(term);
    if (p.isAbsolute()) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    } else {
      for (Path dir : context.searchPath()) {
        for (Path candidate : List.of(dir.resolve(subdir).resolve(p), dir.resolve(p))) {
          if (Files.isRegularFile(candidate)) {
            return candidate;
          }
        }
      }
    }
    throw new IllegalArgumentException("could not locate file in lookup: " + term + " (looked in "
        + (p.isAbsolute() ? term : String.join(", ", context.searchPath().stream()
            .map(d -> d.resolve(subdir) + ", " + d).toList())) + ")");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("could not read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String pipe(String command, Path dir) {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", command)
          .directory(dir.toAbsolutePath().toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalArgumentException("lookup_plugin.pipe(" + command + ") timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalArgumentException("lookup_plugin.pipe(" + command + ") returned " + p.exitValue());
      }
      return PyMethods.strip(out, null, false, true);
    } catch (IOException e) {
      throw new IllegalArgumentException("lookup_plugin.pipe(" + command + ") failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("lookup_plugin.pipe(" + command + ") interrupted", e);
    }
  }
}
