package dev.stepguard.app.http;

import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import dev.stepguard.core.model.VisibleText;

/**
 * The server's {@code %ex}: a stack trace whose exception messages (which may quote a request) are
 * escaped like {@link OneLineMessage}, so that every line break in it is one of the trace's own and
 * every line after the first starts with a tab or {@code Caused by:}.
 */
public final class OneLineThrowable extends ThrowableHandlingConverter {
  /** Causes shown at most, so that a cycle or a deep chain cannot make a line without end. */
  static final int MAX_CAUSES = 16;

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy throwable = event.getThrowableProxy();
    if (throwable == null) {
      return "";
    }
    StringBuilder trace = new StringBuilder(1024);
    String prefix = "";
    for (int i = 0; throwable != null && i < MAX_CAUSES; i++) {
      trace
          .append(prefix)
          .append(VisibleText.oneLine(throwable.getClassName()))
          .append(": ")
          .append(VisibleText.oneLine(throwable.getMessage()))
          .append(CoreConstants.LINE_SEPARATOR);
      StackTraceElementProxy[] frames = throwable.getStackTraceElementProxyArray();
      int shown = frames.length - Math.max(0, throwable.getCommonFrames());
      for (int f = 0; f < shown; f++) {
        trace
            .append('\t')
            .append(VisibleText.oneLine(frames[f].getSTEAsString()))
            .append(CoreConstants.LINE_SEPARATOR);
      }
      if (shown < frames.length) {
        trace
            .append("\t... ")
            .append(frames.length - shown)
            .append(" common frames omitted")
            .append(CoreConstants.LINE_SEPARATOR);
      }
      prefix = "Caused by: ";
      throwable = throwable.getCause();
    }
    return trace.toString();
  }
}
