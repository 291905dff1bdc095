package jplay.engine.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expected values were produced by Ansible 2.14's own {@code parse_kv} (the oracle), as {@code parse_kv(s)} for
 * an ordinary module and {@code parse_kv(s, check_raw=True)} for command/shell.
 */
final class KvArgsTest {
  private static final Set<String> COMMAND_OPTIONS = Set.of("chdir", "creates", "removes", "executable", "stdin");

  static Stream<Arguments> oracle() {
    return Stream.of(
        // input, as an ordinary module reads it, as command/shell read it
        Arguments.of("path=/x state=touch", "{path=/x, state=touch}", "{_raw_params=path=/x state=touch}"),
        Arguments.of("chdir=/tmp echo hi", "{chdir=/tmp, _raw_params=echo hi}", "{chdir=/tmp, _raw_params=echo hi}"),
        Arguments.of("msg=\"hello world\" x=1", "{msg=hello world, x=1}", "{_raw_params=msg=\"hello world\" x=1}"),
        Arguments.of("a=b\\ c d", "{a=b\\, _raw_params=c d}", "{_raw_params=a=b\\ c d}"),
        Arguments.of("echo \"a b\" c=d", "{c=d, _raw_params=echo \"a b\"}", "{_raw_params=echo \"a b\" c=d}"),
        Arguments.of(
            "cmd=x creates=/y ls -l", "{cmd=x, creates=/y, _raw_params=ls -l}", "{creates=/y, _raw_params=cmd=x ls -l}"),
        Arguments.of("path=\"/a b\" mode=0644", "{path=/a b, mode=0644}", "{_raw_params=path=\"/a b\" mode=0644}"),
        Arguments.of(
            "x=\"{{ a | default(1) }}\" y=2",
            "{x={{ a | default(1) }}, y=2}",
            "{_raw_params=x=\"{{ a | default(1) }}\" y=2}"),
        Arguments.of("k=a\\=b", "{k=a\\=b}", "{_raw_params=k=a\\=b}"),
        Arguments.of("a\\=b", "{_raw_params=a=b}", "{_raw_params=a=b}"),
        Arguments.of("msg=a\\nb", "{msg=a\nb}", "{_raw_params=msg=a\\nb}"),
        Arguments.of("msg=\"it's\"", "{msg=it's}", "{_raw_params=msg=\"it's\"}"),
        Arguments.of("path=/x  mode=1", "{path=/x, mode=1}", "{_raw_params=path=/x  mode=1}"),
        Arguments.of("x={{ a }} {{ b }}", "{x={{ a }}, _raw_params={{ b }}}", "{_raw_params=x={{ a }} {{ b }}}"),
        Arguments.of("=x", "{_raw_params==x}", "{_raw_params==x}"),
        Arguments.of("path= /x", "{path=, _raw_params=/x}", "{_raw_params=path= /x}"),
        Arguments.of("echo 'a  b'  c", "{_raw_params=echo 'a  b'  c}", "{_raw_params=echo 'a  b'  c}"),
        Arguments.of("\"a\" b", "{_raw_params=\"a\" b}", "{_raw_params=\"a\" b}"),
        Arguments.of(
            "x={% if a %}1{% endif %} y=2",
            "{x={% if a %}1{% endif %}, y=2}",
            "{_raw_params=x={% if a %}1{% endif %} y=2}"),
        Arguments.of(
            "msg=\\u00e9\\x41\\N{BULLET}", "{msg=\u00e9A\u2022}", "{_raw_params=msg=\\u00e9\\x41\\N{BULLET}}"),
        Arguments.of("a=\"b\" \"c d\"", "{a=b, _raw_params=\"c d\"}", "{_raw_params=a=\"b\" \"c d\"}"),
        Arguments.of("x='it''s'", "{x=it''s}", "{_raw_params=x='it''s'}"),
        Arguments.of("x=\"a\nb\" y", "{x=a\nb, _raw_params=y}", "{_raw_params=x=\"a\nb\" y}"),
        Arguments.of("echo hi\nls", "{_raw_params=echo hi\nls}", "{_raw_params=echo hi\nls}"),
        Arguments.of("a \\\n b", "{_raw_params=a b}", "{_raw_params=a b}"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("oracle")
  void parsesLikeAnsible(String input, String ordinary, String command) {
    assertEquals(ordinary, show(KvArgs.parse(input, null)), "ordinary");
    assertEquals(command, show(KvArgs.parse(input, COMMAND_OPTIONS::contains)), "command");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock = """
          echo "hello                 | unbalanced quotes in the arguments: echo "hello
          a='b                        | unbalanced quotes in the arguments: a='b
          path={{ dir                 | unbalanced Jinja2 block in the arguments: path={{ dir
          echo "a"b" c                | unbalanced quotes in the arguments: echo "a"b" c
          """)
  void unbalancedInputFails(String input, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KvArgs.parse(input, (Predicate<String>) null));
    assertEquals(message, e.getMessage());
  }

  @Test
  void wordsKnowWhereTheyStart() {
    assertEquals(
        List.of(new KvArgs.Word("path=/x ", 0), new KvArgs.Word("msg=\"a  b\"", 9), new KvArgs.Word("ls", 20)),
        KvArgs.split("path=/x  msg=\"a  b\" ls"));
    KvArgs.Parsed p = KvArgs.parse("chdir=/tmp echo hi", COMMAND_OPTIONS::contains);
    assertEquals(Map.of("chdir", 0), p.offsets());
    assertEquals(11, p.rawOffset());
  }

  @Test
  void leadingSpacesAreDroppedWhereAnsibleFails() {
    // Ansible raises "Unable to parse argument string" (an IndexError in split_args); nothing is lost by dropping
    // them.
    assertEquals("{path=/x}", show(KvArgs.parse("  path=/x", null)));
  }

  private static String show(KvArgs.Parsed p) {
    Map<String, String> all = new LinkedHashMap<>(p.options());
    if (p.rawParams() != null) {
      all.put("_raw_params", p.rawParams());
    }
    return all.toString();
  }
}
