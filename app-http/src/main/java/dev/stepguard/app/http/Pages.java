package dev.stepguard.app.http;

import java.time.Instant;
import java.util.List;

/**
 * What the web pages' templates show, one record per page, every value already in words: the
 * templates only lay them out (and jte escapes each of them for HTML).
 */
final class Pages {
  private Pages() {}

  /** One line of a definition list; {@code iso} set for a time, shown in the viewer's zone. */
  record Fact(String name, String value, String iso) {
    static Fact of(String name, String value) {
      return new Fact(name, value, null);
    }

    static Fact time(String name, Instant instant) {
      return new Fact(name, PageText.utc(instant), instant == null ? null : PageText.iso(instant));
    }
  }

  record Login(String message) {}

  record Problem(Sessions.Session session, String title, String detail) {}

  /** The history's filters as the viewer gave them ("" for none). */
  record Filters(String status, String script, String workflowRun, String since, String until) {}

  /** One run in the history table. */
  record Row(
      String href,
      String shortId,
      String status,
      String css,
      String script,
      String iso,
      String started,
      String duration,
      String requestedBy,
      String workflowHref,
      String workflowShort) {}

  record History(
      Sessions.Session session,
      Filters filters,
      List<String> statuses,
      List<Row> rows,
      HistoryChart chart,
      String next,
      String first) {
    History {
      statuses = List.copyOf(statuses);
      rows = List.copyOf(rows);
    }
  }

  record Run(
      Sessions.Session session,
      String id,
      String status,
      String css,
      String meaning,
      String script,
      boolean live,
      boolean cancel,
      List<Fact> facts,
      String inputs,
      String output,
      String stderr,
      boolean stderrTruncated,
      String error,
      String workflowHref) {
    Run {
      facts = List.copyOf(facts);
    }
  }

  /** One step of a workflow run; {@code href} null when the step never got an execution. */
  record Step(String id, String href, String status, String css, boolean failed) {}

  record Workflow(
      Sessions.Session session,
      String id,
      String name,
      String status,
      String css,
      String meaning,
      boolean live,
      boolean cancel,
      List<Fact> facts,
      List<Step> steps,
      String inputs,
      String output,
      String error) {
    Workflow {
      facts = List.copyOf(facts);
      steps = List.copyOf(steps);
    }
  }
}
