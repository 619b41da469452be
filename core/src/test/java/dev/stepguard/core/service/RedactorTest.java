package dev.stepguard.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.util.List;
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
  void refusesAWordWithoutLettersOrDigits() {
    assertThatThrownBy(() -> new Redactor(List.of("--")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
