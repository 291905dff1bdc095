package jplay.modules.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import jplay.engine.api.ModuleException;
import org.junit.jupiter.api.Test;

/**
 * Python {@code re} on Java: each case is what Python 3.11 answers for the same pattern, subject and template
 * (checked with {@code python3 -c "import re; ..."}).
 */
class PyRegexTest {
  private static String sub(String pattern, String repl, String s) {
    return PyRegex.text("regexp", pattern, PyRegex.MULTILINE).subn(s, repl).text();
  }

  @Test
  void dialectDifferences() {
    // re.sub(r'(?P<the_key>\w+)=(?P=the_key)', r'\g<the_key>', 'a=a b=c') == 'a b=c'
    assertEquals("a b=c", sub("(?P<the_key>\\w+)=(?P=the_key)", "\\g<the_key>", "a=a b=c"));
    // a{,2} is {0,2} in Python; Java refuses {,2}
    assertEquals("-b", sub("^a{,2}", "-", "aab"));
    // a lone { is a literal in Python
    assertEquals("x", sub("\\{foo}", "x", "{foo}"));
    // [[] is a class holding '[' in Python; Java reads a nested class
    assertEquals("a-b", sub("[[]", "-", "a[b"));
    // && inside a class is two ampersands in Python, an intersection in Java
    assertEquals("--", sub("[a&&b]", "-", "&&"));
    // \Z is Java's \z: no match before a final newline
    assertFalse(PyRegex.text("r", "a\\Z", 0).search("a\n"));
    assertTrue(PyRegex.text("r", "a$", 0).search("a\n"));
    // (?#...) is a comment
    assertEquals("X", sub("a(?# the letter a)", "X", "a"));
    // \w is Unicode for str patterns, ASCII for bytes patterns
    assertEquals("<café>", sub("\\w+", "<\\g<0>>", "café"));
    assertFalse(PyRegex.bytes("r", "^caf\\w$", 0).search(PyRegex.Latin1.of("café")));
  }

  @Test
  void templates() {
    PyRegex re = PyRegex.text("r", "(a)(b)?", 0);
    Matcher m = re.matcher("a");
    assertTrue(m.find());
    // An unmatched group expands to '' (Python 3.5+), \n is a newline, \\ a backslash, \0 NUL.
    assertEquals("a|\n\\\0", re.expand(m, "\\1|\\2\\n\\\\\\0"));
    assertEquals("a1", re.expand(m, "\\g<1>1"));
    assertThrows(ModuleException.class, () -> re.expand(m, "\\3"));
    assertThrows(ModuleException.class, () -> re.expand(m, "\\q"));
    assertEquals("$HOME-a", re.expand(m, "$HOME-\\1"), "$ is no group reference in Python");
  }

  @Test
  void emptyMatchesAsPython37() {
    // re.sub('x*', '-', 'abxd') == '-a-b--d-'
    assertEquals("-a-b--d-", sub("x*", "-", "abxd"));
  }

  @Test
  void refusedPatternsSayWhere() {
    ModuleException e = assertThrows(ModuleException.class, () -> PyRegex.text("regexp", "(a", 0));
    assertTrue(e.getMessage().startsWith("'regexp' is not a valid regular expression: Unclosed group"), e.getMessage());
  }
}
