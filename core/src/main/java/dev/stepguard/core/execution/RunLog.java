package dev.stepguard.core.execution;

import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import org.slf4j.Logger;

/** One log line per run; a run that did not succeed carries its error and stderr tail. */
final class RunLog {
  static final int STDERR_IN_LOG = 2000;

  private RunLog() {}

  static void log(Logger log, ExecutionRecord record) {
    if (record.status() == Status.SUCCEEDED) {
      log.info(
          "run {} {} {} in {} ms ({} isolation)",
          record.id().shortForm(),
          record.script(),
          record.status(),
          record.durationMs(),
          record.isolation().label());
      return;
    }
    String stderr = record.stderr();
    String tail =
        stderr.length() > STDERR_IN_LOG
            ? stderr.substring(stderr.length() - STDERR_IN_LOG)
            : stderr;
    log.warn(
        "run {} {} {} in {} ms ({} isolation): {}{}",
        record.id().shortForm(),
        record.script(),
        record.status(),
        record.durationMs(),
        record.isolation().label(),
        record.error().message(),
        tail.isEmpty() ? "" : "\n--- stderr tail ---\n" + tail.stripTrailing());
  }
}
