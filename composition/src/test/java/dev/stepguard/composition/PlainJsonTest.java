package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line reads a handed-off run's record without Jackson, as Jackson would read it. */
class PlainJsonTest {
  private static Object value(String json) {
    return PlainJson.object("{\"v\": " + json + "}").get("v");
  }

  @Test
  void readsAnObjectsFieldsInTheirOrderWithPlainValues() {
    Map<String, Object> object =
        PlainJson.object(
            " {\"b\": true, \"a\": [1, \"x\", null, {}], \"c\": false, \"d\": {\"e\": []}} ");

    assertThat(object).containsOnlyKeys("b", "a", "c", "d");
    assertThat(new ArrayList<>(object.keySet())).containsExactly("b", "a", "c", "d");
    assertThat(object.get("b")).isEqualTo(Boolean.TRUE);
    assertThat(object.get("c")).isEqualTo(Boolean.FALSE);
    assertThat(object.get("a")).isEqualTo(Arrays.asList(BigInteger.ONE, "x", null, Map.of()));
    assertThat(object.get("d")).isEqualTo(Map.of("e", List.of()));
  }

  @Test
  void keepsARepeatedNameInItsFirstPlaceWithItsLastValueAsAJacksonTreeDoes() throws Exception {
    String json = "{\"a\": 1, \"b\": 2, \"a\": 3}";

    Map<String, Object> object = PlainJson.object(json);

    assertThat(new ArrayList<>(object.keySet())).containsExactly("a", "b");
    assertThat(object.get("a").toString())
        .isEqualTo(Json.reader().readTree(json).get("a").toString());
  }

  @Test
  void readsNumbersExactlyAsTheRecordReaderDoes() throws Exception {
    for (String number :
        List.of(
            "0",
            "-0",
            "7",
            "-2147483649",
            "123456789012345678901234567890",
            "1.50",
            "-0.0",
            "1e999999999",
            "1E+2",
            "2.5e-3",
            "1.0E10",
            "0.1")) {
      JsonNode jackson = Json.reader().readTree("{\"v\": " + number + "}").get("v");

      assertThat(value(number)).as(number).isInstanceOfAny(BigInteger.class, BigDecimal.class);
      assertThat(value(number).toString()).as(number).isEqualTo(jackson.toString());
    }
  }

  @Test
  void decodesEveryEscapeOfAString() {
    assertThat(value("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u202E \\ud83d\\ude00 \\ud800\""))
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t é\u202e \ud83d\ude00 \ud800");
    assertThat(value("\"ünïcode ✓ 😀\"")).isEqualTo("ünïcode ✓ 😀");
  }

  @Test
  void refusesWhatIsNotExactlyOneJsonObject() {
    for (String malformed :
        List.of(
            "",
            "[]",
            "\"text\"",
            "{",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "{a: 1}",
            "{\"a\": 1} x",
            "{\"a\": 1}{}",
            "{\"a\": [1 2]}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": .5}",
            "{\"a\": 1e}",
            "{\"a\": -}",
            "{\"a\": tru}",
            "{\"a\": \"tab\tinside\"}",
            "{\"a\": \"open}",
            "{\"a\": \"\\x41\"}",
            "{\"a\": \"\\u12\"}",
            "{\"a\": \"\\u12G4\"}",
            "{\"a\": \"\\",
            "{\"a\": ",
            "{\"a\": NaN}")) {
      assertThatThrownBy(() -> PlainJson.object(malformed))
          .as(malformed)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("malformed JSON");
    }
  }

  @Test
  void anEndedAnswerGivesItsRecordAsPlainFieldsOrAsAJacksonTree() {
    HandOff.Answer.Ended ended =
        new HandOff.Answer.Ended(List.of(), "{\"status\": \"SUCCEEDED\", \"durationMs\": 41}");
    HandOff.Answer.Ended garbled = new HandOff.Answer.Ended(List.of(), "{\"status\": ");

    assertThat(ended.fields()).containsEntry("status", "SUCCEEDED");
    assertThat(ended.record().path("durationMs").asLong()).isEqualTo(41);
    assertThatThrownBy(garbled::fields).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(garbled::record).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void refusesNestingDeeperThanJacksonReads() {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    String shallower = "[".repeat(998) + "]".repeat(998);

    assertThatThrownBy(() -> value(deep)).hasMessageContaining("nested deeper");
    assertThat(value(shallower)).isInstanceOf(List.class);
  }
}
