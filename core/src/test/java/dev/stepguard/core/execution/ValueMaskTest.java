package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueMaskTest {
  private static JsonNode json(String text) throws Exception {
    return Json.reader().readTree(text);
  }

  @Test
  void masksEveryOccurrenceOfAValueInsideLongerText() {
    ValueMask mask = ValueMask.of(List.of("s3cr3t-value"));

    assertThat(mask.mask("Basic s3cr3t-value; again:s3cr3t-values"))
        .isEqualTo("Basic [REDACTED]; again:[REDACTED]s");
  }

  @Test
  void leavesValuesShorterThanTheThresholdAndBlankOnesAlone() {
    ValueMask mask = ValueMask.of(List.of("abc", "x", "    ", "\t\n\t\n"));

    assertThat(ValueMask.MIN_LENGTH).isEqualTo(4);
    assertThat(mask.mask("abc x     \t\n\t\n")).isEqualTo("abc x     \t\n\t\n");
    assertThat(ValueMask.of(List.of("abcd")).mask("abcd")).isEqualTo("[REDACTED]");
  }

  @Test
  void prefersTheLongestValueWhereTwoStartAtTheSamePlace() {
    ValueMask mask = ValueMask.of(List.of("abcd", "abcdefgh"));

    assertThat(mask.mask("abcdefgh abcd")).isEqualTo("[REDACTED] [REDACTED]");
  }

  @Test
  void masksTheFormsAValueTakesInsideJsonText() {
    String value = "pa\"ss\\wörd\n";
    ValueMask mask = ValueMask.of(List.of(value));

    assertThat(mask.mask("jackson: {\"a\":\"pa\\\"ss\\\\wörd\\n\"}"))
        .isEqualTo("jackson: {\"a\":\"[REDACTED]\"}");
    assertThat(mask.mask("python: {\"a\": \"pa\\\"ss\\\\w\\u00f6rd\\n\"}"))
        .isEqualTo("python: {\"a\": \"[REDACTED]\"}");
    assertThat(mask.mask("upper: pa\\\"ss\\\\w\\u00F6rd\\n")).isEqualTo("upper: [REDACTED]");
  }

  @Test
  void escapesControlCharactersAsJsonDoes() {
    assertThat(ValueMask.escaped("a\tb\rc\bd\fe\u0001", false, true))
        .isEqualTo("a\\tb\\rc\\bd\\fe\\u0001");
    assertThat(ValueMask.escaped("\u007f\u00e9", true, false)).isEqualTo("\\u007F\\u00E9");
  }

  @Test
  void masksStringsNumbersAndKeysOfATreeButNotBooleans() throws Exception {
    ValueMask mask = ValueMask.of(List.of("12345678", "s3cr3t-value", "true"));
    JsonNode tree =
        json(
            "{\"n\": 12345678, \"s\": \"x s3cr3t-value\", \"s3cr3t-value\": [true, 7, null],"
                + " \"ok\": \"fine\"}");

    assertThat(mask.mask(tree).toString())
        .isEqualTo(
            "{\"n\":\"[REDACTED]\",\"s\":\"x [REDACTED]\",\"[REDACTED]\":[true,7,null],"
                + "\"ok\":\"fine\"}");
    assertThat(tree.get("n").asInt()).isEqualTo(12345678);
  }

  @Test
  void passesEverythingThroughWhenThereIsNothingToMask() throws Exception {
    ValueMask mask = ValueMask.of(List.of("ab"));
    JsonNode tree = json("{\"a\": \"ab\"}");

    assertThat(mask.mask(tree)).isSameAs(tree);
    assertThat(mask.mask((String) null)).isNull();
    assertThat(ValueMask.of(List.of("abcd")).mask((JsonNode) null)).isNull();
  }
}
