package dev.stepguard.app.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An error to answer with as an RFC 9457 problem document: thrown by handlers, written once by the
 * server's exception handler.
 */
final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ProblemType type;
  private final transient Map<String, Object> extensions;
  private final transient Map<String, String> headers;

  ApiProblem(ProblemType type, String detail) {
    this(type, detail, Map.of(), Map.of());
  }

  ApiProblem(
      ProblemType type,
      String detail,
      Map<String, Object> extensions,
      Map<String, String> headers) {
    super(Objects.requireNonNull(detail, "detail"), null, false, false);
    this.type = Objects.requireNonNull(type, "type");
    if (extensions.containsKey("status")) {
      throw new IllegalArgumentException("a problem's status member is its HTTP status");
    }
    this.extensions = new LinkedHashMap<>(extensions);
    this.headers = Map.copyOf(headers);
  }

  ProblemType type() {
    return type;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** The problem document: type, title, status, detail, then the extension members. */
  Map<String, Object> body(String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type.uri().toString());
    body.put("title", type.title());
    body.put("status", type.status());
    body.put("detail", getMessage());
    body.put("instance", instance);
    body.putAll(extensions);
    return body;
  }
}
