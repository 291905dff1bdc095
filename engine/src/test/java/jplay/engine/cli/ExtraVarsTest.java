package jplay.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -e} in all of Ansible's forms, and every mistake as one line that says what would be right. */
class ExtraVarsTest {
  @TempDir Path dir;

  @Test
  void keyValuePairsAreStringsAndQuotesGroupWords() throws UsageException {
    assertEquals(Map.of("a", "1", "b", "two words", "c", ""), ExtraVars.parse(List.of("a=1 b=\"two words\" c=")));
  }

  @Test
  void jinjaBlocksKeepTheirSpacesAsInAnsible() throws UsageException {
    // ansible-playbook -e 'u={{ undefined_thing }}/x d="{{ a | default(1) }}"' takes two variables, both templates.
    assertEquals(Map.of("u", "{{ undefined_thing }}/x", "d", "{{ a | default(1) }}"),
        ExtraVars.parse(List.of("u={{ undefined_thing }}/x d=\"{{ a | default(1) }}\"")));
  }

  @Test
  void anUnclosedJinjaBlockIsNamed() {
    UsageException e = assertThrows(UsageException.class, () -> ExtraVars.parse(List.of("u={{ x")));
    assertEquals(true, e.getMessage().startsWith("-e 'u={{ x': "), e.getMessage());
  }

  @Test
  void jsonAndYamlKeepTheirTypes() throws UsageException {
    assertEquals(Map.of("n", 3, "ok", true, "l", List.of(1, 2)), ExtraVars.parse(List.of("{\"n\": 3, \"ok\": true, \"l\": [1, 2]}")));
    assertEquals(Map.of("n", 3, "s", "x"), ExtraVars.parse(List.of("{n: 3, s: x}")));
  }

  @Test
  void aFileWithAtIsRead() throws IOException, UsageException {
    Path f = dir.resolve("vars.yml");
    Files.writeString(f, "port: 8080\nname: web\n");
    assertEquals(Map.of("port", 8080, "name", "web"), ExtraVars.parse(List.of("@" + f)));
  }

  @Test
  void laterValuesWin() throws UsageException {
    assertEquals(Map.of("a", "2", "b", "1"), ExtraVars.parse(List.of("a=1 b=1", "a=2")));
  }

  @Test
  void aWordWithoutEqualsIsAnErrorNotIgnoredAsAnsibleDoes() {
    UsageException e = assertThrows(UsageException.class, () -> ExtraVars.parse(List.of("a=1 foo")));
    assertEquals("-e 'a=1 foo': 'foo' is not key=value; give -e as key=value pairs, @file.yml, or YAML/JSON such as"
        + " '{\"k\": 1}'", e.getMessage());
  }

  @Test
  void aListIsNotVariables() {
    UsageException e = assertThrows(UsageException.class, () -> ExtraVars.parse(List.of("[1, 2]")));
    assertEquals("-e '[1, 2]': extra vars must be a mapping of names to values, not a list", e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    UsageException e = assertThrows(UsageException.class, () -> ExtraVars.parse(List.of("@" + dir.resolve("no.yml"))));
    assertEquals("-e '@" + dir.resolve("no.yml") + "': no such file: " + dir.resolve("no.yml"), e.getMessage());
  }

  @Test
  void brokenYamlInAFileNamesItsLineAndColumn() throws IOException {
    Path f = dir.resolve("bad.yml");
    Files.writeString(f, "a: 1\nb: [2\n");
    UsageException e = assertThrows(UsageException.class, () -> ExtraVars.parse(List.of("@" + f)));
    assertEquals(f + ":", e.getMessage().substring(0, f.toString().length() + 1), e.getMessage());
    assertEquals(true, e.getMessage().matches("\\Q" + f + "\\E:\\d+:\\d+: .*"), e.getMessage());
  }

  @Test
  void onTheCommandLineABadValueIsExitFiveInOneLine() throws IOException {
    Path pb = dir.resolve("site.yml");
    Files.writeString(pb, "- hosts: all\n  tasks: []\n");
    Cli r = Cli.run(pb.toString(), "-e", "{bad", "--syntax-check");
    assertEquals(5, r.exitCode(), r::toString);
    assertEquals(1, r.err().lines().count(), r.err());
    assertEquals(true, r.err().startsWith("ERROR! -e '{bad':"), r.err());
  }
}
