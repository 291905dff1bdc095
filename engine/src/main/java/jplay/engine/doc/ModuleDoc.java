package jplay.engine.doc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.output.Json;

/**
 * Every form of a module's documentation, derived from its {@link ModuleSpec} alone: the terminal page of
 * {@code jplay doc MODULE} (laid out as {@code ansible-doc}'s), the list, a ready-to-paste YAML snippet, JSON, and
 * the Markdown page under {@code docs/modules/}. Nothing is written twice, so the docs cannot drift from what the
 * engine validates.
 *
 * <pre>{@code
 * System.out.print(ModuleDoc.text(module.spec()));
 * }</pre>
 */
public final class ModuleDoc {
  /** Text width of the terminal page, as ansible-doc's default. */
  static final int WIDTH = 80;

  private static final String INDENT = "        ";

  private ModuleDoc() {}

  /** The page {@code jplay doc MODULE} shows. */
  public static String text(ModuleSpec spec) {
    StringBuilder sb = new StringBuilder();
    sb.append("> ").append(spec.name().toUpperCase(Locale.ROOT));
    if (!spec.aliases().isEmpty()) {
      sb.append("    (").append(String.join(", ", spec.aliases())).append(')');
    }
    sb.append("\n\n");
    if (!spec.summary().isEmpty()) {
      wrap(sb, spec.summary(), INDENT);
      sb.append('\n');
    }
    if (!spec.description().isEmpty()) {
      wrap(sb, spec.description(), INDENT);
      sb.append('\n');
    }
    if (spec.freeForm()) {
      wrap(sb, "Takes a free-form argument: " + spec.name() + ": TEXT, or " + spec.name() + " TEXT on the command line.",
          INDENT);
      sb.append('\n');
    }
    if (!spec.params().isEmpty()) {
      sb.append("OPTIONS (= is mandatory):\n\n");
      for (Param p : spec.params()) {
        sb.append(p.mandatory() ? "= " : "- ").append(p.name()).append('\n');
        if (!p.description().isEmpty()) {
          wrap(sb, p.description(), INDENT);
        }
        if (!p.aliases().isEmpty()) {
          sb.append(INDENT).append("aliases: [").append(String.join(", ", p.aliases())).append("]\n");
        }
        if (!p.choices().isEmpty()) {
          sb.append(INDENT).append("choices: [").append(String.join(", ", p.choices())).append("]\n");
        }
        if (p.defaultValue() != null) {
          sb.append(INDENT).append("default: ").append(scalar(p.defaultValue())).append('\n');
        }
        if (p.elements() != null) {
          sb.append(INDENT).append("elements: ").append(p.elements().label()).append('\n');
        }
        if (p.secret()) {
          sb.append(INDENT).append("no_log: true\n");
        }
        sb.append(INDENT).append("type: ").append(p.type().label()).append("\n\n");
      }
    }
    List<String> rules = rules(spec);
    if (!rules.isEmpty()) {
      sb.append("RULES:\n\n");
      for (String r : rules) {
        wrap(sb, "* " + r, INDENT);
      }
      sb.append('\n');
    }
    sb.append("CHECK MODE: ").append(spec.checkMode() ? "supported" : "not supported").append("\n\n");
    if (!spec.examples().isEmpty()) {
      sb.append("EXAMPLES:\n\n").append(spec.examples().stripTrailing()).append("\n\n");
    }
    return sb.toString();
  }

  /** {@code jplay doc --list}: one line per module, its name padded, then its summary. */
  public static String list(Collection<ModuleSpec> specs) {
    int w = specs.stream().mapToInt(s -> s.name().length()).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (ModuleSpec s : specs) {
      sb.append(s.name()).append(" ".repeat(w - s.name().length() + 2)).append(s.summary()).append('\n');
    }
    return sb.toString();
  }

  /**
   * {@code jplay doc -s MODULE}: a task to paste and fill in. Mandatory parameters are set to a placeholder of
   * their type (or their first choice); the others are commented out with their default; each says in a comment
   * what it takes. The result is valid YAML that the playbook parser accepts once the placeholders are filled.
   */
  public static String snippet(ModuleSpec spec) {
    StringBuilder sb = new StringBuilder();
    sb.append("- name: ").append(plainOrQuoted(spec.summary().isEmpty() ? spec.name() : spec.summary())).append('\n');
    if (spec.params().isEmpty()) {
      sb.append("  ").append(spec.name()).append(":\n");
      return sb.toString();
    }
    sb.append("  ").append(spec.name()).append(":\n");
    if (spec.freeForm()) {
      sb.append("    # or the short form: ").append(spec.name()).append(": TEXT\n");
    }
    int w = spec.params().stream().mapToInt(p -> snippetValue(p).length() + p.name().length() + 4).max().orElse(0);
    // A group of which one must be given (service: state or enabled) shows its first member uncommented.
    java.util.Set<String> shown = new java.util.HashSet<>();
    for (List<String> group : spec.requiredOneOf()) {
      if (group.stream().noneMatch(n -> spec.param(n).map(Param::mandatory).orElse(false))) {
        shown.add(group.get(0));
      }
    }
    for (Param p : spec.params()) {
      String line = (p.mandatory() || shown.contains(p.name()) ? "" : "# ") + p.name() + ": " + snippetValue(p);
      String hint = hint(p);
      sb.append("    ").append(line);
      if (!hint.isEmpty()) {
        sb.append(" ".repeat(Math.max(1, w - line.length() + 1))).append("# ").append(hint);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code jplay doc --json MODULE}: the spec as data, keyed as ansible-doc's JSON where the concepts match. */
  public static Map<String, Object> data(ModuleSpec spec) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("module", spec.name());
    doc.put("aliases", spec.aliases());
    doc.put("short_description", spec.summary());
    doc.put("description", spec.description());
    doc.put("free_form", spec.freeForm());
    Map<String, Object> options = new LinkedHashMap<>();
    for (Param p : spec.params()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("description", p.description());
      o.put("type", p.type().label());
      o.put("required", p.mandatory());
      if (p.defaultValue() != null) {
        o.put("default", p.defaultValue());
      }
      if (!p.choices().isEmpty()) {
        o.put("choices", p.choices());
      }
      if (!p.aliases().isEmpty()) {
        o.put("aliases", p.aliases());
      }
      if (p.elements() != null) {
        o.put("elements", p.elements().label());
      }
      if (p.secret()) {
        o.put("no_log", true);
      }
      options.put(p.name(), o);
    }
    doc.put("options", options);
    doc.put("mutually_exclusive", spec.mutuallyExclusive());
    doc.put("required_one_of", spec.requiredOneOf());
    doc.put("check_mode", spec.checkMode());
    doc.put("examples", spec.examples());
    return Map.of(spec.name(), Map.of("doc", doc));
  }

  /** {@link #data} as pretty JSON (4 spaces, as ansible-doc). */
  public static String json(ModuleSpec spec) {
    return Json.pretty(data(spec), 4) + "\n";
  }

  /** {@code jplay doc --list --json}: names to summaries. */
  public static String listJson(Collection<ModuleSpec> specs) {
    Map<String, Object> out = new LinkedHashMap<>();
    specs.forEach(s -> out.put(s.name(), s.summary()));
    return Json.pretty(out, 4) + "\n";
  }

  /** The Markdown page {@code docs/modules/NAME.md}. */
  public static String markdown(ModuleSpec spec) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!-- Generated from the module's ModuleSpec; do not edit. Refresh: see docs/modules/README.md. -->\n");
    sb.append("# ").append(spec.name());
    if (!spec.summary().isEmpty()) {
      sb.append(" — ").append(spec.summary());
    }
    sb.append("\n\n");
    if (!spec.aliases().isEmpty()) {
      sb.append("Also answers to: ");
      sb.append(String.join(", ", spec.aliases().stream().map(a -> "`" + a + "`").toList())).append(".\n\n");
    }
    if (!spec.description().isEmpty()) {
      sb.append(spec.description()).append("\n\n");
    }
    if (spec.freeForm()) {
      sb.append("Takes a free-form argument: `").append(spec.name()).append(": TEXT`.\n\n");
    }
    sb.append("Check mode: ").append(spec.checkMode() ? "supported" : "not supported").append(".\n\n");
    if (!spec.params().isEmpty()) {
      sb.append("## Parameters\n\n");
      sb.append("| name | type | required | default | choices | aliases | description |\n");
      sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
      for (Param p : spec.params()) {
        String type = p.type().label() + (p.elements() != null ? " of " + p.elements().label() : "");
        sb.append("| `").append(p.name()).append("` | ").append(type).append(" | ")
            .append(p.mandatory() ? "yes" : "").append(" | ")
            .append(p.defaultValue() == null ? "" : "`" + scalar(p.defaultValue()) + "`").append(" | ")
            .append(String.join(", ", p.choices().stream().map(c -> "`" + c + "`").toList())).append(" | ")
            .append(String.join(", ", p.aliases().stream().map(c -> "`" + c + "`").toList())).append(" | ")
            .append(cell(p.description()) + (p.secret() ? " Never shown in output." : "")).append(" |\n");
      }
      sb.append('\n');
    }
    List<String> rules = rules(spec);
    if (!rules.isEmpty()) {
      sb.append("## Rules\n\n");
      rules.forEach(r -> sb.append("- ").append(r).append('\n'));
      sb.append('\n');
    }
    if (!spec.examples().isEmpty()) {
      sb.append("## Examples\n\n```yaml\n").append(spec.examples().stripTrailing()).append("\n```\n\n");
    }
    sb.append("## Snippet\n\n`jplay doc -s ").append(spec.name()).append("`:\n\n```yaml\n")
        .append(snippet(spec)).append("```\n");
    return sb.toString();
  }

  /** The index page {@code docs/modules/README.md}. */
  public static String markdownIndex(Collection<ModuleSpec> specs) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!-- Generated from the modules' ModuleSpecs; do not edit. -->\n");
    sb.append("# Modules\n\n");
    sb.append("Each page is generated from the module's spec, the same data that validates arguments and drives\n");
    sb.append("`jplay doc` and the console's completion. After changing a spec, refresh the pages with\n");
    sb.append("`mvn -B -o verify -pl engine,modules -Dtest=DocTest -Dsurefire.failIfNoSpecifiedTests=false"
        + " -Djplay.golden.refresh=true`;\n");
    sb.append("the build fails while a page is stale.\n\n");
    sb.append("| module | what it does |\n| --- | --- |\n");
    for (ModuleSpec s : specs) {
      sb.append("| [").append(s.name()).append("](").append(s.name()).append(".md) | ").append(cell(s.summary()))
          .append(" |\n");
    }
    return sb.toString();
  }

  private static List<String> rules(ModuleSpec spec) {
    List<String> out = new ArrayList<>();
    for (List<String> g : spec.mutuallyExclusive()) {
      out.add("at most one of: " + String.join(", ", g));
    }
    for (List<String> g : spec.requiredOneOf()) {
      out.add("at least one of: " + String.join(", ", g));
    }
    return out;
  }

  private static String snippetValue(Param p) {
    if (p.defaultValue() != null) {
      return yamlScalar(p.defaultValue());
    }
    if (!p.choices().isEmpty()) {
      return p.choices().get(0);
    }
    return switch (p.type()) {
      case BOOL -> "false";
      case INT -> "0";
      case FLOAT -> "0.0";
      case LIST -> "[]";
      case DICT -> "{}";
      default -> "\"\"";
    };
  }

  /** The text as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted. */
  static String plainOrQuoted(String text) {
    boolean plain = !text.isEmpty() && !text.contains(": ") && !text.contains(" #") && !text.endsWith(":")
        && "-?:,[]{}#&*!|>'\"%@`".indexOf(text.charAt(0)) < 0 && text.strip().equals(text);
    return plain ? text : Json.quote(text);
  }

  /** What the snippet comment says of a parameter: required, its choices, its type, the first sentence of its doc. */
  private static String hint(Param p) {
    List<String> parts = new ArrayList<>();
    if (p.mandatory()) {
      parts.add("required");
    }
    if (!p.choices().isEmpty()) {
      // Choices can be control characters (newline_sequence): show them escaped, on one line.
      parts.add(String.join("|", p.choices().stream().map(c -> Json.quote(c).replaceAll("^\"|\"$", "")).toList()));
    } else {
      parts.add(p.type().label() + (p.elements() != null ? " of " + p.elements().label() : ""));
    }
    String text = firstSentence(p.description());
    return String.join(", ", parts) + (text.isEmpty() ? "" : ". " + text);
  }

  /** The first sentence of a description, cut at 60 characters: a snippet's comment stays on one short line. */
  static String firstSentence(String text) {
    String t = text.strip();
    int dot = t.indexOf(". ");
    while (dot > 0 && (t.startsWith("e.g", dot - 3) || t.startsWith("i.e", dot - 3))) {
      dot = t.indexOf(". ", dot + 1);
    }
    String s = dot < 0 ? t : t.substring(0, dot + 1);
    return s.length() <= 60 ? s : s.substring(0, 59).stripTrailing() + "…";
  }

  private static String scalar(Object v) {
    if (v instanceof String s) {
      return s;
    }
    return v instanceof Collection<?> || v instanceof Map<?, ?> ? Json.write(v) : String.valueOf(v);
  }

  private static String yamlScalar(Object v) {
    if (v instanceof String s) {
      return s.isEmpty() || !s.matches("[A-Za-z0-9_./-]+") || s.matches("(?i)yes|no|true|false|on|off|null|~|[0-9.]+")
          ? Json.quote(s) : s;
    }
    return v instanceof Collection<?> || v instanceof Map<?, ?> ? Json.write(v) : String.valueOf(v);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** Greedy word wrap at {@link #WIDTH}, each line indented. */
  private static void wrap(StringBuilder sb, String text, String indent) {
    int width = WIDTH - indent.length();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        sb.append(indent).append(line).append('\n');
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      sb.append(indent).append(line).append('\n');
    }
  }
}
