package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HistoryUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryDatabaseTest {
  @TempDir Path project;

  @Test
  void createsTheSchemaOnceAndOpensAgainWithoutMigrating() {
    HistorySettings settings = HistorySettings.forProject(project);
    try (HistoryDatabase first = new HistoryDatabase(settings)) {
      new JdbiExecutionStore(first).insert(SampleRecords.running("a.py", Instant.now()));
    }
    try (HistoryDatabase again = new HistoryDatabase(settings)) {
      assertThat(new JdbiExecutionStore(again).running()).hasSize(1);
      int migrations =
          again.call(
              session ->
                  session
                      .handle()
                      .createQuery(
                          "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'")
                      .mapTo(Integer.class)
                      .one());
      assertThat(migrations).isEqualTo(9);
    }
  }

  @Test
  void createsANewHistoryWithoutH2LoggingAFailure() {
    try (HistoryDatabase first = new HistoryDatabase(HistorySettings.forProject(project))) {
      new JdbiExecutionStore(first).insert(SampleRecords.running("a.py", Instant.now()));
      assertThat(new JdbiExecutionStore(first).running()).hasSize(1);
    }

    assertThat(project.resolve(".stepguard/history.trace.db")).doesNotExist();
  }

  @Test
  void closesTheHistoryItHostsWithoutH2LoggingAFailure() throws Exception {
    HistorySettings settings = HistorySettings.forProject(project);
    try (HistoryDatabase first = new HistoryDatabase(settings)) {
      new JdbiExecutionStore(first).insert(SampleRecords.running("a.py", Instant.now()));
    }
    Path trace = project.resolve(".stepguard/history.trace.db");
    Files.deleteIfExists(trace);

    try (HistoryDatabase again = new HistoryDatabase(settings)) {
      assertThat(new JdbiExecutionStore(again).running()).hasSize(1);
    }

    assertThat(trace).doesNotExist();
  }

  @Test
  void recordsAgainAfterAnotherHandleOfThisProcessClosedTheFileTheyShare() {
    // a command line and a server runtime in one JVM share H2's one open database of the file:
    // the first to close shuts it down under the other, whose next statement must open it again
    HistorySettings settings = HistorySettings.forProject(project);
    try (HistoryDatabase server = new HistoryDatabase(settings)) {
      JdbiExecutionStore served = new JdbiExecutionStore(server);
      served.insert(SampleRecords.running("a.py", Instant.now()));
      try (HistoryDatabase commandLine = new HistoryDatabase(settings)) {
        new JdbiExecutionStore(commandLine).insert(SampleRecords.running("b.py", Instant.now()));
      }

      served.insert(SampleRecords.running("c.py", Instant.now()));

      assertThat(served.running()).hasSize(3);
    }
  }

  @Test
  void saysWhatToDoWhenTheCredentialsDoNotMatchTheDatabase() throws Exception {
    HistorySettings settings = HistorySettings.forProject(project);
    try (HistoryDatabase first = new HistoryDatabase(settings)) {
      new JdbiExecutionStore(first).running();
    }
    Path credentials = settings.credentialsFile().orElseThrow();
    Files.writeString(credentials, "user=stepguard\npassword=other\n");

    try (HistoryDatabase again = new HistoryDatabase(settings)) {
      assertThatThrownBy(() -> new JdbiExecutionStore(again).running())
          .isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining("cannot be opened")
          .hasMessageContaining("credentials file does not match the database");
    }
  }

  @Test
  void refusesADatabaseItHasNoCredentialsFor() throws Exception {
    HistorySettings settings = HistorySettings.forProject(project);
    try (HistoryDatabase first = new HistoryDatabase(settings)) {
      new JdbiExecutionStore(first).running();
    }
    Files.delete(settings.credentialsFile().orElseThrow());

    try (HistoryDatabase again = new HistoryDatabase(settings)) {
      assertThatThrownBy(() -> new JdbiExecutionStore(again).running())
          .isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining("cannot be opened")
          .hasMessageContaining("was not created by stepguard")
          .hasMessageContaining("move it aside");
    }
  }

  @Test
  void reportsHealthWithTheNumberOfRunsOrWhyNot() {
    try (HistoryDatabase database = new HistoryDatabase(HistorySettings.forProject(project))) {
      HealthReport ok = new HistoryHealthCheck(database).check();

      assertThat(ok.ok()).isTrue();
      assertThat(ok.detail()).startsWith("0 runs at jdbc:h2:file:");
      new JdbiExecutionStore(database).insert(SampleRecords.running("a.py", Instant.now()));
      assertThat(new HistoryHealthCheck(database).check().detail())
          .startsWith("1 run at jdbc:h2:file:");
    }
    HistorySettings unreachable = HistorySettings.of("jdbc:h2:tcp://127.0.0.1:1/none", null);
    try (HistoryDatabase database = new HistoryDatabase(unreachable)) {
      HealthReport broken = new HistoryHealthCheck(database).check();

      assertThat(broken.ok()).isFalse();
      assertThat(broken.detail()).contains("jdbc:h2:tcp://127.0.0.1:1/none", "cannot be opened");
      assertThat(broken.remedy()).contains("history.url");
    }
  }

  @Test
  void opensAnyJdbcUrlWithTheSameMigration() {
    HistorySettings memory = HistorySettings.of("jdbc:h2:mem:other;DB_CLOSE_DELAY=-1", null);
    try (HistoryDatabase database = new HistoryDatabase(memory)) {
      JdbiExecutionStore store = new JdbiExecutionStore(database);
      store.insert(SampleRecords.running("a.py", Instant.now()));

      assertThat(store.running()).hasSize(1);
    }
  }

  @Test
  void refusesAUrlThatIsNotJdbc() {
    assertThatThrownBy(() -> HistorySettings.of("postgres://x", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JDBC URL");
    assertThat(HistorySettings.forProject(project).location())
        .isEqualTo("jdbc:h2:file:" + project.resolve(".stepguard/history"));
  }
}
