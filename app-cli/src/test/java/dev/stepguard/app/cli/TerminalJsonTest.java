package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.composition.HandOff;
import dev.stepguard.core.model.Json;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A handed-off run's output is printed without Jackson exactly as {@link Printable#json} prints it
 * after Jackson read it: the same bytes on stdout for the same record.
 */
class TerminalJsonTest {
  /** {@code json} printed both ways: without Jackson, and through it. */
  private static void printsAsJackson(String json) throws Exception {
    Object plain = new HandOff.Answer.Ended(List.of(), "{\"v\": " + json + "}").fields().get("v");

    assertThat(TerminalJson.of(plain))
        .as(json)
        .isEqualTo(Printable.json(Json.reader().readTree("{\"v\": " + json + "}").get("v")));
  }

  @Test
  void writesStructuresNumbersAndLiteralsAsJackson() throws Exception {
    for (String json :
        List.of(
            "{}",
            "[]",
            "null",
            "true",
            "{\"a\": [1, -0, 2.50, 1e999999999, 1E+2, -1.0e-7, 12345678901234567890123],"
                + " \"b\": {\"c\": null, \"d\": false}, \"e\": [[], {}, [null]]}",
            "{\"a\": 1, \"a\": 2, \"b\": 3}",
            "\"\"")) {
      printsAsJackson(json);
    }
  }

  @Test
  void escapesEveryCharacterATerminalWouldActOnAsJacksonWithTheTerminalEscapes() throws Exception {
    StringBuilder all = new StringBuilder("\"");
    for (char c = 0; c < 0x3200; c++) {
      if (c == '"' || c == '\\') {
        all.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        all.append(String.format("\\u%04x", (int) c));
      } else {
        all.append(c);
      }
    }
    printsAsJackson(all.append('"').toString());
    printsAsJackson(
        "\"\\ufeff\\uffa0 \\ud83d\\ude00 \\udb40\\udc41 \\ud800 x\\udc00 \u00ad\u061c\u180e\"");
    printsAsJackson("{\"\\u001b[31mred\\u202e\": \"\\u009b\u2066\"}");
  }

  @Test
  void writesRandomTextAsJackson() throws Exception {
    Random random = new Random(14);
    char[] pool =
        "ab\"\\/\b\f\n\r\t\u0000\u001b\u007f\u0085\u009b\u00e9\u200b\u202e\u2028\ufeff✓"
            .toCharArray();
    for (int i = 0; i < 200; i++) {
      StringBuilder text = new StringBuilder("[\"");
      for (int n = random.nextInt(30); n > 0; n--) {
        char c = pool[random.nextInt(pool.length)];
        text.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : c);
      }
      printsAsJackson(text.append("\", ").append(random.nextInt()).append("]").toString());
    }
  }
}
