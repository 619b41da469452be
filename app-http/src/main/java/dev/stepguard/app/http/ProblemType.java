package dev.stepguard.app.http;

import java.net.URI;

/**
 * Every kind of error the API answers with, each with a stable {@code type} URI (RFC 9457), the
 * HTTP status it goes with and a short title. Clients switch on {@link #uri()}, never on the text.
 */
enum ProblemType {
  MALFORMED_REQUEST(400, "The request is malformed"),
  UNAUTHORIZED(401, "A valid bearer token is required"),
  FORBIDDEN(403, "The token may not do this"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  REQUEST_TIMEOUT(408, "The request did not arrive in time"),
  NOT_CANCELLABLE(409, "The run cannot be cancelled here"),
  BODY_TOO_LARGE(413, "The request body is too large"),
  URI_TOO_LONG(414, "The request target is too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "The body must be application/json"),
  REJECTED(422, "The run, or a step of the workflow run, was refused before it started"),
  INVALID_WORKFLOW(422, "The workflow file is invalid"),
  IDEMPOTENCY_KEY_REUSED(422, "The Idempotency-Key was used with another body"),
  QUEUE_FULL(429, "Every run slot is busy and the queue is full"),
  HEADERS_TOO_LARGE(431, "The request headers are too large"),
  SHUTTING_DOWN(503, "The server is shutting down"),
  HISTORY_UNAVAILABLE(503, "The execution history cannot be reached"),
  TOO_MANY_STREAMS(503, "Too many event streams are open"),
  OVERLOADED(503, "The server is overloaded"),
  NOT_IMPLEMENTED(501, "The request uses something this server does not implement"),
  HTTP_VERSION_NOT_SUPPORTED(505, "The HTTP version is not supported"),
  INTERNAL(500, "Internal error");

  private static final String BASE = "https://stepguard.dev/problems/";

  private final int status;
  private final String title;

  ProblemType(int status, String title) {
    this.status = status;
    this.title = title;
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  /** The stable identifier of this kind, e.g. {@code https://stepguard.dev/problems/queue-full}. */
  URI uri() {
    return URI.create(BASE + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
  }
}
