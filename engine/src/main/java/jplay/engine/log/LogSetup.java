package jplay.engine.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logging as jplay sets it up, in code: the terminal shows the run's output only (through listeners), so library
 * chatter stays out of it — sshj reports what matters through exceptions, which become UNREACHABLE results — and
 * what does get logged (warnings and errors) goes to stderr. In code rather than a logback.xml because reading
 * that file (an XML parser and logback's reflective configuration model) cost every run about 70 ms of its
 * start-up, before anything else could happen. A {@code logback.configurationFile} property or a
 * {@code logback-test.xml} on the class path (the tests') still wins: logback's own configurators then run.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    boolean file = System.getProperty("logback.configurationFile") != null
        || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null;
    return file ? ExecutionStatus.INVOKE_NEXT_IF_ANY : setUp(context);
  }

  /** jplay's own set-up of {@code context}. */
  static ExecutionStatus setUp(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("[%level] %logger{20}: %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    context.getLogger("net.schmizz").setLevel(Level.OFF);
    context.getLogger("com.hierynomus").setLevel(Level.OFF);
    context.getLogger("com.hubspot").setLevel(Level.ERROR);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
