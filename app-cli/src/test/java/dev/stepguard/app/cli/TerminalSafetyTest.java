package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a script, a record or a file name holds reaches the terminal raw: escape sequences could
 * erase or forge the "stepguard:" lines people rely on. JSON stays exact, with Jackson's escapes.
 */
class TerminalSafetyTest {
  private static final String ESC = "\u001b";

  @TempDir Path project;

  @BeforeEach
  void writeScripts() throws Exception {
    Files.writeString(
        project.resolve("forge.py"),
        "import sys\n"
            + "sys.stderr.write('\\x1b]0;owned\\x07\\x1b[2K\\rstepguard: all fine\\u202e\\x9b\\n')\n"
            + "sys.exit(3)\n");
    Files.writeString(
        project.resolve("bidi.py"),
        "import json, sys\n"
            + "json.dump({'text': 'a\\u202eb\\x85c\\x7f\\x1bd \\u00e9'}, sys.stdout)\n");
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void aFailingScriptsStderrIsPrintedWithItsControlCharactersEscaped() {
    Cli.Result result = cli("run", "forge.py");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .doesNotContain(ESC, "\u0007", "\r", "\u202e", "\u009b")
        .contains("\\x1b]0;owned\\x07\\x1b[2K\\x0dstepguard: all fine\\u202e\\x9b");
  }

  @Test
  void aScriptNameWithAnEscapeIsRejectedAndNeverPrintedRaw() {
    Cli.Result result = cli("run", "e" + ESC + "[31mcho.py");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("REJECTED", "control character U+001B").doesNotContain(ESC);
  }

  @Test
  void historyListAndShowPrintRecordedEscapesVisiblyAndJsonKeepsThemExact() throws Exception {
    cli("run", "e" + ESC + "[31mcho.py");
    cli("run", "forge.py");

    Cli.Result list = cli("history", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).doesNotContain(ESC).contains("\\x1b[31mcho.py");

    JsonNode items = Json.reader().readTree(cli("history", "list", "--json").out()).get("items");
    assertThat(items.get(1).get("script").asText()).isEqualTo("e" + ESC + "[31mcho.py");
    for (JsonNode item : items) {
      String id = item.get("id").asText();
      Cli.Result show = cli("history", "show", id);
      assertThat(show.exitCode()).isZero();
      assertThat(show.out()).doesNotContain(ESC, "\u0007", "\r", "\u202e", "\u009b");
      Cli.Result json = cli("history", "show", id, "--json");
      assertThat(json.out()).doesNotContain(ESC);
      assertThat(Json.reader().readTree(json.out()).get("script").asText())
          .isEqualTo(item.get("script").asText());
    }
    Cli.Result forged = cli("history", "show", items.get(0).get("id").asText());
    assertThat(forged.out()).contains("\\x1b]0;owned\\x07");
    assertThat(
            Json.reader()
                .readTree(cli("history", "show", items.get(0).get("id").asText(), "--json").out())
                .get("stderr")
                .asText())
        .startsWith(ESC + "]0;owned\u0007");
  }

  @Test
  void outputJsonCarriesBidiC1AndDeleteAsUnicodeEscapesWithTheSameValue() throws Exception {
    String exact = "a\u202eb\u0085c\u007f" + ESC + "d \u00e9";
    Cli.Result human = cli("run", "bidi.py");
    Cli.Result json = cli("run", "bidi.py", "--json");

    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out())
        .startsWith("{\"text\":\"a\\u202eb\\u0085c\\u007")
        .endsWith("d \u00e9\"}\n");
    for (String raw : List.of("\u202e", "\u0085", "\u007f", ESC)) {
      assertThat(human.out()).doesNotContain(raw);
    }
    assertThat(Json.reader().readTree(human.out()).get("text").asText()).isEqualTo(exact);
    for (String raw : List.of("\u202e", "\u0085", "\u007f", ESC)) {
      assertThat(json.out()).doesNotContain(raw);
    }
    assertThat(Json.reader().readTree(json.out()).get("output").get("text").asText())
        .isEqualTo(exact);
  }

  @Test
  void logLinesOnStderrShowAnEscapeInAMessageOrStackTraceVisibly() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("Main"),
            Level.ERROR,
            "internal error while running {}",
            new IllegalStateException("boom" + ESC + "]0;owned\u0007"),
            new Object[] {"run e" + ESC + "[31mcho.py"});

    String line =
        new String(CliLogConfigurator.encoder(context).encode(event), StandardCharsets.UTF_8);

    assertThat(line)
        .doesNotContain(ESC, "\u0007")
        .contains("run e\\x1b[31mcho.py", "boom\\x1b]0;owned\\x07");
  }

  @Test
  void safeEscapesControlsDeleteC1AndBidiCharactersButKeepsNewlinesTabsAndOtherText() {
    assertThat(Printable.safe("a\tb\nc")).isEqualTo("a\tb\nc");
    assertThat(Printable.safe("é✓ 日本")).isEqualTo("é✓ 日本");
    assertThat(Printable.safe("\u0000\u001b\r\u007f\u0085\u009f"))
        .isEqualTo("\\x00\\x1b\\x0d\\x7f\\x85\\x9f");
    assertThat(Printable.safe("\u200b\u200f\u202a\u202e\u2066\u2069"))
        .isEqualTo("\\u200b\\u200f\\u202a\\u202e\\u2066\\u2069");
  }
}
