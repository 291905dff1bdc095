package jplay.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jplay.engine.yaml.Mark;
import org.junit.jupiter.api.Test;

/** Expected strings are Python 3.11's {@code json.dumps(..., ensure_ascii=False)}, pasted. */
class JsonTest {
  private static Map<String, Object> sample() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", "web1");
    d.put("list", Arrays.asList(1, 2.5, null, true, false, "x"));
    d.put("empty_list", List.of());
    d.put("empty_map", Map.of());
    d.put("nested", Map.of("a", Map.of("b", List.of(Map.of("c", "d")))));
    d.put("text", "tab\there \"q\" back\\slash\nnl \u0001 \u007f é 😀 /");
    return d;
  }

  @Test
  void prettyMatchesPythonIndent4() {
    String python =
        "{\n    \"name\": \"web1\",\n    \"list\": [\n        1,\n        2.5,\n        null,\n        true,\n"
            + "        false,\n        \"x\"\n    ],\n    \"empty_list\": [],\n    \"empty_map\": {},\n"
            + "    \"nested\": {\n        \"a\": {\n            \"b\": [\n                {\n"
            + "                    \"c\": \"d\"\n                }\n            ]\n        }\n    },\n"
            + "    \"text\": \"tab\\there \\\"q\\\" back\\\\slash\\nnl \\u0001 \u007f é 😀 /\"\n}";
    assertEquals(python, Json.pretty(sample(), 4));
  }

  @Test
  void writeMatchesPythonDefaultSeparators() {
    String python =
        "{\"name\": \"web1\", \"list\": [1, 2.5, null, true, false, \"x\"], \"empty_list\": [], \"empty_map\": {}, "
            + "\"nested\": {\"a\": {\"b\": [{\"c\": \"d\"}]}}, "
            + "\"text\": \"tab\\there \\\"q\\\" back\\\\slash\\nnl \\u0001 \u007f é 😀 /\"}";
    assertEquals(python, Json.write(sample()));
  }

  @Test
  void prettyWithOtherIndents() {
    assertEquals(
        "[\n  [],\n  [\n    []\n  ],\n  {\n    \"k\": []\n  }\n]",
        Json.pretty(List.of(List.of(), List.of(List.of()), Map.of("k", List.of())), 2));
    assertEquals("{\n\"a\": [\n1\n]\n}", Json.pretty(Map.of("a", List.of(1)), 0));
    assertEquals("[]", Json.pretty(List.of(), 4));
    assertEquals("\"x\"", Json.pretty("x", 4));
  }

  @Test
  void floatsAsPythonRepr() {
    double[] in = {1.5, 1e-05, 0.0001, 1e16, 1e15, 123456789012345680.0, 0.1, -0.0, 100.0, 1e22, -2.5e-7,
        Math.PI, 1.0 / 3, 5e-324, Double.MAX_VALUE, 0.0};
    String[] python = {"1.5", "1e-05", "0.0001", "1e+16", "1000000000000000.0", "1.2345678901234568e+17", "0.1",
        "-0.0", "100.0", "1e+22", "-2.5e-07", "3.141592653589793", "0.3333333333333333", "5e-324",
        "1.7976931348623157e+308", "0.0"};
    for (int k = 0; k < in.length; k++) {
      assertEquals(python[k], Json.write(in[k]), "for " + in[k]);
    }
    assertEquals("0.5", Json.write(0.5f));
  }

  @Test
  void nonFiniteNumbersAreNullBecauseJsonCannotHoldThem() {
    assertEquals(
        "[null, null, null]",
        Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)));
  }

  @Test
  void escapesEveryControlCharacterAndLoneSurrogates() {
    assertEquals("\"\\u0000\\u001f\\b\\f\\r\"", Json.write("\u0000\u001f\b\f\r"));
    assertEquals("\"a\\udc00b\\ud800\"", Json.write("a\udc00b\ud800"));
    assertEquals("\"😀\"", Json.write("😀"));
    assertEquals("\"\\\"quoted\\\"\"", Json.quote("\"quoted\""));
  }

  @Test
  void otherValues() {
    Map<Object, Object> keys = new LinkedHashMap<>();
    keys.put(1, 'c');
    keys.put(null, new int[] {1, 2});
    assertEquals("{\"1\": \"c\", \"null\": [1, 2]}", Json.write(keys));
    assertEquals("[\"PT1.5S\", \"f.yml:3:7\", 12345678901234567890]",
        Json.write(List.of(Duration.ofMillis(1500), new Mark("f.yml", 3, 7),
            new java.math.BigInteger("12345678901234567890"))));
    assertEquals("[1, 2]", Json.write(List.of(1L, (short) 2)));
    assertEquals("null", Json.write(null));
  }

  @Test
  void writtenTextParsesBack() {
    Object back = MiniJson.parse(Json.pretty(sample(), 4));
    assertEquals(MiniJson.parse(Json.write(sample())), back);
    assertEquals("tab\there \"q\" back\\slash\nnl \u0001 \u007f é 😀 /", ((Map<?, ?>) back).get("text"));
  }

  @Test
  void negativeIndentIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.pretty(1, -1));
    assertEquals("indent must be 0 or more, got -1", e.getMessage());
  }
}
