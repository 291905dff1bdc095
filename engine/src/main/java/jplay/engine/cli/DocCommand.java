package jplay.engine.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Suggestions;
import jplay.engine.doc.ModuleDoc;
import jplay.engine.playbook.ModuleRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jplay doc}: a module's documentation, from its spec, as ansible-doc. */
@Command(
    name = "doc",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Shows the documentation of modules (as ansible-doc), generated from their specs.",
      "",
      "Examples:",
      "  jplay doc --list",
      "  jplay doc file",
      "  jplay doc -s systemd",
      ""
    })
final class DocCommand implements Callable<Integer> {
  private final Io io;

  DocCommand(Io io) {
    this.io = io;
  }

  @Parameters(paramLabel = "MODULE", arity = "0..*", completionCandidates = ModuleNames.class,
      description = "The modules to show (their short or fully-qualified names).")
  List<String> names = new ArrayList<>();

  @Option(names = {"-l", "--list"}, description = "List the modules with their summaries.")
  boolean list;

  @Option(names = {"-s", "--snippet"}, description = "Show a task to paste into a playbook.")
  boolean snippet;

  @Option(names = {"-j", "--json"}, description = "Show the documentation as JSON.")
  boolean json;

  @Override
  public Integer call() throws UsageException {
    ModuleRegistry modules = ModuleRegistry.discover();
    List<ModuleSpec> all = modules.modules().stream().map(Module::spec).toList();
    if (list) {
      if (!names.isEmpty() || snippet) {
        throw new UsageException("--list takes no module names and no --snippet");
      }
      io.out().print(json ? ModuleDoc.listJson(all) : ModuleDoc.list(all));
      io.out().flush();
      return 0;
    }
    if (names.isEmpty()) {
      throw new UsageException("name a module (jplay doc MODULE), or list them all with --list");
    }
    if (snippet && json) {
      throw new UsageException("--snippet and --json cannot be combined");
    }
    List<ModuleSpec> specs = new ArrayList<>();
    for (String name : names) {
      Module m = modules.find(name).orElseThrow(() -> new UsageException(
          "no module named '" + name + "'" + Suggestions.hint(name, modules.allNames())
              + "; 'jplay doc --list' shows them all"));
      specs.add(m.spec());
    }
    if (json) {
      // One JSON document, as ansible-doc --json gives for several modules.
      java.util.Map<String, Object> merged = new java.util.LinkedHashMap<>();
      specs.forEach(s -> merged.putAll(ModuleDoc.data(s)));
      io.out().println(jplay.engine.output.Json.pretty(merged, 4));
      io.out().flush();
      return 0;
    }
    StringBuilder sb = new StringBuilder();
    for (ModuleSpec spec : specs) {
      if (snippet) {
        sb.append(ModuleDoc.snippet(spec));
      } else {
        sb.append(ModuleDoc.text(spec));
      }
    }
    io.out().print(sb);
    io.out().flush();
    return 0;
  }
}
