package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoneSurrogatesTest {
  private static final String EMOJI = "\ud83d\ude00";

  private static String through(String... writes) throws Exception {
    StringWriter target = new StringWriter();
    try (LoneSurrogates writer = new LoneSurrogates(target)) {
      for (String text : writes) {
        writer.write(text);
      }
    }
    return target.toString();
  }

  @Test
  void writesALoneHalfOfAPairAsItsEscape() throws Exception {
    assertThat(through("a\ud800b")).isEqualTo("a\\ud800b");
    assertThat(through("a\udc00b")).isEqualTo("a\\udc00b");
    assertThat(through("\ud800\ud801" + EMOJI)).isEqualTo("\\ud800\\ud801" + EMOJI);
    assertThat(through("\udc00\ud800")).isEqualTo("\\udc00\\ud800");
  }

  @Test
  void passesPairsAndOtherTextAsTheyAre() throws Exception {
    assertThat(through("plain é ü " + EMOJI + "\n")).isEqualTo("plain é ü " + EMOJI + "\n");
  }

  @Test
  void keepsAPairSplitBetweenTwoWrites() throws Exception {
    assertThat(through("x\ud83d", "\ude00y")).isEqualTo("x" + EMOJI + "y");
  }

  @Test
  void writesAHighHalfStillWaitingAtAFlushAsItsEscape() throws Exception {
    StringWriter target = new StringWriter();
    LoneSurrogates writer = new LoneSurrogates(target);
    writer.write("end\ud800");
    writer.flush();

    assertThat(target).hasToString("end\\ud800");
  }

  @Test
  void printsAScriptsOutputWithALoneHalfAsTheSameValueOnStdout() throws Exception {
    JsonNode output = Json.reader().readTree("{\"s\": \"\\ud800 and \\udfff, " + EMOJI + "\"}");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintWriter out = Main.utf8(stdout);

    RecordPrinter.json(out, output);

    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertThat(printed).doesNotContain("?").contains(EMOJI);
    assertThat(Json.reader().readTree(printed)).isEqualTo(output);
  }
}
