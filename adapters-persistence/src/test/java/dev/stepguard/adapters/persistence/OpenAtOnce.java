package dev.stepguard.adapters.persistence;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a JVM of its own by {@link FirstOpenTest}: says {@code ready}, waits for the file {@code
 * go} to appear, then opens the project's history (its credentials under the state directory given
 * third) (for the first time, for all of them at once), records one run, closes it and says {@code
 * recorded ID}; any failure ends it with status 1.
 */
public final class OpenAtOnce {
  private OpenAtOnce() {}

  public static void main(String[] args) throws Exception {
    Path project = Path.of(args[0]);
    Path go = Path.of(args[1]);
    HistorySettings settings = HistorySettings.forProject(project, Path.of(args[2]));
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.sleep(2);
    }
    try (HistoryDatabase database = new HistoryDatabase(settings)) {
      JdbiExecutionStore store = new JdbiExecutionStore(database);
      ExecutionRecord running = SampleRecords.running("first.py", Instant.now());
      store.insert(running);
      store.finish(SampleRecords.closed(running, Status.SUCCEEDED));
      System.out.println("recorded " + running.id());
    }
    System.out.flush();
  }
}
