package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisibleTextTest {
  @Test
  void plainTextIsKeptAsItIs() {
    assertThat(VisibleText.safe("scripts/clean.py ü 日本")).isEqualTo("scripts/clean.py ü 日本");
    assertThat(VisibleText.oneLine("a\tb")).isEqualTo("a\tb");
  }

  @Test
  void controlBidiAndInvisibleCharactersAreShownAsEscapes() {
    assertThat(VisibleText.safe("a\u001b[2Jb\u007f\u0085\u202e\u200b\u2066\ufeff\u061c\u2028"))
        .isEqualTo("a\\x1b[2Jb\\x7f\\x85\\u202e\\u200b\\u2066\\ufeff\\u061c\\u2028");
  }

  @Test
  void aTerminalKeepsNewlinesButALogLineEscapesThem() {
    assertThat(VisibleText.safe("one\ntwo\r")).isEqualTo("one\ntwo\\x0d");
    assertThat(VisibleText.oneLine("one\ntwo\r")).isEqualTo("one\\x0atwo\\x0d");
  }

  @Test
  void charactersThatShowNothingAreShownAsEscapesToo() {
    // soft hyphen, Mongolian vowel separator, Hangul filler, tag characters (outside 16 bits)
    assertThat(VisibleText.oneLine("ci\u00ad\u180e\u3164x\uDB40\uDC41"))
        .isEqualTo("ci\\xad\\u180e\\u3164x\\U000e0041");
    assertThat(VisibleText.oneLine("\uD83D\uDE00 ok")).isEqualTo("\uD83D\uDE00 ok");
  }

  @Test
  void nullReadsAsNull() {
    assertThat(VisibleText.oneLine(null)).isEqualTo("null");
  }
}
