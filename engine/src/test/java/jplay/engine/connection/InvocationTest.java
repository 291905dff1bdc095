package jplay.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import jplay.engine.api.Command;
import jplay.engine.api.Shell;
import org.junit.jupiter.api.Test;

class InvocationTest {
  @Test
  void plainCommandIsTheScriptWithSortedExports() throws Exception {
    Invocation i = Invocation.of(Command.of("echo hi").withEnv(Map.of("B", "2", "A", "it's")), null, null);
    String body = Shell.quote(": " + i.tag() + "; export A='it'\"'\"'s'; export B=2; echo hi");
    assertEquals("if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 0 /bin/sh -c " + body
        + "; else exec /bin/sh -c " + body + "; fi", i.script());
    assertFalse(i.become());
  }

  @Test
  void timeoutGuardFallsBackWhenTimeoutIsMissing() throws Exception {
    Invocation i = Invocation.of(Command.of("sleep 1"), null, Duration.ofMillis(2500));
    assertEquals("if command -v timeout >/dev/null 2>&1; then exec timeout -k 2 2.5 /bin/sh -c ': " + i.tag()
        + "; sleep 1'; else exec /bin/sh -c ': " + i.tag() + "; sleep 1'; fi", i.script());
  }

  @Test
  void theStopScriptFindsTheCommandButNotItself() throws Exception {
    Invocation i = Invocation.of(Command.of("sleep 1"), null, null);
    assertTrue(i.tag().matches("jplay-run-[0-9a-f]{16}"), i.tag());
    String stop = i.stopScript();
    assertFalse(stop.contains(i.tag()), stop);
    String pattern = stop.substring(stop.indexOf('\'') + 1, stop.lastIndexOf('\''));
    assertTrue(java.util.regex.Pattern.compile(pattern).matcher(i.script()).find(), stop);
    assertFalse(java.util.regex.Pattern.compile(pattern).matcher(stop).find(), stop);
  }

  @Test
  void inASessionOfItsOwnAPlainCommandRunsBareAndItsStopScriptSignalsTheSession() throws Exception {
    Invocation i = Invocation.of(Command.of("sleep 1").withEnv(Map.of("A", "1")), null, null, true);
    assertEquals(": " + i.tag() + "; export A=1; sleep 1", i.script());
    assertTrue(i.sessionLeader());
    String stop = i.stopScript();
    assertFalse(stop.contains(i.tag()), stop);
    assertTrue(stop.contains("pkill -TERM -s \"$s\"") && stop.contains("pkill -KILL -s \"$s\""), stop);
    // With a timeout or become the guard stays: timeout(1) ends the command at the deadline, sudo is in between.
    Invocation timed = Invocation.of(Command.of("sleep 1"), null, Duration.ofSeconds(3), true);
    assertTrue(timed.script().contains("exec timeout -k 2 3 /bin/sh -c"), timed.script());
    assertFalse(timed.sessionLeader());
    Invocation sudo = Invocation.of(Command.of("id"), new Become(null, null, null, null), null, true);
    assertTrue(sudo.script().contains("exec timeout -k 2 0 /bin/sh -c"), sudo.script());
    assertTrue(sudo.stopScript().startsWith("pkill -TERM -f '"), sudo.stopScript());
  }

  @Test
  void sudoWithoutPasswordIsNonInteractiveAndWithPasswordIsNot() throws Exception {
    Invocation none = Invocation.of(Command.of("id"), new Become(null, null, null, null), null);
    assertTrue(none.script().startsWith("sudo -H -S -n -p '[sudo via jplay, key="), none.script());
    assertTrue(none.script().contains("-u root /bin/sh -c 'echo " + none.successMarker() + "; exec /bin/sh -c '"), none.script());

    Invocation pw = Invocation.of(Command.of("id"), new Become("app", "sudo", "s3cret", "-H -S -n -E"), null);
    assertTrue(pw.script().startsWith("sudo -H -S -E -p "), pw.script());
    assertFalse(pw.script().contains("s3cret"));
    assertFalse(pw.toString().contains("s3cret"));
    assertTrue(pw.script().contains(" -u app "), pw.script());
    assertFalse(pw.successMarker().equals(none.successMarker()));
  }

  @Test
  void userFlagsWithoutStdinFlagStillGetIt() throws Exception {
    Invocation i = Invocation.of(Command.of("id"), new Become("root", "sudo", "pw", "-E"), null);
    assertTrue(i.script().startsWith("sudo -E -S -p "), i.script());
  }

  @Test
  void secondsAreExact() {
    assertEquals("5", Invocation.seconds(Duration.ofSeconds(5)));
    assertEquals("0.25", Invocation.seconds(Duration.ofMillis(250)));
  }
}
