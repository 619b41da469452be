package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stepguard history} end to end through the real entry point; subclasses choose the adapters
 * (the real ones, or core's fakes). Every project has {@code hello.py}, which succeeds, and {@code
 * fail.py}, which prints a traceback and exits 3.
 */
abstract class HistoryCommandCases {
  @TempDir Path project;

  abstract RuntimeModuleFactory adapters();

  /** Creates hello.py and fail.py in the project where the adapters need real files. */
  abstract void writeScripts() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    writeScripts();
  }

  Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(adapters(), all.toArray(String[]::new));
  }

  JsonNode json(Cli.Result result) throws Exception {
    assertThat(result.exitCode()).as(result.err()).isZero();
    return Json.reader().readTree(result.out());
  }

  private List<String> statuses(JsonNode page) {
    List<String> statuses = new ArrayList<>();
    page.get("items").forEach(item -> statuses.add(item.get("status").asText()));
    return statuses;
  }

  @Test
  void listsASucceededAFailedAndARejectedRunAsJson() throws Exception {
    cli("run", "hello.py", "--input", "{\"name\": \"Ada\"}");
    cli("run", "fail.py");
    cli("run", "../outside.py");

    JsonNode page = json(cli("history", "list", "--json"));

    assertThat(statuses(page)).containsExactly("REJECTED", "FAILED", "SUCCEEDED");
    assertThat(page.get("nextCursor").isNull()).isTrue();
    JsonNode succeeded = page.get("items").get(2);
    JsonNode failed = page.get("items").get(1);
    assertThat(succeeded.has("output")).isFalse();
    assertThat(succeeded.has("inputs")).isFalse();
    assertThat(failed.has("stderr")).isFalse();
    assertThat(succeeded.get("outputBytes").asLong()).isPositive();
    assertThat(succeeded.get("inputBytes").asLong()).isPositive();
    assertThat(failed.get("stderrBytes").asLong()).isEqualTo("Traceback: boom\n".length());
    assertThat(failed.get("exitCode").asInt()).isEqualTo(3);
    assertThat(failed.get("error").get("code").asText()).isNotEmpty();
    String id = succeeded.get("id").asText();
    assertThat(json(cli("history", "show", id, "--json")).get("output").get("greeting").asText())
        .contains("Hello");
  }

  @Test
  void showsTheExitCodeStderrScriptHashAndInterpreterOfARun() throws Exception {
    Cli.Result failed = cli("run", "fail.py", "--json");
    String id = Json.reader().readTree(failed.out()).get("id").asText();

    JsonNode record = json(cli("history", "show", id, "--json"));

    assertThat(record.get("status").asText()).isEqualTo("FAILED");
    assertThat(record.get("exitCode").asInt()).isEqualTo(3);
    assertThat(record.get("stderr").asText()).contains("Traceback");
    assertThat(record.get("scriptSha256").asText()).matches("[0-9a-f]{64}");
    assertThat(record.get("interpreter").get("version").asText()).startsWith("3.");
    assertThat(record.get("requestedBy").get("channel").asText()).isEqualTo("cli");
    assertThat(record.get("process").get("pid").asLong()).isPositive();
    assertThat(record.get("error").get("message").asText()).contains("fail.py", "FAILED");
  }

  @Test
  void showsARunByItsShortIdAsLabelledLines() throws Exception {
    String id = Json.reader().readTree(cli("run", "hello.py", "--json").out()).get("id").asText();

    Cli.Result shown = cli("history", "show", id.substring(0, 8));

    assertThat(shown.exitCode()).isZero();
    assertThat(shown.out()).contains("id:            " + id, "status:        SUCCEEDED");
    assertThat(shown.out()).contains("script sha256:", "interpreter:", "requested by:");
  }

  @Test
  void saysSoWhenNoRunHasTheId() {
    Cli.Result shown = cli("history", "show", "0000dead");

    assertThat(shown.exitCode()).isEqualTo(ExitCodes.NOT_DONE);
    assertThat(shown.err()).contains("no run has an id starting with 0000dead");
  }

  @Test
  void printsAReadableTableNewestFirst() {
    cli("run", "hello.py");
    cli("run", "fail.py");

    Cli.Result table = cli("history", "list");

    String[] lines = table.out().split("\n");
    assertThat(lines[0]).startsWith("STATUS").contains("SCRIPT", "STARTED", "DURATION", "ID");
    assertThat(lines[1]).startsWith("FAILED").contains("fail.py", " ms");
    assertThat(lines[2]).startsWith("SUCCEEDED").contains("hello.py");
  }

  @Test
  void filtersByStatusAndScript() throws Exception {
    cli("run", "hello.py");
    cli("run", "fail.py");
    cli("run", "fail.py");

    assertThat(statuses(json(cli("history", "list", "--status", "failed", "--json"))))
        .containsExactly("FAILED", "FAILED");
    assertThat(statuses(json(cli("history", "list", "--script", "he*", "--json"))))
        .containsExactly("SUCCEEDED");
    assertThat(statuses(json(cli("history", "list", "--since", "1h", "--json")))).hasSize(3);
    assertThat(statuses(json(cli("history", "list", "--until", "2000-01-01", "--json")))).isEmpty();
  }

  @Test
  void pagesWithTheCursorItPrints() throws Exception {
    cli("run", "hello.py");
    cli("run", "fail.py");

    JsonNode first = json(cli("history", "list", "--limit", "1", "--json"));
    JsonNode second =
        json(
            cli(
                "history",
                "list",
                "--limit",
                "1",
                "--cursor",
                first.get("nextCursor").asText(),
                "--json"));

    assertThat(statuses(first)).containsExactly("FAILED");
    assertThat(statuses(second)).containsExactly("SUCCEEDED");
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void storesSecretInputsRedacted() throws Exception {
    String id =
        Json.reader()
            .readTree(
                cli(
                        "run",
                        "hello.py",
                        "--input",
                        "{\"name\": \"Ada\", \"api_key\": \"k1\"}",
                        "--json")
                    .out())
            .get("id")
            .asText();

    JsonNode stored = json(cli("history", "show", id, "--json"));

    assertThat(stored.get("inputs").get("api_key").asText()).isEqualTo("[REDACTED]");
    assertThat(stored.get("inputs").get("name").asText()).isEqualTo("Ada");
  }

  @Test
  void prunesOldRunsButKeepsTheNewest() throws Exception {
    cli("run", "hello.py");
    cli("run", "fail.py");
    cli("run", "hello.py");
    Thread.sleep(20);

    Cli.Result pruned = cli("history", "prune", "--older-than", "10ms", "--keep", "1");

    assertThat(pruned.exitCode()).isZero();
    assertThat(pruned.out()).contains("deleted 2 runs", "10ms");
    assertThat(statuses(json(cli("history", "list", "--json")))).containsExactly("SUCCEEDED");
  }

  @Test
  void refusesUnclearRequestsAsUsageErrors() {
    assertThat(cli("history", "prune").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("history", "prune").err()).contains("--older-than");
    assertThat(cli("history", "list", "--status", "DONE").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("history", "list", "--cursor", "nonsense").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli("history", "list", "--limit", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("history", "list", "--since", "yesterday").err()).contains("is not a time");
  }
}
