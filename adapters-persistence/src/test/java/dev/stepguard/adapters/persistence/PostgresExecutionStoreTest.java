package dev.stepguard.adapters.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.fixtures.ExecutionStoreContract;
import dev.stepguard.core.port.ExecutionStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same store code and the same Flyway migration on PostgreSQL: every case of the store
 * contract, each on a database of its own in a throwaway local cluster. Skipped, with the reason,
 * on a host without PostgreSQL's server binaries (.ci/run installs them).
 */
class PostgresExecutionStoreTest extends ExecutionStoreContract {
  private static LocalPostgres server;
  private HistoryDatabase database;

  @BeforeAll
  static void startServer() throws Exception {
    Optional<Path> bin = LocalPostgres.binaries();
    assumeTrue(
        bin.isPresent(),
        "PostgreSQL's server binaries are not installed (apt-get install postgresql)");
    server = LocalPostgres.start(bin.get());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  protected ExecutionStore newStore() {
    try {
      database = new HistoryDatabase(HistorySettings.of(server.newDatabase(), null));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new JdbiExecutionStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  /** The workflow-run store's contract on the same PostgreSQL. */
  @org.junit.jupiter.api.Nested
  class WorkflowRuns extends dev.stepguard.core.fixtures.WorkflowRunStoreContract {
    private HistoryDatabase runs;

    @Override
    protected dev.stepguard.core.port.WorkflowRunStore newStore() {
      try {
        runs = new HistoryDatabase(HistorySettings.of(server.newDatabase(), null));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return new JdbiWorkflowRunStore(runs);
    }

    @AfterEach
    void closeRuns() {
      runs.close();
    }
  }

  /** The token store's contract on the same PostgreSQL. */
  @org.junit.jupiter.api.Nested
  class Tokens extends dev.stepguard.core.fixtures.TokenStoreContract {
    private HistoryDatabase tokens;

    @Override
    protected dev.stepguard.core.port.TokenStore newStore() {
      try {
        tokens = new HistoryDatabase(HistorySettings.of(server.newDatabase(), null));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return new JdbiTokenStore(tokens);
    }

    @AfterEach
    void closeTokens() {
      tokens.close();
    }
  }

  /** The Idempotency-Keys' contract on the same PostgreSQL. */
  @org.junit.jupiter.api.Nested
  class IdempotencyKeys extends dev.stepguard.core.fixtures.IdempotencyKeysContract {
    private HistoryDatabase keysDatabase;

    @Override
    protected dev.stepguard.core.port.IdempotencyKeys newKeys() {
      try {
        keysDatabase = new HistoryDatabase(HistorySettings.of(server.newDatabase(), null));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return new JdbiIdempotencyKeys(keysDatabase);
    }

    @AfterEach
    void closeKeys() {
      keysDatabase.close();
    }
  }
}
