package dev.stepguard.adapters.persistence;

import dev.stepguard.core.fixtures.WorkflowRunStoreContract;
import dev.stepguard.core.port.WorkflowRunStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiWorkflowRunStoreTest extends WorkflowRunStoreContract {
  @TempDir Path project;
  private HistoryDatabase database;

  @Override
  protected WorkflowRunStore newStore() {
    database = new HistoryDatabase(HistorySettings.forProject(project));
    return new JdbiWorkflowRunStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }
}
