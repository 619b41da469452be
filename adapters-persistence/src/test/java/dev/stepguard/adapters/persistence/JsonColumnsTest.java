package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import org.junit.jupiter.api.Test;

class JsonColumnsTest {
  private static JsonNode parsed(String json) throws Exception {
    return Json.reader().readTree(json);
  }

  @Test
  void writesCharactersBeyondTheBasicPlaneAsThemselves() throws Exception {
    JsonNode value = parsed("{\"text\": \"\\ud83d\\ude00 \u65e5\u672c \u00fc\"}");

    assertThat(JsonColumns.text(value))
        .isEqualTo("{\"text\":\"\ud83d\ude00 \u65e5\u672c \u00fc\"}");
  }

  @Test
  void writesALoneHalfOfASurrogatePairAsItsEscapeAndReadsItBack() throws Exception {
    JsonNode value = parsed("{\"text\": \"a\\ud800b\\udc00\"}");

    String text = JsonColumns.text(value);

    assertThat(text).isEqualTo("{\"text\":\"a\\uD800b\\uDC00\"}");
    assertThat(JsonColumns.tree(text)).isEqualTo(value);
  }

  @Test
  void keepsNullAsNull() {
    assertThat(JsonColumns.text(null)).isNull();
    assertThat(JsonColumns.tree(null)).isNull();
  }
}
