package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.HistoryUnavailableException;
import jakarta.inject.Inject;
import java.util.Objects;

/** Whether the history opens and answers: for {@code doctor} and the health route. */
final class HistoryHealthCheck implements HealthCheck {
  private final HistoryDatabase database;

  @Inject
  HistoryHealthCheck(HistoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public HealthReport check() {
    try {
      long runs =
          database.call(
              session ->
                  session
                      .handle()
                      .createQuery("SELECT COUNT(*) FROM executions")
                      .mapTo(Long.class)
                      .one());
      return new HealthReport(
          "history",
          true,
          runs
              + (runs == 1 ? " run at " : " runs at ")
              + database.settings().location()
              + " (schema version "
              + HistoryDatabase.LATEST_VERSION
              + ")",
          "");
    } catch (HistoryUnavailableException e) {
      return new HealthReport(
          "history",
          false,
          e.getMessage(),
          "check that the project's .stepguard/ directory is writable and its credentials file"
              + " matches the database; 'history.url' in stepguard.yaml says where it is");
    }
  }
}
