package dev.stepguard.app.http;

import dev.stepguard.core.model.ExecutionRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run as a listing shows it: what happened and how big it was, never its inputs, output or stderr
 * (a single run's route has those).
 */
final class Summaries {
  private Summaries() {}

  static Map<String, Object> of(ExecutionRecord record) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("id", record.id().value());
    summary.put("status", record.status().name());
    summary.put("script", record.script());
    summary.put("startedAt", record.startedAt());
    summary.put("finishedAt", record.finishedAt());
    summary.put("durationMs", record.durationMs());
    summary.put("exitCode", record.exitCode());
    summary.put("error", record.error());
    summary.put("inputBytes", record.inputBytes());
    summary.put("outputBytes", record.outputBytes());
    summary.put("stderrBytes", record.stderr().getBytes(StandardCharsets.UTF_8).length);
    summary.put("requestedBy", record.requestedBy());
    summary.put("workflowRunId", record.workflowRunId());
    summary.put("stepId", record.stepId());
    return summary;
  }
}
