package dev.stepguard.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * Logs to stderr, quiet unless {@code STEPGUARD_LOG_LEVEL} says otherwise. Configured in code
 * rather than logback.xml: parsing XML costs the command line a fifth of its start-up.
 */
public final class CliLogConfigurator extends ContextAwareBase implements Configurator {
  static final String LEVEL_VARIABLE = "STEPGUARD_LOG_LEVEL";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    LayoutWrappingEncoder<ILoggingEvent> encoder = encoder(context);
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv(LEVEL_VARIABLE), Level.ERROR));
    root.addAppender(stderr);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Log lines as people read them on stderr: a message or stack trace that quotes a script name or
   * its stderr is shown with control characters escaped, like everything else stepguard prints.
   */
  static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext context) {
    PatternLayout pattern = new PatternLayout();
    pattern.setContext(context);
    pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
    pattern.start();
    LayoutBase<ILoggingEvent> safe =
        new LayoutBase<>() {
          @Override
          public String doLayout(ILoggingEvent event) {
            return Printable.safe(pattern.doLayout(event));
          }
        };
    safe.setContext(context);
    safe.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(safe);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }
}
