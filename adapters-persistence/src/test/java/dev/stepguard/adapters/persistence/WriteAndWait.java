package dev.stepguard.adapters.persistence;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Run in a JVM of its own by {@link DurabilityTest}: records runs in the project's history, says
 * each id on stdout as soon as the store has returned, and never closes the database but for the
 * reopening every {@code args[2]} statements, if given.
 */
public final class WriteAndWait {
  private WriteAndWait() {}

  public static void main(String[] args) throws Exception {
    HistorySettings settings = HistorySettings.forProject(Path.of(args[0]));
    int reopenAfter = args.length > 2 ? Integer.parseInt(args[2]) : HistoryDatabase.REOPEN_AFTER;
    JdbiExecutionStore store =
        new JdbiExecutionStore(
            new HistoryDatabase(settings, HistoryDatabase.PATIENCE, reopenAfter));
    for (int i = 0; i < Integer.parseInt(args[1]); i++) {
      ExecutionRecord running = SampleRecords.running("durable.py", Instant.now());
      store.insert(running);
      System.out.println("running " + running.id());
      store.finish(SampleRecords.closed(running, Status.FAILED));
      System.out.println("closed " + running.id());
    }
    System.out.flush();
    Thread.sleep(600_000);
  }
}
