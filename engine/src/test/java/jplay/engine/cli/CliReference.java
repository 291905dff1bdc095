package jplay.engine.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command line reference, docs/cli.md and the man page docs/man/jplay.1, generated from the same picocli model
 * as {@code --help}: the commands, their options with descriptions and defaults, examples and exit codes.
 */
final class CliReference {
  private CliReference() {}

  /** The commands, the top one first, as {@code jplay} builds them. */
  static List<CommandSpec> commands() {
    Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    CommandLine root = Main.model(io, true);
    List<CommandSpec> all = new ArrayList<>();
    collect(root.getCommandSpec(), all);
    return all;
  }

  private static void collect(CommandSpec spec, List<CommandSpec> into) {
    into.add(spec);
    for (CommandLine sub : spec.subcommands().values()) {
      // Aliases list a command more than once.
      if (!into.contains(sub.getCommandSpec())) {
        collect(sub.getCommandSpec(), into);
      }
    }
  }

  /** A command's description, split into its text and its examples (the indented lines after "Examples:"). */
  private record Description(List<String> text, List<String> examples) {
    static Description of(CommandSpec spec) {
      List<String> text = new ArrayList<>();
      List<String> examples = new ArrayList<>();
      boolean inExamples = false;
      for (String line : spec.usageMessage().description()) {
        for (String l : line.split("\n", -1)) {
          if (l.equals("Examples:")) {
            inExamples = true;
          } else if (inExamples && l.startsWith("  ")) {
            examples.add(l.substring(2));
          } else if (!l.isBlank()) {
            inExamples = false;
            text.add(l.replace("%n", ""));
          }
        }
      }
      return new Description(text, examples);
    }
  }

  private static String synopsis(CommandSpec spec) {
    CommandLine.Help help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    String s = help.synopsis(0);
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private static String names(ArgSpec a) {
    if (a instanceof OptionSpec o) {
      List<String> parts = new ArrayList<>();
      for (String n : o.names()) {
        parts.add(n);
      }
      String label = o.typeInfo().isBoolean() || o.arity().max() == 0 ? "" : "=" + o.paramLabel();
      int last = parts.size() - 1;
      parts.set(last, parts.get(last) + label);
      return String.join(", ", parts);
    }
    PositionalParamSpec p = (PositionalParamSpec) a;
    return p.arity().max() > 1 ? p.paramLabel() + "..." : p.paramLabel();
  }

  private static String description(ArgSpec a) {
    return String.join(" ", a.description()).strip();
  }

  private static List<ArgSpec> args(CommandSpec spec) {
    List<ArgSpec> args = new ArrayList<>(spec.positionalParameters());
    args.addAll(spec.options());
    return args;
  }

  /** docs/cli.md. */
  static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# jplay command line reference\n\n");
    sb.append("Generated from the command line model, as `jplay --help` is; do not edit by hand. The engine's\n")
        .append("`CliReferenceTest` fails while this page is stale: refresh it with\n")
        .append("`mvn -q -B -o verify -pl engine -Dtest=CliReferenceTest -Djplay.golden.refresh=true`.\n")
        .append("The man page `docs/man/jplay.1` is generated alongside (`man -l docs/man/jplay.1`).\n\n");
    List<CommandSpec> commands = commands();
    sb.append("Commands:\n\n");
    for (CommandSpec c : commands) {
      sb.append("- [`").append(c.qualifiedName()).append("`](#").append(c.qualifiedName().replace(' ', '-'))
          .append("): ").append(Description.of(c).text().get(0)).append('\n');
    }
    for (CommandSpec c : commands) {
      Description d = Description.of(c);
      sb.append("\n## ").append(c.qualifiedName()).append("\n\n");
      sb.append(String.join("\n", d.text())).append("\n\n");
      sb.append("```text\n").append(synopsis(c)).append("\n```\n");
      if (!d.examples().isEmpty()) {
        sb.append("\nExamples:\n\n```sh\n");
        d.examples().forEach(e -> sb.append(e).append('\n'));
        sb.append("```\n");
      }
      sb.append("\n| Option | Description |\n|---|---|\n");
      for (ArgSpec a : args(c)) {
        sb.append("| `").append(names(a)).append("` | ").append(description(a).replace("|", "\\|")).append(" |\n");
      }
      Map<String, String> exits = c.usageMessage().exitCodeList();
      if (!exits.isEmpty()) {
        sb.append("\n| Exit code | Meaning |\n|---|---|\n");
        exits.forEach((code, meaning) -> sb.append("| ").append(code.strip()).append(" | ").append(meaning)
            .append(" |\n"));
      }
    }
    return sb.toString();
  }

  /** docs/man/jplay.1: one page, the subcommands as sections of it. */
  static String manPage() {
    List<CommandSpec> commands = commands();
    CommandSpec root = commands.get(0);
    Description top = Description.of(root);
    StringBuilder sb = new StringBuilder();
    sb.append(".\\\" Generated from the command line model by CliReferenceTest; do not edit by hand.\n");
    sb.append(".TH JPLAY 1 \"\" \"jplay\" \"User Commands\"\n");
    sb.append(".SH NAME\njplay \\- ").append(roff(lowerFirst(top.text().get(0)))).append('\n');
    sb.append(".SH SYNOPSIS\n");
    for (CommandSpec c : commands) {
      sb.append(".nf\n").append(roff(synopsis(c).replace("Usage: ", ""))).append("\n.fi\n");
    }
    sb.append(".SH DESCRIPTION\n");
    top.text().forEach(t -> sb.append(roff(t)).append('\n'));
    sb.append(".SH OPTIONS\n");
    options(sb, root);
    sb.append(".SH COMMANDS\n");
    for (CommandSpec c : commands.subList(1, commands.size())) {
      Description d = Description.of(c);
      sb.append(".SS ").append(c.qualifiedName()).append('\n');
      d.text().forEach(t -> sb.append(roff(t)).append('\n'));
      sb.append(".PP\n.nf\n").append(roff(synopsis(c).replace("Usage: ", ""))).append("\n.fi\n");
      options(sb, c);
      examples(sb, d);
    }
    sb.append(".SH EXAMPLES\n");
    examples(sb, top);
    sb.append(".SH EXIT STATUS\n");
    root.usageMessage().exitCodeList().forEach((code, meaning) ->
        sb.append(".TP\n.B ").append(code.strip()).append('\n').append(roff(meaning)).append('\n'));
    sb.append(".SH SEE ALSO\n").append("ansible-playbook(1), ansible(1), ansible-doc(1), ansible-inventory(1)\n");
    return sb.toString();
  }

  private static void options(StringBuilder sb, CommandSpec c) {
    for (ArgSpec a : args(c)) {
      sb.append(".TP\n.B ").append(roff(names(a))).append('\n').append(roff(description(a))).append('\n');
    }
  }

  private static void examples(StringBuilder sb, Description d) {
    if (d.examples().isEmpty()) {
      return;
    }
    sb.append(".PP\nExamples:\n.PP\n.RS\n.nf\n");
    d.examples().forEach(e -> sb.append(roff(e)).append('\n'));
    sb.append(".fi\n.RE\n");
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /** Text safe in roff: backslashes and minus signs escaped, no line starting as a request. */
  static String roff(String s) {
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      String l = line.replace("\\", "\\e").replace("-", "\\-");
      if (l.startsWith(".") || l.startsWith("'")) {
        l = "\\&" + l;
      }
      sb.append(l);
    }
    return sb.toString();
  }
}
