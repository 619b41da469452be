package dev.stepguard.adapters.persistence;

import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * When a clean close of the project's H2 file compacts it. H2 would compact at every close for up
 * to {@link #MAX_MILLIS}, and spends them even on a file with next to nothing to give back: about
 * 0.2 s of every command line that opens the history. The file is opened with H2's own compaction
 * off and compacted here only when the space it would give back is worth it: at least {@link
 * #MIN_FREE} bytes, and at least as much as the live data (docs/history.md). A file therefore stays
 * under twice its live data or its live data plus {@code MIN_FREE}, whichever is larger, plus what
 * one process writes before its close.
 */
final class Compaction {
  /** How long one close may spend compacting: H2's own default for a close. */
  static final int MAX_MILLIS = 200;

  /** The least free space that a close gives back. */
  static final long MIN_FREE = 1L << 20;

  /** The H2 URL option that keeps H2 from compacting at close on its own. */
  static final String OFF_IN_H2 = ";MAX_COMPACT_TIME=0";

  private Compaction() {}

  /**
   * Whether a file of {@code size} bytes whose chunks hold {@code fillRatePercent} percent live
   * data is compacted at its close.
   */
  static boolean due(long size, int fillRatePercent) {
    long free = size / 100 * (100 - Math.max(0, Math.min(100, fillRatePercent)));
    return free >= MIN_FREE && free >= size - free;
  }

  /**
   * Compacts the store the host's {@code session} has open for at most {@link #MAX_MILLIS}, if due
   * and if {@code session} is the database's only user: H2's compaction sets the store's retention
   * time to 0, so a commit of another session meanwhile (a command line and a server runtime of one
   * JVM, or another process connected through the auto-server) could be written over reused space
   * and lost to a kill -9 before the close ends. The retention time is put back afterwards. A
   * database that is already closed (another handle of this process shut it down) or that fails to
   * compact is left to the close: compaction is never a reason for a close to fail.
   */
  static void ifDue(SessionLocal session) {
    if (session.isClosed()) {
      return;
    }
    try {
      Database database = session.getDatabase();
      MVStore store = database.getStore().getMvStore();
      FileStore<?> file = store.getFileStore();
      if (file == null
          || database.getSessions(false).length != 1
          || !due(file.size(), file.getChunksFillRate())) {
        return;
      }
      int retention = store.getRetentionTime();
      try {
        database.getStore().compactFile(MAX_MILLIS);
      } finally {
        store.setRetentionTime(retention);
      }
    } catch (RuntimeException notNow) {
      // closed meanwhile, or the file cannot be compacted: the close goes on as H2's own would
    }
  }
}
