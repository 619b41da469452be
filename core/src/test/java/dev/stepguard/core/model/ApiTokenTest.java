package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokens: labels that read as what they are, hashes only, comparisons that leak no timing. */
class ApiTokenTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void generatesRecognisableUrlSafeTokensWith256RandomBits() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String token = ApiTokens.generate();
      assertThat(token).startsWith("sg_").matches("sg_[A-Za-z0-9_-]{43}");
      seen.add(token);
    }
    assertThat(seen).hasSize(200);
  }

  @Test
  void hashesWithSha256InLowercaseHex() {
    assertThat(ApiTokens.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void matchesOnlyTheTokenTheStoredHashWasMadeFrom() {
    String token = ApiTokens.generate();
    ApiToken stored = new ApiToken("ci", TokenScope.RUN, ApiTokens.sha256Hex(token), T0);

    assertThat(ApiTokens.matches(token, stored)).isTrue();
    assertThat(ApiTokens.matches(token + "x", stored)).isFalse();
    assertThat(ApiTokens.matches("", stored)).isFalse();
    assertThat(ApiTokens.matches(null, stored)).isFalse();
    assertThat(ApiTokens.matches(stored.sha256Hex(), stored)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "two words",
        "tab\there",
        "new\nline",
        "nul\u0000",
        "bidi\u202Eevil",
        "zero\u200Bwidth",
        "nbsp\u00A0x",
        "private\uE000"
      })
  void refusesLabelsThatAreEmptyOrNotPlainlyPrintable(String label) {
    assertThatThrownBy(() -> new ApiToken(label, TokenScope.READ, "a".repeat(64), T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a token label must");
  }

  @Test
  void acceptsLabelsUpTo64PrintableCharacters() {
    String longest = "é".repeat(ApiToken.MAX_LABEL);

    assertThat(new ApiToken(longest, TokenScope.RUN, "0".repeat(64), T0).label())
        .isEqualTo(longest);
    assertThat(new ApiToken("ci/deploy@prod:1", TokenScope.RUN, "0".repeat(64), T0).label())
        .isEqualTo("ci/deploy@prod:1");
    assertThatThrownBy(() -> new ApiToken(longest + "x", TokenScope.RUN, "0".repeat(64), T0))
        .hasMessage("a token label must have 1 to 64 characters, was 65");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CI",
        "c\u0456",
        "ci\u3164",
        "ci\u115F",
        "\u0441i",
        "caf\u00e9",
        "-ci",
        ".hidden",
        "ci\uFF0D2",
        "ci\u2010runner"
      })
  void refusesNewLabelsThatCouldLookLikeAnother(String label) {
    assertThatThrownBy(() -> ApiToken.checkNewLabel(label))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a new token label must be lowercase letters a-z");
  }

  @Test
  void acceptsNewLabelsOfLowercaseAsciiDigitsAndPlainSymbols() {
    for (String label : new String[] {"ci", "ci-2", "deploy@prod:1", "team/ci.runner_2+x", "0"}) {
      ApiToken.checkNewLabel(label);
    }
    assertThatThrownBy(() -> ApiToken.checkNewLabel("CI"))
        .hasMessageEndingWith("U+0043 ('C') at position 1 is not allowed");
    assertThatThrownBy(() -> ApiToken.checkNewLabel("c\u0456"))
        .hasMessageEndingWith("U+0456 at position 2 is not allowed");
  }

  @Test
  void findsAStoredLabelThatDiffersInCaseOnly() {
    ApiToken old = new ApiToken("CI", TokenScope.RUN, "0".repeat(64), T0);
    ApiToken other = new ApiToken("ci-2", TokenScope.RUN, "1".repeat(64), T0);

    assertThat(ApiTokens.lookingAlike("ci", List.of(other, old))).contains(old);
    assertThat(ApiTokens.lookingAlike("ci-2", List.of(other, old))).isEmpty();
    assertThat(ApiTokens.lookingAlike("cd", List.of(other, old))).isEmpty();
  }

  @Test
  void refusesAnythingButA64DigitLowercaseHexHash() {
    for (String hash : new String[] {"", "abc", "g".repeat(64), "A".repeat(64), "0".repeat(65)}) {
      assertThatThrownBy(() -> new ApiToken("ci", TokenScope.RUN, hash, T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a token's SHA-256 must be 64 lowercase hex digits");
    }
  }

  @Test
  void writesLabelScopeAndTimeAsJsonButNeverTheHash() throws Exception {
    ApiToken token = new ApiToken("audit", TokenScope.READ, "f".repeat(64), T0);

    JsonNode json = Json.reader().readTree(Json.writer().writeValueAsString(token));

    assertThat(json.toString())
        .isEqualTo(
            "{\"label\":\"audit\",\"scope\":\"read\",\"createdAt\":\"2026-03-01T10:00:00Z\","
                + "\"revokedAt\":null}");
    assertThat(Json.writer().writeValueAsString(token.revokedAt(T0.plusSeconds(1))))
        .contains("\"revokedAt\":\"2026-03-01T10:00:01Z\"")
        .doesNotContain("revoked\"", "ffff");
  }

  @Test
  void scopesHaveLabelsAndOnlyRunMayRun() {
    assertThat(TokenScope.parse("run")).isEqualTo(TokenScope.RUN);
    assertThat(TokenScope.parse("read")).isEqualTo(TokenScope.READ);
    assertThat(TokenScope.RUN.mayRun()).isTrue();
    assertThat(TokenScope.READ.mayRun()).isFalse();
    assertThatThrownBy(() -> TokenScope.parse("RUN"))
        .hasMessage("'RUN' is not a token scope: use 'run' or 'read'");
  }
}
