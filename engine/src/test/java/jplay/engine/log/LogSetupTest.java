package jplay.engine.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {
  @Test
  void warningsGoToStderrAndTheLibrariesStayQuiet() {
    LoggerContext context = new LoggerContext();
    assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, LogSetup.setUp(context));
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.WARN, root.getLevel());
    ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
    assertEquals("System.err", stderr.getTarget());
    assertTrue(stderr.isStarted());
    assertEquals(Level.OFF, context.getLogger("net.schmizz.sshj.transport.TransportImpl").getEffectiveLevel());
    assertEquals(Level.OFF, context.getLogger("com.hierynomus.sshj").getEffectiveLevel());
    assertEquals(Level.ERROR, context.getLogger("com.hubspot.jinjava").getEffectiveLevel());
    assertFalse(context.getLogger("jplay.engine").isInfoEnabled());
    assertTrue(context.getLogger("jplay.engine").isWarnEnabled());
  }

  @Test
  void logbackFindsItAsAService() throws IOException {
    try (InputStream in = LogSetup.class.getResourceAsStream(
        "/META-INF/services/ch.qos.logback.classic.spi.Configurator")) {
      assertEquals(List.of(LogSetup.class.getName()),
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
    }
  }

  @Test
  void aLogbackFileOnTheClassPathWins() {
    // The tests' logback-test.xml is on this class path: logback's own configurators must then run.
    LogSetup setup = new LogSetup();
    LoggerContext context = new LoggerContext();
    setup.setContext(context);
    assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, setup.configure(context));
    assertEquals(null, context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
  }
}
