package dev.stepguard.adapters.persistence;

import dev.stepguard.core.fixtures.IdempotencyKeysContract;
import dev.stepguard.core.port.IdempotencyKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class JdbiIdempotencyKeysTest extends IdempotencyKeysContract {
  @TempDir Path project;
  private HistoryDatabase database;

  @Override
  protected IdempotencyKeys newKeys() {
    database = new HistoryDatabase(HistorySettings.forProject(project));
    return new JdbiIdempotencyKeys(database);
  }

  @AfterEach
  void close() {
    database.close();
  }
}
