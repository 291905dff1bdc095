package jplay.engine.repl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.api.ParamType;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion, all of it derived from data the console already has: console commands, module names (from the
 * registry), a module's parameters and their choices (from its {@link ModuleSpec}), host and group names (from the
 * inventory) for {@code :cd}, and local file paths for path parameters.
 */
final class ConsoleCompleter implements Completer {
  private static final List<String> ON_OFF = List.of("on", "off");

  private final ConsoleSession session;

  ConsoleCompleter(ConsoleSession session) {
    this.session = session;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    candidates.addAll(candidates(line.words(), line.wordIndex(), line.word().substring(0, line.wordCursor())));
  }

  /**
   * The candidates for the word at {@code index} of {@code words}, of which {@code prefix} is typed so far.
   * Candidates are filtered by the reader; returning them all keeps this testable without a terminal.
   */
  List<Candidate> candidates(List<String> words, int index, String prefix) {
    List<Candidate> out = new ArrayList<>();
    if (index == 0) {
      for (ConsoleSession.CommandHelp c : ConsoleSession.COMMANDS) {
        out.add(new Candidate(":" + c.name(), ":" + c.name(), "console commands", c.help(), null, null, true));
      }
      for (String m : session.modules().names()) {
        String summary = session.spec(m).map(ModuleSpec::summary).orElse("");
        out.add(new Candidate(m, m, "modules", summary.isEmpty() ? null : summary, null, null, true));
      }
      return out;
    }
    String first = words.get(0);
    String command = first.startsWith(":") ? first.substring(1)
        : session.modules().find(first).isEmpty() && ConsoleSession.COMMAND_NAMES.contains(first) ? first : null;
    if (command != null) {
      if (index == 1) {
        switch (command) {
          case "cd" -> {
            session.inventory().groups().keySet().forEach(g -> out.add(plain(g, "groups")));
            session.inventory().hosts().forEach(h -> out.add(plain(h.name(), "hosts")));
          }
          case "list" -> out.add(plain("groups", null));
          case "become", "check", "diff" -> ON_OFF.forEach(v -> out.add(plain(v, null)));
          case "help" -> session.modules().names().forEach(m -> out.add(plain(m, "modules")));
          case "verbosity" -> List.of("0", "1", "2", "3", "4").forEach(v -> out.add(plain(v, null)));
          default -> { }
        }
      }
      return out;
    }
    Optional<ModuleSpec> spec = session.spec(first);
    if (spec.isEmpty()) {
      return out;
    }
    int eq = prefix.indexOf('=');
    if (eq < 0) {
      Set<String> used = new HashSet<>();
      for (int i = 1; i < words.size(); i++) {
        if (i != index && words.get(i).contains("=")) {
          used.add(words.get(i).substring(0, words.get(i).indexOf('=')));
        }
      }
      for (Param p : spec.get().params()) {
        if (used.contains(p.name()) || p.aliases().stream().anyMatch(used::contains)) {
          continue;
        }
        String d = p.description().isEmpty() ? null : firstSentence(p.description());
        // No space after "name=": the value comes next.
        out.add(new Candidate(p.name() + "=", p.name() + "=", "parameters", d, null, null, false));
      }
      return out;
    }
    String key = prefix.substring(0, eq);
    String value = prefix.substring(eq + 1);
    Optional<Param> param = spec.get().param(key);
    if (param.isEmpty()) {
      return out;
    }
    Param p = param.get();
    if (!p.choices().isEmpty()) {
      p.choices().forEach(c -> out.add(plain(key + "=" + c, null)));
    } else if (p.type() == ParamType.BOOL) {
      List.of("true", "false").forEach(c -> out.add(plain(key + "=" + c, null)));
    } else if (p.type() == ParamType.PATH) {
      out.addAll(paths(key + "=", value));
    }
    return out;
  }

  /** Local files and folders that continue {@code typed}; folders end in '/' and take no space after. */
  static List<Candidate> paths(String lead, String typed) {
    List<Candidate> out = new ArrayList<>();
    int slash = typed.lastIndexOf('/');
    String dirPart = slash < 0 ? "" : typed.substring(0, slash + 1);
    Path dir = dirPart.isEmpty() ? Path.of(".") : Path.of(dirPart.startsWith("~/")
        ? System.getProperty("user.home") + dirPart.substring(1) : dirPart);
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path e : entries) {
        String name = e.getFileName().toString();
        boolean folder = Files.isDirectory(e);
        String v = lead + dirPart + name + (folder ? "/" : "");
        out.add(new Candidate(v, name + (folder ? "/" : ""), null, null, null, null, !folder));
      }
    } catch (IOException e) {
      // An unreadable folder completes to nothing, as a shell's would.
    }
    out.sort((a, b) -> a.value().compareTo(b.value()));
    return out;
  }

  private static Candidate plain(String value, String group) {
    return new Candidate(value, value, group, null, null, null, true);
  }

  private static String firstSentence(String text) {
    int dot = text.indexOf(". ");
    return dot < 0 ? text : text.substring(0, dot + 1);
  }
}
