package dev.stepguard.adapters.persistence;

import dev.stepguard.core.fixtures.ExecutionStoreContract;
import dev.stepguard.core.port.ExecutionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiExecutionStoreTest extends ExecutionStoreContract {
  @TempDir Path project;
  private HistoryDatabase database;

  @Override
  protected ExecutionStore newStore() {
    database = new HistoryDatabase(HistorySettings.forProject(project));
    return new JdbiExecutionStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }
}
