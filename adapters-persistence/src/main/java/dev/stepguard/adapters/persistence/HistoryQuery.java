package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.HistoryFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listing query of one filter, over the columns of a {@link SummaryRow}: only fixed SQL text
 * with named parameters, newest first (by {@link Seq}), one row more than the page so that the page
 * knows whether another follows. After a cursor whose run was pruned meanwhile, the page starts
 * before that run's millisecond.
 */
record HistoryQuery(String sql, Map<String, Object> parameters) {

  static HistoryQuery of(HistoryFilter filter) {
    List<String> conditions = new ArrayList<>();
    Map<String, Object> parameters = new LinkedHashMap<>();
    filter
        .status()
        .ifPresent(
            status -> {
              conditions.add("status = :status");
              parameters.put("status", status.name());
            });
    filter
        .script()
        .ifPresent(
            glob -> {
              conditions.add("script LIKE :script ESCAPE '\\'");
              parameters.put("script", glob.likePattern());
            });
    filter
        .since()
        .ifPresent(
            since -> {
              conditions.add("seq >= :since");
              parameters.put("since", Seq.first(since));
            });
    filter
        .until()
        .ifPresent(
            until -> {
              conditions.add("seq < :until");
              parameters.put("until", Seq.first(until));
            });
    filter
        .workflowRunId()
        .ifPresent(
            run -> {
              conditions.add("workflow_run_id = :workflowRun");
              parameters.put("workflowRun", run);
            });
    filter
        .after()
        .ifPresent(
            cursor -> {
              conditions.add(
                  "seq < COALESCE((SELECT seq FROM executions WHERE id = :afterId), :afterTime)");
              parameters.put("afterTime", Seq.first(cursor.startedAt()));
              parameters.put("afterId", cursor.id().value());
            });
    parameters.put("fetch", filter.limit() + 1);
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return new HistoryQuery(
        SummaryRow.SELECT + where + " ORDER BY " + order(filter) + " LIMIT :fetch",
        Map.copyOf(parameters));
  }

  /**
   * Newest first. Where an equality picks the leading column of an index, that column leads the
   * order too: it changes nothing in the result, but it lets H2 read the index backwards and stop
   * after one page instead of sorting every match.
   */
  private static String order(HistoryFilter filter) {
    if (filter.status().isPresent()) {
      return "status DESC, seq DESC";
    }
    if (filter.workflowRunId().isPresent()) {
      return "workflow_run_id DESC, seq DESC";
    }
    return "seq DESC";
  }
}
