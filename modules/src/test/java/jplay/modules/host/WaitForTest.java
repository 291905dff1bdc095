package jplay.modules.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import jplay.engine.api.Args;
import jplay.engine.api.ArgsException;
import jplay.engine.api.CommandResult;
import jplay.engine.api.Outcome;
import org.junit.jupiter.api.Test;

class WaitForTest {
  @Test
  void pythonEscapesBecomePosixClasses() {
    assertEquals("ready ([0-9]+)", WaitForModule.ere("ready (\\d+)"));
    assertEquals("^SSH-(([0-9.]+))-([^[:space:]]+)", WaitForModule.ere("^SSH-((?P<v>[\\d.]+))-(\\S+)"));
    assertEquals("a[[:alnum:]_]*b", WaitForModule.ere("a\\w*?b"));
    assertEquals("[]a]x\\.", WaitForModule.ere("[]a]x\\."));
    assertEquals("^x$", WaitForModule.ere("\\Ax\\Z"));
  }

  @Test
  void excludedAddressesAsProcNetTcpWritesThem() {
    assertEquals(List.of("0100007F", "0000000000000000FFFF00000100007F"), WaitForModule.procHex("127.0.0.1"));
    assertEquals(List.of("00000000000000000000000001000000"), WaitForModule.procHex("::1"));
  }

  @Test
  void pythonGroupNamesWithUnderscoresSurvive() throws ArgsException {
    Args args = Args.bind(WaitForModule.SPEC, Map.of("path", "/x", "search_regex", "(?P<my_ver>\\d+)-(?P=my_ver)"),
        false);
    WaitForModule.PyRegex p = WaitForModule.PyRegex.compile(args.str("search_regex"));
    Outcome o = WaitForModule.interpret(args, p,
        List.of(CommandResult.of(0, "jplay-wait: line v 12-12\njplay-wait: done 3\n", "")));
    assertEquals(List.of("12"), o.data().get("match_groups"));
    assertEquals(Map.of("my_ver", "12"), o.data().get("match_groupdict"));
    assertEquals(3L, o.data().get("elapsed"));
  }
}
