package dev.stepguard.adapters.persistence;

import java.sql.SQLException;
import java.util.Set;
import org.h2.api.ErrorCode;

/**
 * Whether a failure to use the project's H2 file says only that another stepguard process has it,
 * or is handing it over, at this moment: worth waiting for, unlike a wrong password, a corrupt file
 * or a full disk.
 */
final class Contention {
  private static final Set<Integer> CODES =
      Set.of(
          // the .lock.db protocol: "Lock file recently modified", "Concurrent update", ...
          ErrorCode.ERROR_OPENING_DATABASE_1,
          // "Locked by another process" with no auto-server address yet
          ErrorCode.DATABASE_ALREADY_OPEN_1,
          // the auto-server of a process that is exiting
          ErrorCode.CONNECTION_BROKEN_1,
          ErrorCode.DATABASE_IS_CLOSED,
          ErrorCode.DATABASE_CALLED_AT_SHUTDOWN,
          ErrorCode.DATABASE_IS_IN_EXCLUSIVE_MODE);

  private Contention() {}

  static boolean is(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && CODES.contains(sql.getErrorCode())) {
        return true;
      }
      if (cause.getCause() == cause) {
        return false;
      }
    }
    return false;
  }
}
