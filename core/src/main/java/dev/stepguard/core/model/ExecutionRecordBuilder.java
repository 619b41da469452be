package dev.stepguard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Builds an {@link ExecutionRecord} part by part, each named: what is not set stays null, zero or
 * false, {@code stderr} empty and {@code usage} {@link ResourceUsage#UNKNOWN}. {@link #build()}
 * checks the record's invariants.
 */
public final class ExecutionRecordBuilder {
  private ExecutionId id;
  private Status status;
  private String script;
  private JsonNode inputs;
  private JsonNode output;
  private Integer exitCode;
  private String signal;
  private String endedBy;
  private CancelRequest cancelledBy;
  private String stderr = "";
  private boolean stderrTruncated;
  private ErrorInfo error;
  private Instant startedAt;
  private Instant finishedAt;
  private long durationMs;
  private long timeoutMs;
  private Limits limits;
  private Isolation isolation;
  private Interpreter interpreter;
  private String scriptSha256;
  private long inputBytes;
  private long outputBytes;
  private ResourceUsage usage = ResourceUsage.UNKNOWN;
  private Requester requestedBy;
  private ProcessIdentity supervisor;
  private ProcessIdentity process;
  private String workflowRunId;
  private String stepId;

  ExecutionRecordBuilder() {}

  ExecutionRecordBuilder(ExecutionRecord r) {
    id = r.id();
    status = r.status();
    script = r.script();
    inputs = r.inputs();
    output = r.output();
    exitCode = r.exitCode();
    signal = r.signal();
    endedBy = r.endedBy();
    cancelledBy = r.cancelledBy();
    stderr = r.stderr();
    stderrTruncated = r.stderrTruncated();
    error = r.error();
    startedAt = r.startedAt();
    finishedAt = r.finishedAt();
    durationMs = r.durationMs();
    timeoutMs = r.timeoutMs();
    limits = r.limits();
    isolation = r.isolation();
    interpreter = r.interpreter();
    scriptSha256 = r.scriptSha256();
    inputBytes = r.inputBytes();
    outputBytes = r.outputBytes();
    usage = r.usage();
    requestedBy = r.requestedBy();
    supervisor = r.supervisor();
    process = r.process();
    workflowRunId = r.workflowRunId();
    stepId = r.stepId();
  }

  public ExecutionRecordBuilder id(ExecutionId value) {
    id = value;
    return this;
  }

  public ExecutionRecordBuilder status(Status value) {
    status = value;
    return this;
  }

  public ExecutionRecordBuilder script(String value) {
    script = value;
    return this;
  }

  public ExecutionRecordBuilder inputs(JsonNode value) {
    inputs = value;
    return this;
  }

  public ExecutionRecordBuilder output(JsonNode value) {
    output = value;
    return this;
  }

  public ExecutionRecordBuilder exitCode(Integer value) {
    exitCode = value;
    return this;
  }

  public ExecutionRecordBuilder signal(String value) {
    signal = value;
    return this;
  }

  public ExecutionRecordBuilder endedBy(String value) {
    endedBy = value;
    return this;
  }

  public ExecutionRecordBuilder cancelledBy(CancelRequest value) {
    cancelledBy = value;
    return this;
  }

  public ExecutionRecordBuilder stderr(String value) {
    stderr = value;
    return this;
  }

  public ExecutionRecordBuilder stderrTruncated(boolean value) {
    stderrTruncated = value;
    return this;
  }

  public ExecutionRecordBuilder error(ErrorInfo value) {
    error = value;
    return this;
  }

  public ExecutionRecordBuilder startedAt(Instant value) {
    startedAt = value;
    return this;
  }

  public ExecutionRecordBuilder finishedAt(Instant value) {
    finishedAt = value;
    return this;
  }

  public ExecutionRecordBuilder durationMs(long value) {
    durationMs = value;
    return this;
  }

  public ExecutionRecordBuilder timeoutMs(long value) {
    timeoutMs = value;
    return this;
  }

  public ExecutionRecordBuilder limits(Limits value) {
    limits = value;
    return this;
  }

  public ExecutionRecordBuilder isolation(Isolation value) {
    isolation = value;
    return this;
  }

  public ExecutionRecordBuilder interpreter(Interpreter value) {
    interpreter = value;
    return this;
  }

  public ExecutionRecordBuilder scriptSha256(String value) {
    scriptSha256 = value;
    return this;
  }

  public ExecutionRecordBuilder inputBytes(long value) {
    inputBytes = value;
    return this;
  }

  public ExecutionRecordBuilder outputBytes(long value) {
    outputBytes = value;
    return this;
  }

  public ExecutionRecordBuilder usage(ResourceUsage value) {
    usage = value;
    return this;
  }

  public ExecutionRecordBuilder requestedBy(Requester value) {
    requestedBy = value;
    return this;
  }

  public ExecutionRecordBuilder supervisor(ProcessIdentity value) {
    supervisor = value;
    return this;
  }

  public ExecutionRecordBuilder process(ProcessIdentity value) {
    process = value;
    return this;
  }

  public ExecutionRecordBuilder workflowRunId(String value) {
    workflowRunId = value;
    return this;
  }

  public ExecutionRecordBuilder stepId(String value) {
    stepId = value;
    return this;
  }

  /** The record; throws if a required part is missing or the parts contradict its status. */
  public ExecutionRecord build() {
    return new ExecutionRecord(
        id,
        status,
        script,
        inputs,
        output,
        exitCode,
        signal,
        endedBy,
        cancelledBy,
        stderr,
        stderrTruncated,
        error,
        startedAt,
        finishedAt,
        durationMs,
        timeoutMs,
        limits,
        isolation,
        interpreter,
        scriptSha256,
        inputBytes,
        outputBytes,
        usage,
        requestedBy,
        supervisor,
        process,
        workflowRunId,
        stepId);
  }
}
