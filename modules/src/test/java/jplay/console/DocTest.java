package jplay.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jplay.engine.api.Module;
import jplay.engine.api.ModuleSpec;
import jplay.engine.api.Param;
import jplay.engine.cli.Cli;
import jplay.engine.cli.Golden;
import jplay.engine.doc.ModuleDoc;
import jplay.engine.playbook.ModuleRegistry;
import jplay.engine.playbook.PlaybookParser;
import jplay.engine.yaml.Node;
import jplay.engine.yaml.YamlLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jplay doc} and the generated pages under docs/modules/, all from the modules' specs. Golden files under
 * resources/doc/; refresh them and the pages with {@code -Djplay.golden.refresh=true}.
 */
class DocTest {
  private static final ModuleRegistry MODULES = ModuleRegistry.discover();
  private static final Path PAGES = Path.of("..", "docs", "modules");

  @ParameterizedTest
  @CsvSource({
    "list.txt, --list",
    "file.txt, file",
    "command.txt, ansible.builtin.command",
    "file-snippet.yml, -s file",
    "shell-snippet.yml, -s shell",
    "ping.json, --json ping",
    "list.json, --list --json",
  })
  void docOutputIsAsWritten(String golden, String args) {
    List<String> a = new java.util.ArrayList<>(List.of("doc"));
    a.addAll(List.of(args.split(" ")));
    Cli r = Cli.run(a);
    assertEquals(0, r.exitCode(), r::toString);
    Golden.check("doc/" + golden, r.out());
  }

  @Test
  void anUnknownModuleIsABadOptionWithDidYouMean() {
    Cli r = Cli.run("doc", "fiel");
    assertEquals(5, r.exitCode());
    assertEquals("ERROR! no module named 'fiel' (did you mean 'file'?); 'jplay doc --list' shows them all\n", r.err());
  }

  @Test
  void jsonOfSeveralModulesIsOneDocument() throws IOException {
    Cli r = Cli.run("doc", "--json", "ping", "file");
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(Set.of("ping", "file"), fieldNames(json));
    assertEquals("path", json.at("/file/doc/options/path/type").asText());
    assertTrue(json.at("/file/doc/options/path/required").asBoolean());
    assertEquals("[\"dest\",\"name\"]", json.at("/file/doc/options/path/aliases").toString());
  }

  /** Every module's snippet is YAML that, placeholders filled, a playbook accepts: the spec and doc agree. */
  @Test
  void everySnippetIsATaskThePlaybookParserAccepts(@TempDir Path dir) throws Exception {
    PlaybookParser parser = new PlaybookParser(MODULES);
    for (Module m : MODULES.modules()) {
      ModuleSpec spec = m.spec();
      String snippet = ModuleDoc.snippet(spec);
      Node node = YamlLoader.load(snippet, spec.name() + " snippet").orElseThrow();
      assertTrue(node instanceof Node.Seq, snippet);
      // Fill the placeholders as a user would; a free-form module with nothing filled gets a command.
      StringBuilder filled = new StringBuilder("- hosts: all\n  gather_facts: false\n  tasks:\n");
      for (String line : snippet.split("\n")) {
        String l = line;
        for (Param p : spec.params()) {
          if (p.mandatory()) {
            l = l.replace(p.name() + ": \"\"", p.name() + ": /tmp/x");
          }
        }
        filled.append("    ").append(l).append('\n');
      }
      if (spec.freeForm() && spec.param("cmd").isPresent()) {
        filled.append("        cmd: \"true\"\n");
      } else if (spec.freeForm()) {
        // No cmd parameter (raw): the free-form text rides in the args, as `raw: "true"` would.
        filled.append("        _raw_params: \"true\"\n");
      }
      Path pb = dir.resolve(spec.name() + ".yml");
      Files.writeString(pb, filled.toString());
      parser.parse(pb);
    }
  }

  /** docs/modules/NAME.md is generated from the spec; the build fails while a page is stale or left over. */
  @Test
  void docsPagesAreFresh() throws IOException {
    Set<String> expected = new TreeSet<>();
    for (Module m : MODULES.modules()) {
      Golden.check(PAGES.resolve(m.spec().name() + ".md"), ModuleDoc.markdown(m.spec()));
      expected.add(m.spec().name() + ".md");
    }
    List<ModuleSpec> specs = MODULES.modules().stream().map(Module::spec).toList();
    Golden.check(PAGES.resolve("README.md"), ModuleDoc.markdownIndex(specs));
    expected.add("README.md");
    Set<String> present;
    try (Stream<Path> files = Files.list(PAGES)) {
      present = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    if (Golden.refreshing()) {
      for (String stale : present) {
        if (!expected.contains(stale)) {
          Files.delete(PAGES.resolve(stale));
        }
      }
      return;
    }
    assertEquals(expected, present, "pages of modules that no longer exist; refresh with -D" + Golden.REFRESH + "=true");
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> out = new TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
