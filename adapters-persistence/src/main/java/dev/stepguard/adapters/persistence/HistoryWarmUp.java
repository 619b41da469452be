package dev.stepguard.adapters.persistence;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and runs once, on a daemon thread of its own, the H2 and JDBI code that opening the history
 * takes, against a private in-memory database that nothing else sees: the command line's first
 * history statement then finds it loaded instead of loading it in front of the script's start (H2's
 * engine and parser, JDBI's statements, SQL objects and its flight-recorder event). Never touches a
 * history; a failure only leaves the work to the real open.
 */
final class HistoryWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryWarmUp.class);

  private HistoryWarmUp() {}

  /** Starts the warm-up and returns its thread. */
  static Thread start() {
    Thread thread = new Thread(HistoryWarmUp::run, "stepguard-history-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The warm-up itself; true if it ran to its end. */
  static boolean run() {
    HistoryDatabase.bindToLoopback();
    try {
      return HistoryDatabase.configured(Jdbi.create("jdbc:h2:mem:"))
          .withHandle(
              handle -> {
                handle.execute(
                    "CREATE TABLE \"flyway_schema_history\""
                        + " (\"version\" VARCHAR(50), \"success\" BOOLEAN NOT NULL)");
                handle.execute(
                    "CREATE TABLE warm (id VARCHAR(36) PRIMARY KEY, body CHARACTER LARGE OBJECT)");
                handle
                    .createUpdate("INSERT INTO warm (id, body) VALUES (:id, :body)")
                    .bind("id", "warm")
                    .bind("body", "{}")
                    .execute();
                handle.attach(ExecutionDao.class);
                return !HistoryDatabase.upToDate(handle);
              });
    } catch (RuntimeException e) {
      LOG.debug("the history warm-up stopped: {}", e.toString());
      return false;
    }
  }
}
