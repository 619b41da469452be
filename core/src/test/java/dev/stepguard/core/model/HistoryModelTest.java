package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryModelTest {
  @Test
  void globsMatchAnyRunWithStarAndOneCharacterWithQuestionMark() {
    ScriptGlob glob = new ScriptGlob("etl/*_v?.py");

    assertThat(glob.matches("etl/load/orders_v2.py")).isTrue();
    assertThat(glob.matches("etl/orders_v12.py")).isFalse();
    assertThat(glob.matches("etl/ordersXv2.py")).isFalse();
    assertThat(new ScriptGlob("a(b).py").matches("a(b).py")).isTrue();
  }

  @Test
  void globsEscapeWhatLikeWouldTreatAsWildcards() {
    assertThat(new ScriptGlob("a_%\\*?.py").likePattern()).isEqualTo("a\\_\\%\\\\%_.py");
  }

  @Test
  void globsMustNotBeEmpty() {
    assertThatThrownBy(() -> new ScriptGlob("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void globsTakeAFewStarsAndAShortPatternSoThatMatchingCannotRunAway() {
    assertThat(new ScriptGlob("**/a*b*.py").pattern()).isEqualTo("*/a*b*.py");
    assertThatThrownBy(() -> new ScriptGlob("*a*a*a*b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 3 '*'");
    assertThatThrownBy(() -> new ScriptGlob("a".repeat(ScriptGlob.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 256 characters");
  }

  @Test
  void cursorsSurviveTheirTextForm() {
    HistoryCursor cursor =
        new HistoryCursor(Instant.parse("2026-01-01T00:00:00.123Z"), ExecutionId.random());

    assertThat(HistoryCursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void cursorsRefuseTextTheyDidNotMake() {
    assertThatThrownBy(() -> HistoryCursor.decode("not a cursor"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a history cursor");
    assertThatThrownBy(() -> HistoryCursor.decode("MTIz"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void filtersRefuseLimitsOutOfRange() {
    assertThatThrownBy(() -> HistoryFilter.all(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HistoryFilter.all(HistoryFilter.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void identitiesAndRequestersNeedTheirParts() {
    assertThatThrownBy(() -> new ProcessIdentity("h", 0, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Requester.http(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Requester.Channel.parse("http")).isEqualTo(Requester.Channel.HTTP);
    assertThat(Requester.cli("ada").channel().label()).isEqualTo("cli");
  }
}
