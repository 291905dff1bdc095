package jplay.engine.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The debug log of a run ({@code --log-file}, {@code log_path}, {@code ANSIBLE_LOG_PATH}): every command per host
 * with its exit code and duration, in a file only — the terminal keeps showing the run's output alone. Secrets
 * never reach it: passwords the connections see and values registered with {@link #secret} are masked, and the
 * commands of {@code no_log} tasks and of commands marked sensitive are left out.
 *
 * <pre>{@code
 * RunLog.start(Path.of("/tmp/jplay.log"));
 * RunLog.secret(vaultPassword);
 * }</pre>
 */
public final class RunLog {
  static final String APPENDER = "jplay-log-file";
  static final String HOST = "host";
  static final String TASK = "task";
  static final String NO_LOG = "no_log";
  static final String MASK = "********";

  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

  private RunLog() {}

  /**
   * Sends jplay's debug log to {@code file} (appending, as Ansible's log_path), or stops a previous log when
   * {@code file} is null.
   *
   * @throws IOException when the file cannot be written, with a message that says why
   */
  public static synchronized void start(Path file) throws IOException {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger jplay = context.getLogger("jplay");
    Appender<ILoggingEvent> old = jplay.getAppender(APPENDER);
    if (old != null) {
      jplay.detachAppender(old);
      old.stop();
      jplay.setLevel(null);
    }
    if (file == null) {
      return;
    }
    // Logback reports an unwritable file on its status stream only; say it here, once, as the user's mistake.
    try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.flush();
    } catch (IOException | SecurityException e) {
      throw new IOException("cannot write the log file " + file + ": " + reason(e), e);
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    // Ansible's log line: time, process, user, then the message.
    encoder.setPattern("%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} p=" + ProcessHandle.current().pid() + " u="
        + System.getProperty("user.name") + " n=jplay | %-5level %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setName(APPENDER);
    appender.setContext(context);
    appender.setFile(file.toAbsolutePath().toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    // Debug lines go to the file only: the terminal's appenders let warnings through and nothing below.
    for (var it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> terminal = it.next();
      if (terminal.getCopyOfAttachedFiltersList().stream().noneMatch(f -> f instanceof TerminalFilter)) {
        terminal.addFilter(new TerminalFilter());
      }
    }
    jplay.addAppender(appender);
    jplay.setLevel(Level.DEBUG);
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "its folder does not exist";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Masks {@code value} wherever it would appear in the log from now on (passwords, vault values). */
  public static void secret(String value) {
    if (value != null && value.length() >= 3) {
      SECRETS.add(value);
    }
  }

  /** {@code text} with every registered secret replaced by {@value #MASK}. */
  public static String mask(String text) {
    String out = text;
    for (String s : SECRETS) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** Marks this thread as working on {@code task} for {@code host} until the scope closes. */
  public static Scope task(String host, String task) {
    MDC.put(HOST, host);
    MDC.put(TASK, task == null ? "" : task);
    MDC.remove(NO_LOG);
    return () -> {
      MDC.remove(HOST);
      MDC.remove(TASK);
      MDC.remove(NO_LOG);
    };
  }

  /** Says whether the current task is {@code no_log}: its commands are then not written out. */
  public static void noLog(boolean noLog) {
    if (noLog) {
      MDC.put(NO_LOG, "true");
    } else {
      MDC.remove(NO_LOG);
    }
  }

  static boolean isNoLog() {
    return "true".equals(MDC.get(NO_LOG));
  }

  static String task() {
    return MDC.get(TASK);
  }

  /** Keeps jplay's debug lines off the terminal. */
  private static final class TerminalFilter extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
    @Override
    public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
      return event.getLoggerName().startsWith("jplay") && !event.getLevel().isGreaterOrEqual(Level.WARN)
          ? ch.qos.logback.core.spi.FilterReply.DENY : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
    }
  }

  /** The end of a {@link #task} scope. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
