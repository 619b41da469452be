package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonObjectReaderTest {
  private final JsonObjectReader reader = new JsonObjectReader(200, 10 * 1024 * 1024);

  private JsonObjectReader.Result read(String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8));
  }

  private String problemOf(byte[] bytes) {
    JsonObjectReader.Result result = reader.read(bytes);
    assertThat(result).isInstanceOf(JsonObjectReader.Result.Invalid.class);
    return ((JsonObjectReader.Result.Invalid) result).problem();
  }

  private String problemOf(String text) {
    return problemOf(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsOneObjectWithTrailingWhitespace() {
    JsonObjectReader.Result result = read("  {\"a\": [1, {\"b\": null}]}\n\t ");

    assertThat(result).isInstanceOf(JsonObjectReader.Result.Parsed.class);
    assertThat(((JsonObjectReader.Result.Parsed) result).object().get("a").size()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|is not valid JSON",
        "[1,2]|it starts with an array",
        "\"text\"|it starts with a string",
        "42|it starts with a number",
        "true|it starts with a boolean",
        "null|it starts with null",
        "{}{}|more after the JSON object: another object",
        "{} 1|more after the JSON object: a number",
        "{\"a\": 1|is not valid JSON",
        "{\"a\": 1, \"a\": 2}|a key appears twice"
      })
  void saysWhatIsWrongWithOutputThatIsNotExactlyOneObject(String text, String expected) {
    assertThat(problemOf(text)).contains(expected).contains("byte");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"password\": Basic s3cr3t-value}",
        "{\"token\": 's3cr3t-value'}",
        "{s3cr3t-value: 1}",
        "{\"s3cr3t-value\": 1, \"s3cr3t-value\": 2}",
        "{\"a\": \"s3cr3t-value\\q\"}",
        "{\"a\": \"s3cr3t-value",
        "{\"a\": s3cr3t-value]",
        "{\"a\": 1 s3cr3t-value}"
      })
  void neverQuotesTheTextItCouldNotParse(String text) {
    assertThat(problemOf(text)).contains("is not valid JSON", "at byte").doesNotContain("s3cr3t");
  }

  @Test
  void explainsAParserMessageItDoesNotKnowWithoutQuotingIt() {
    assertThat(JsonProblems.meaning(null)).isEqualTo("an unexpected character");
    assertThat(JsonProblems.meaning("Something new 'x'")).isEqualTo("an unexpected character");
  }

  @Test
  void saysWhereTextAfterTheObjectStarts() {
    assertThat(problemOf("{\"a\": 1}\ndone\n"))
        .isEqualTo(
            "has text after the JSON object at byte 9 (line 2, column 1); print exactly one object");
  }

  @Test
  void saysWhereExtraDataStarts() {
    assertThat(problemOf("{\"a\":1}  {}")).contains("at byte 9");
  }

  @Test
  void refusesEmptyAndBlankOutput() {
    assertThat(problemOf("")).contains("is empty");
    assertThat(problemOf(" \n")).contains("is empty");
  }

  @Test
  void refusesBytesThatAreNotUtf8AndSaysWhich() {
    byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};

    assertThat(problemOf(bytes)).contains("not valid UTF-8", "0xFF", "offset 6");
  }

  @Test
  void refusesOverlongUtf8Encodings() {
    byte[] bytes = {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'};

    assertThat(problemOf(bytes)).contains("offset 2");
  }

  @Test
  void refusesATruncatedMultibyteSequenceAtTheEnd() {
    byte[] bytes = {'{', '}', (byte) 0xe2, (byte) 0x82};

    assertThat(problemOf(bytes)).contains("not valid UTF-8");
  }

  @Test
  void refusesDeepNestingWithoutOverflowingTheStack() {
    String deepArray = "[".repeat(100_000);
    String deepObject = "{\"a\":".repeat(100_000);

    assertThat(problemOf(deepArray)).contains("not a JSON object");
    assertThat(problemOf(deepObject)).contains("nested deeper than 200");
  }

  @Test
  void saysWhichLimitADocumentBrokeInPlainWordsNotTheParsersNames() {
    String deepObject = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
    String longNumber = "{\"n\": " + "9".repeat(5_000) + "}";

    assertThat(problemOf(deepObject))
        .isEqualTo("is nested deeper than 200 levels")
        .doesNotContain("StreamReadConstraints");
    assertThat(problemOf(longNumber)).contains("number longer than").doesNotContain("Constraints");
  }

  @Test
  void acceptsNestingUpToTheLimit() {
    String nested = "{\"a\":".repeat(199) + "1" + "}".repeat(199);

    assertThat(read(nested)).isInstanceOf(JsonObjectReader.Result.Parsed.class);
  }

  @Test
  void findsNoProblemInValidUtf8() {
    assertThat(JsonObjectReader.firstMalformedUtf8("héllo ✓ 𝄞".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
  }

  @Test
  void findsMalformedUtf8PastTheFirstBuffer() {
    byte[] bytes = new byte[20_000];
    java.util.Arrays.fill(bytes, (byte) 'a');
    bytes[19_000] = (byte) 0x80;

    assertThat(JsonObjectReader.firstMalformedUtf8(bytes)).isEqualTo(19_000);
  }

  @Test
  void sharesOneReaderPerSetOfLimits() {
    assertThat(JsonObjectReader.of(200, 1024)).isSameAs(JsonObjectReader.of(200, 1024));
    assertThat(JsonObjectReader.of(200, 1024)).isNotSameAs(JsonObjectReader.of(100, 1024));
    for (int i = 0; i < 100; i++) {
      assertThat(JsonObjectReader.of(i + 1, 1024)).isNotNull();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1e999999999|1E+999999999",
        "-1e999999999|-1E+999999999",
        "1e-999999999|1E-999999999",
        "123456789012345678901234567890123|123456789012345678901234567890123",
        "0.1000000000000000055511151231257827|0.1000000000000000055511151231257827",
        "1.50|1.50",
        "100|100",
        "2.5e3|2.5E+3",
        "0.1|0.1"
      })
  void numbersAreKeptExactlyNeverRoundedToADoubleOrInfinity(String written, String kept)
      throws Exception {
    JsonObjectReader.Result result = read("{\"n\": " + written + "}");

    assertThat(result).isInstanceOf(JsonObjectReader.Result.Parsed.class);
    com.fasterxml.jackson.databind.node.ObjectNode object =
        ((JsonObjectReader.Result.Parsed) result).object();
    assertThat(object.toString()).isEqualTo("{\"n\":" + kept + "}");
    assertThat(dev.stepguard.core.model.Json.reader().readTree(object.toString()).toString())
        .as("read back from a stored record")
        .isEqualTo(object.toString());
  }

  @Test
  void aNumberLongerThanTheCapIsRefusedInPlainWords() {
    String digits = "9".repeat(JsonObjectReader.MAX_NUMBER_LENGTH + 1);

    assertThat(problemOf("{\"n\": " + digits + "}"))
        .startsWith("has a number longer than 1000 characters at byte")
        .endsWith("; send it as a string")
        .doesNotContain("999");
    assertThat(problemOf("{\"n\": 0." + digits + "}"))
        .startsWith("has a number longer than 1000 characters");
    assertThat(read("{\"n\": " + "9".repeat(1000) + "}"))
        .isInstanceOf(JsonObjectReader.Result.Parsed.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e99999999999", "1e-99999999999", "-1.5E+12345678901"})
  void aNumberNoValueCanHoldIsRefusedWithoutQuotingIt(String written) {
    assertThat(problemOf("{\"n\": " + written + "}"))
        .isEqualTo(
            "has a number too large or too small for any value (an exponent of 10 digits or more)"
                + " at byte 6 (line 1, column 7)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "Infinity", "-Infinity"})
  void nonStandardNumbersAreNotJson(String written) {
    assertThat(problemOf("{\"n\": " + written + "}")).startsWith("is not valid JSON: ");
  }
}
