package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token commands on the project's real H2 history. */
class TokenCommandTest {
  @TempDir Path project;

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(RuntimeModuleFactory.production(), all.toArray(String[]::new));
  }

  @Test
  void createPrintsANewTokenOnceOnStdoutAndSaysItsScopeOnStderr() {
    Cli.Result created = cli("token", "create", "ci-runner");

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).matches("sg_[A-Za-z0-9_-]{43}\\R");
    assertThat(created.err().strip())
        .isEqualTo(
            "stepguard: created token 'ci-runner' with scope run (may start and cancel runs, and"
                + " read); it is shown only this once: keep it now");
  }

  @Test
  void listShowsLabelScopeAndCreationByLabelButNeverTheTokenOrItsHash() throws Exception {
    String run = cli("token", "create", "zeta").out().strip();
    String read = cli("token", "create", "audit", "--read-only").out().strip();

    Cli.Result text = cli("token", "list");
    Cli.Result json = cli("token", "list", "--json");

    assertThat(text.exitCode()).isZero();
    assertThat(text.out().lines())
        .hasSize(3)
        .satisfies(
            lines -> assertThat(lines.get(0)).startsWith("LABEL").contains("SCOPE", "CREATED"))
        .satisfies(lines -> assertThat(lines.get(1)).startsWith("audit").contains(" read "))
        .satisfies(lines -> assertThat(lines.get(2)).startsWith("zeta").contains(" run "));
    JsonNode items = Json.reader().readTree(json.out()).get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("label").asText()).isEqualTo("audit");
    assertThat(items.get(0).get("scope").asText()).isEqualTo("read");
    assertThat(items.get(1).get("scope").asText()).isEqualTo("run");
    assertThat(items.get(0).get("createdAt").asText()).endsWith("Z");
    assertThat(items.get(0).get("revokedAt").isNull()).isTrue();
    assertThat(items.get(0).size()).isEqualTo(4);
    for (String output : List.of(text.out(), json.out())) {
      assertThat(output)
          .doesNotContain(run, read, ApiTokens.sha256Hex(run), ApiTokens.sha256Hex(read));
    }
  }

  @Test
  void theProjectKeepsOnlyTheHashOfAToken() throws Exception {
    String token = cli("token", "create", "ci").out().strip();

    try (Stream<Path> files = Files.walk(project)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(contains(file, token)).as(file.toString()).isFalse();
      }
    }
  }

  private static boolean contains(Path file, String text) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
  }

  @Test
  void aLabelInUseIsRefusedAndTheFirstTokenStays() {
    cli("token", "create", "ci");

    Cli.Result again = cli("token", "create", "ci", "--read-only");

    assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_DONE);
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).contains("a token labelled ci already exists", "choose another label");
    assertThat(cli("token", "list").out()).contains(" run ").doesNotContain(" read ");
  }

  @Test
  void aLabelWithSpacesOrControlCharactersIsAUsageError() {
    Cli.Result spaced = cli("token", "create", "two words");
    Cli.Result control = cli("token", "create", "bell\u0007");
    Cli.Result tooLong = cli("token", "create", "x".repeat(65));

    assertThat(spaced.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(spaced.err()).contains("a token label must be printable, without spaces: U+0020");
    assertThat(control.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooLong.err()).contains("1 to 64 characters, was 65");
    assertThat(cli("token", "list").out()).contains("no tokens");
  }

  @Test
  void aNewLabelThatCouldLookLikeAnotherIsAUsageError() {
    cli("token", "create", "ci");

    Cli.Result upper = cli("token", "create", "CI");
    Cli.Result cyrillic = cli("token", "create", "c\u0456");

    assertThat(upper.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(upper.err()).contains("a new token label must be lowercase letters a-z", "U+0043");
    assertThat(cyrillic.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cyrillic.err()).contains("U+0456 at position 2");
    assertThat(cli("token", "list").out().lines()).hasSize(2);
  }

  @Test
  void revokeRefusesTheTokenFromNowOnAndSaysSoOrExitsOneWhenThereIsNone() throws Exception {
    cli("token", "create", "ci");

    Cli.Result revoked = cli("token", "revoke", "ci");
    Cli.Result again = cli("token", "revoke", "ci");

    assertThat(revoked.exitCode()).isZero();
    assertThat(revoked.out()).contains("revoked token 'ci'");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_DONE);
    assertThat(again.err()).contains("no accepted token is labelled 'ci'");
    JsonNode items = Json.reader().readTree(cli("token", "list", "--json").out()).get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("revokedAt").asText()).endsWith("Z");
    assertThat(cli("token", "list").out().lines().toList().get(1)).startsWith("ci").endsWith("Z");
  }

  @Test
  void aRevokedLabelIsNeverReusedSoEveryRequestedByNamesOneToken() {
    cli("token", "create", "ci");
    cli("token", "revoke", "ci");

    Cli.Result reused = cli("token", "create", "ci");

    assertThat(reused.exitCode()).isEqualTo(ExitCodes.NOT_DONE);
    assertThat(reused.out()).isEmpty();
    assertThat(reused.err())
        .matches(
            "(?s)stepguard: the label ci belonged to a token revoked on"
                + " \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ; a label names one token"
                + " forever.*choose another label.*");
    assertThat(cli("token", "create", "ci-2").exitCode()).isZero();
  }
}
