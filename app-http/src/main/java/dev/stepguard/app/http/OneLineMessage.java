package dev.stepguard.app.http;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.stepguard.core.model.VisibleText;

/**
 * The server's {@code %msg}: the formatted message with every control, bidirectional and
 * line-breaking character escaped, so that whatever a request puts in a logged value (a script
 * name, a path, a label, a key) stays inside its own log line and reads as what it is. It replaces
 * Logback's own {@code %msg} in logback.xml, so that no log call can forget it.
 */
public final class OneLineMessage extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return VisibleText.oneLine(event.getFormattedMessage());
  }
}
