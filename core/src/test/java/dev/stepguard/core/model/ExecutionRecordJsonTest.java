package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.fixtures.SampleRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins the JSON of the records, byte for byte, as {@code stepguard run --json} and {@code history
 * show --json} print them (and of a summary, as {@code history list --json} prints its items)
 * ({@code Json.writer()} with the default pretty printer): a renamed, reordered, added or dropped
 * field fails here. To regenerate after a deliberate contract change, run with {@code
 * -Dgolden.update=true} and review the diff of {@code src/test/resources/golden}.
 */
class ExecutionRecordJsonTest {
  private static final ExecutionId ID = new ExecutionId("0c6f6e5e-8d0a-4c55-9a8e-2b7d3f1a9c01");
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:02.500Z");

  @ParameterizedTest
  @EnumSource(Status.class)
  void recordOfEachStatusKeepsItsJsonShape(Status status) {
    assertGolden("execution-" + status.name().toLowerCase(Locale.ROOT) + ".json", record(status));
  }

  @Test
  void recordRefusedBeforeLaunchKeepsItsJsonShape() {
    ExecutionRecord running = SampleRecords.running("../outside.py", STARTED);
    ExecutionRecord rejected =
        ExecutionRecord.builder()
            .id(ID)
            .status(Status.REJECTED)
            .script("../outside.py")
            .inputs(JsonNodeFactory.instance.objectNode())
            .error(new ErrorInfo("PATH_OUTSIDE_PROJECT", "../outside.py was REJECTED: stay inside"))
            .startedAt(STARTED)
            .finishedAt(STARTED)
            .timeoutMs(running.timeoutMs())
            .limits(running.limits())
            .isolation(Isolation.PROCESS)
            .inputBytes(2)
            .requestedBy(Requester.http("ci-token"))
            .build();
    assertGolden("execution-refused-before-launch.json", rejected);
  }

  @Test
  void summaryOfAListingKeepsItsJsonShape() {
    assertGolden("execution-summary.json", ExecutionSummary.of(record(Status.FAILED)));
  }

  @Test
  void workflowRunKeepsItsJsonShape() {
    WorkflowRun run =
        new WorkflowRun(
            "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
            "flows/greet.yaml",
            "cd".repeat(32),
            "greet",
            JsonNodeFactory.instance.objectNode().put("name", "Ada"),
            Status.FAILED,
            "shout",
            List.of(
                new StepRun("load", ID, Status.SUCCEEDED),
                new StepRun("shout", ID, Status.FAILED),
                new StepRun("store", null, Status.RUNNING)),
            null,
            new ErrorInfo("STEP_FAILED", "step shout FAILED: fix it"),
            STARTED,
            STARTED.plusMillis(90),
            Requester.cli("ada"),
            new ProcessIdentity("test-host", 4242, STARTED, null, null));
    assertGolden("workflow-run.json", run);
  }

  private static ExecutionRecord record(Status status) {
    ExecutionRecord running =
        SampleRecords.running(
            ID, "scripts/x.py", STARTED, status == Status.REJECTED ? null : "wf-1");
    return status == Status.RUNNING ? running : SampleRecords.closed(running, status);
  }

  private static void assertGolden(String name, Object value) {
    String json = pretty(value);
    Path source = Path.of("src/test/resources/golden", name);
    if (Boolean.getBoolean("golden.update")) {
      write(source, json);
    }
    assertThat(json).as("JSON of %s", name).isEqualTo(read(source));
  }

  private static String pretty(Object value) {
    try {
      return Json.writer().withDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String json) {
    try {
      Files.writeString(file, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
