package jplay.engine.inventory;

import jplay.engine.output.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** INI values, host ranges and JSON numbers, each checked against what Python/Ansible give for the same input. */
class ValuesTest {
  /** Expected values from python3 -c 'ast.literal_eval(v)' (falling back to the text, as Ansible's INI plugin). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "5|5", "-5|-5", "+5|5", "0x1F|31", "0o17|15", "0b101|5", "1_000|1000", "1.5|1.5", "1e3|1000.0", ".5|0.5",
        "5.|5.0", "-1.5e-7|-1.5e-07", "1e16|1e+16", "123456789012345678901|123456789012345678901", "01|01",
        "00|0", "True|true", "False|false", "None|null", "yes|yes", "\"a b\"|a b", "'x'|x", "'a' 'b'|ab",
        "10.0.0.1|10.0.0.1", "1+2|1+2", "a b|a b", "x # c|x # c", "'x' # c|x", "r\"raw\\n\"|raw\\n",
        "u\"\\u00e9\"|é", "b\"by\"|by", "{'a':}|{'a':}", "-True|-True", " 7|7", "1_|1_", "0_0|0", "1e|1e",
        "1.5.2|1.5.2", "1j|1j",
      })
  void scalarsAreTypedAsPythonLiteralEvalTypesThem(String text, String json) {
    assertEquals(json, Json.write(PyLiteral.parseValue(text)).replaceAll("^\"|\"$", "").replace("\\\\", "\\"));
  }

  @Test
  void containersAreTypedToo() {
    assertEquals(Arrays.asList(1, "two", null), PyLiteral.parseValue("[1, 'two', None]"));
    assertEquals(List.of(1), PyLiteral.parseValue("(1,)"));
    assertEquals(1, PyLiteral.parseValue("(1)"));
    assertEquals(List.of(), PyLiteral.parseValue("()"));
    assertEquals(List.of(1, 2), PyLiteral.parseValue("{1, 2, 1}"));
    assertEquals(Map.of(), PyLiteral.parseValue("{}"));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("a", 1);
    nested.put("2", List.of(3));
    assertEquals(nested, PyLiteral.parseValue("{'a': 1, 2: [3]}"));
    assertEquals(List.of(1, List.of(2, Map.of("k", List.of(3, 4)))), PyLiteral.parseValue("[1, [2, {\"k\": (3, 4)}]]"));
    assertEquals("tab\tnl\n", PyLiteral.parseValue("\"tab\\tnl\\n\""));
    assertEquals(new BigInteger("123456789012345678901"), PyLiteral.parseValue("123456789012345678901"));
  }

  @Test
  void rangesExpandAsAnsibleDoes() throws Exception {
    assertEquals(List.of("node01", "node02", "node03"), HostRanges.expand("node[01:03]").names());
    assertEquals(List.of("s1", "s4", "s7", "s10"), HostRanges.expand("s[1:10:3]").names());
    assertEquals(List.of("dba", "dbb", "dbc"), HostRanges.expand("db[a:c]").names());
    assertEquals(List.of("h0", "h1"), HostRanges.expand("h[:1]").names());
    assertEquals(List.of("r1-a.lan", "r1-b.lan", "r2-a.lan", "r2-b.lan"), HostRanges.expand("r[1:2]-[a:b].lan").names());
    HostRanges.Expanded withPort = HostRanges.expand("web[1:2].example.com:2222");
    assertEquals(List.of("web1.example.com", "web2.example.com"), withPort.names());
    assertEquals(2222, withPort.port());
    assertEquals(List.of("fe80::1"), HostRanges.expand("fe80::1").names());
    assertEquals(22, HostRanges.expand("[fe80::1]:22").port());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "node[01:1]|host range [01:1] begins with a leading zero, so begin and end need the same number of digits",
        "x[a:]|host range [a:] has no end value: write [begin:end]",
        "n[1:2:3:4]|host range [1:2:3:4] must be [begin:end] or [begin:end:step]",
        "m[x-y]|host range [x-y] must be [begin:end] or [begin:end:step]",
        "n[3:1]|host range [3:1] must have begin <= end",
        "n[c:a]|host range [c:a] must have begin <= end",
        "n[1:5:x]|host range [1:5:x] has step 'x'; the step is a positive number",
        "n[1:b]|host range [1:b] needs numbers ([1:10]) or single letters ([a:f]) for begin and end",
        "n[1:3|host range in 'n[1:3' has no closing ']'",
        "web1:|host 'web1:' ends in ':'; write host:port with a port number, or drop the ':'",
      })
  void malformedRangesSayWhatIsRight(String pattern, String message) {
    assertEquals(message, assertThrows(HostRanges.RangeException.class, () -> HostRanges.expand(pattern)).getMessage());
  }

  @Test
  void jsonEscapesLikePython() {
    assertEquals("\"a\\\"b\\\\c\\n\\u0001é\"", Json.write("a\"b\\c\n\u0001é"));
    assertEquals("{\n    \"a\": [],\n    \"b\": {}\n}", Json.pretty(Json.sortKeys(Map.of("b", Map.of(), "a", List.of())), 4));
  }
}
