package dev.stepguard.app.http;

import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;

/** Query parameters shared by the listings. */
final class Queries {
  private Queries() {}

  static int limit(Context ctx, int defaultLimit) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= HistoryFilter.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw RunRequest.malformed(
        "limit must be a whole number from 1 to "
            + HistoryFilter.MAX_LIMIT
            + ", was '"
            + text
            + "'");
  }

  static Status status(String text) {
    try {
      return Status.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed(
          "status must be one of " + Arrays.toString(Status.values()) + ", was '" + text + "'");
    }
  }
}
