package dev.stepguard.app.http;

import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import java.time.Duration;
import java.util.Optional;

/**
 * One kind of run the server starts (a script run, a workflow run), as {@link RunStarter} needs it:
 * how one is accepted, run and withdrawn, and how its records read.
 *
 * @param <R> the record of a run of this kind
 */
interface RunKind<R> {
  /** The route's name, under which an {@code Idempotency-Key} is claimed. */
  String route();

  /** The member of a 422 problem that names a refused run of this kind. */
  String idField();

  /** The URL of run {@code id}. */
  String location(String id);

  /**
   * Records run {@code id} RUNNING and queued, owned by this server, or the record of its refusal.
   *
   * @throws IllegalStateException when the history cannot record it
   */
  R accept(String id);

  /** Runs the accepted run {@code id} in a slot, to its end. */
  R run(String id, Cancellation cancellation);

  /** Closes the accepted run {@code id}, not started yet, CANCELLED; empty if it is not RUNNING. */
  Optional<R> withdraw(String id, CancelRequest cancel);

  /** Run {@code id} as the history has it. */
  Optional<R> find(String id);

  String id(R record);

  Status status(R record);

  /** The error message of {@code record}, null when it has none. */
  String error(R record);

  /** How long {@code record} ran, for the metrics. */
  Duration duration(R record);
}
