package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static JsonNode json(String text) throws Exception {
    return Json.reader().readTree(text);
  }

  @Test
  void redactsSecretKeysAtAnyDepthWhateverTheirSpelling() throws Exception {
    JsonNode redacted =
        Redactor.defaults()
            .redact(
                json(
                    "{\"db_password\": \"p\", \"nested\": [{\"apiKey\": 1}, {\"X-API-KEY\": {\"a\":"
                        + " 1}}], \"accessToken\": null, \"Client_Secret\": [1], \"name\": \"ok\"}"));

    assertThat(redacted.toString())
        .isEqualTo(
            "{\"db_password\":\"[REDACTED]\",\"nested\":[{\"apiKey\":\"[REDACTED]\"},"
                + "{\"X-API-KEY\":\"[REDACTED]\"}],\"accessToken\":\"[REDACTED]\","
                + "\"Client_Secret\":\"[REDACTED]\",\"name\":\"ok\"}");
  }

  @Test
  void leavesTheGivenTreeUntouched() throws Exception {
    JsonNode input = json("{\"token\": \"t\"}");

    Redactor.defaults().redact(input);

    assertThat(input.get("token").asText()).isEqualTo("t");
  }

  @Test
  void usesOnlyTheConfiguredWords() throws Exception {
    Redactor redactor = new Redactor(List.of("pin"));

    assertThat(redactor.redact(json("{\"PIN\": 1234, \"password\": \"p\"}")).toString())
        .isEqualTo("{\"PIN\":\"[REDACTED]\",\"password\":\"p\"}");
  }

  @Test
  void passesNullAndScalarsThrough() throws Exception {
    assertThat(Redactor.defaults().redact((JsonNode) null)).isNull();
    assertThat(Redactor.defaults().redact(json("3")).asInt()).isEqualTo(3);
  }

  @Test
  void catchesPasswdAndAuthorizationByDefault() throws Exception {
    assertThat(
            Redactor.defaults()
                .redact(json("{\"db_passwd\": \"p\", \"Authorization\": \"Bearer x\"}"))
                .toString())
        .isEqualTo("{\"db_passwd\":\"[REDACTED]\",\"Authorization\":\"[REDACTED]\"}");
  }

  @Test
  void findsLongEnoughStringsAndNumbersUnderSecretNamesAtAnyDepth() throws Exception {
    JsonNode node =
        json(
            "{\"token\": \"s3cr3t-value\", \"pin_secret\": 12345678, \"short_token\": \"abc\","
                + " \"password\": {\"old\": \"hunter22\", \"flags\": [true, null]},"
                + " \"list\": [{\"api_key\": \"k-1234\"}], \"note\": \"not-a-secret\"}");

    assertThat(Redactor.defaults().secretValues(node))
        .containsExactly("s3cr3t-value", "12345678", "hunter22", "k-1234");
    assertThat(Redactor.defaults().secretValues(null)).isEmpty();
  }

  @Test
  void masksAValueSeenUnderASecretNameInEveryStoredPartOfTheRecord() throws Exception {
    ExecutionRecord record =
        SampleRecords.closed(SampleRecords.running("x.py", Instant.EPOCH), Status.FAILED)
            .withStoredText(
                json("{\"token\": \"s3cr3t-value\", \"note\": \"s3cr3t-value\"}"),
                json("{\"echo\": \"Basic s3cr3t-value\"}"),
                "got s3cr3t-value\n",
                new ErrorInfo("EXIT_NONZERO", "x.py FAILED: s3cr3t-value"));

    ExecutionRecord stored = Redactor.defaults().redact(record);

    assertThat(stored.inputs().toString())
        .isEqualTo("{\"token\":\"[REDACTED]\",\"note\":\"[REDACTED]\"}");
    assertThat(stored.output().toString()).isEqualTo("{\"echo\":\"Basic [REDACTED]\"}");
    assertThat(stored.stderr()).isEqualTo("got [REDACTED]\n");
    assertThat(stored.error()).isEqualTo(new ErrorInfo("EXIT_NONZERO", "x.py FAILED: [REDACTED]"));
  }

  @Test
  void masksTheValuesTheCallerKnowsAreSecretWhateverKeyCarriesThem() throws Exception {
    ExecutionRecord record =
        SampleRecords.running("x.py", Instant.EPOCH)
            .withStoredText(json("{\"auth\": \"Basic hunter22\"}"), null, "hunter22", null);

    ExecutionRecord stored = Redactor.defaults().redact(record, Set.of("hunter22"));

    assertThat(stored.inputs().toString()).isEqualTo("{\"auth\":\"Basic [REDACTED]\"}");
    assertThat(stored.stderr()).isEqualTo("[REDACTED]");
    assertThat(stored.error()).isNull();
  }

  @Test
  void masksSecretValuesInTheWorkflowRunsInputsOutputAndError() throws Exception {
    WorkflowRun run =
        new WorkflowRun(
            "w1",
            "flow.yaml",
            "0".repeat(64),
            "flow",
            json("{\"password\": \"s3cr3t-value\"}"),
            Status.FAILED,
            "a",
            List.of(),
            json("{\"said\": \"s3cr3t-value\"}"),
            new ErrorInfo("EXIT_NONZERO", "hunter22 and s3cr3t-value"),
            Instant.EPOCH,
            Instant.EPOCH,
            Requester.cli("ada"),
            null);

    WorkflowRun stored = Redactor.defaults().redactRun(run, Set.of("hunter22"));

    assertThat(stored.inputs().toString()).isEqualTo("{\"password\":\"[REDACTED]\"}");
    assertThat(stored.output().toString()).isEqualTo("{\"said\":\"[REDACTED]\"}");
    assertThat(stored.error().message()).isEqualTo("[REDACTED] and [REDACTED]");
    assertThat(Redactor.defaults().redactRun(run).error().message())
        .isEqualTo("hunter22 and [REDACTED]");
  }

  @Test
  void leavesShortSecretValuesVisibleElsewhere() throws Exception {
    ExecutionRecord record =
        SampleRecords.running("x.py", Instant.EPOCH)
            .withStoredText(json("{\"token\": \"abc\", \"note\": \"abc\"}"), null, "abc", null);

    ExecutionRecord stored = Redactor.defaults().redact(record);

    assertThat(stored.inputs().toString()).isEqualTo("{\"token\":\"[REDACTED]\",\"note\":\"abc\"}");
    assertThat(stored.stderr()).isEqualTo("abc");
  }

  @Test
  void refusesAWordWithoutLettersOrDigits() {
    assertThatThrownBy(() -> new Redactor(List.of("--")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
