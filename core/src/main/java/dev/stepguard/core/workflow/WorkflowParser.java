package dev.stepguard.core.workflow;

import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowAllowance;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Reads a workflow file (the format of docs/workflows.md) and reports every problem in it, each
 * with its line and column, before any step could run: unknown keys, missing or duplicate step ids,
 * bad durations and limits, timeouts over the maximum, references to undeclared inputs or to steps
 * that do not run earlier, {@code paths} naming an input the step does not have. Durations and
 * limits reach the {@link Workflow} parsed.
 */
public final class WorkflowParser {
  /** The largest workflow file: far larger than any real one; a larger one is refused unread. */
  public static final int MAX_BYTES = 1 << 20;

  private final WorkflowAllowance allowance;

  /** A parser that refuses what {@code allowance} does not allow, each at its place. */
  public WorkflowParser(WorkflowAllowance allowance) {
    this.allowance = Objects.requireNonNull(allowance, "allowance");
  }

  /** One problem, at a place in the file. */
  public record Problem(String file, int line, int column, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ":" + column + ": " + message;
    }
  }

  /** A valid workflow, or everything wrong with the file. */
  public sealed interface Result {
    record Valid(Workflow workflow) implements Result {}

    /** The problems in the order they stand in the file. */
    record Invalid(List<Problem> problems) implements Result {
      public Invalid {
        problems =
            problems.stream()
                .sorted(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
      }
    }
  }

  public Result parse(String file, byte[] content) {
    return new WorkflowReading(file, content, allowance).read();
  }
}
