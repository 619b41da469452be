package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.Quantities;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/executions}: {@code {"script": "...", "inputs": {...}, "timeout":
 * "10s"}} and nothing else. No interpreter flags, no environment, no limits: what a run may do is
 * the operator's to say, never a request's.
 */
record RunRequest(String script, String inputJson, Optional<Duration> timeout) {
  private static final Set<String> FIELDS = Set.of("script", "inputs", "timeout");

  static RunRequest of(ObjectNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw malformed(
            "the body has a field '"
                + name
                + "' that this route does not take; it takes script, inputs and timeout");
      }
    }
    JsonNode script = body.get("script");
    if (script == null || !script.isTextual() || script.asText().isEmpty()) {
      throw malformed("the body needs \"script\": the path of a .py file inside the project");
    }
    return new RunRequest(script.asText(), inputs(body).toString(), timeout(body));
  }

  /** The {@code inputs} object of a body, {@code {}} when it has none. */
  static JsonNode inputs(ObjectNode body) {
    JsonNode inputs = body.get("inputs");
    if (inputs == null || inputs.isNull()) {
      return body.objectNode();
    }
    if (!inputs.isObject()) {
      throw malformed("\"inputs\" must be a JSON object");
    }
    return inputs;
  }

  private static Optional<Duration> timeout(ObjectNode body) {
    JsonNode timeout = body.get("timeout");
    if (timeout == null || timeout.isNull()) {
      return Optional.empty();
    }
    if (!timeout.isTextual()) {
      throw malformed("\"timeout\" must be a duration such as \"500ms\", \"30s\" or \"2m\"");
    }
    try {
      Duration value = Quantities.duration(timeout.asText());
      if (value.isZero() || value.isNegative()) {
        throw malformed("\"timeout\" must be positive");
      }
      return Optional.of(value);
    } catch (IllegalArgumentException e) {
      throw malformed(
          "\"timeout\" must be a duration such as \"500ms\", \"30s\" or \"2m\": " + e.getMessage());
    }
  }

  static ApiProblem malformed(String detail) {
    return new ApiProblem(ProblemType.MALFORMED_REQUEST, detail);
  }
}
