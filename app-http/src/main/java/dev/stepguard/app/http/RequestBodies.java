package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.execution.JsonObjectReader;
import dev.stepguard.core.model.Quantities;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a request body that must be one JSON object: refused with 413 before a byte is read when it
 * declares a length over the cap, and as soon as the cap is passed when it does not (chunked); then
 * read with the same strict limits as a script's input (UTF-8, depth, no duplicate keys).
 */
final class RequestBodies {
  private final long maxBytes;
  private final int maxDepth;

  RequestBodies(long maxBytes, int maxDepth) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Refuses a body whose declared length is over the cap, before anything reads it. */
  void checkDeclaredLength(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge();
    }
  }

  /** The body as one JSON object. */
  ObjectNode object(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith(Json.TYPE)) {
      throw new ApiProblem(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "the body is " + type + "; send one JSON object as application/json");
    }
    JsonObjectReader.Result read = JsonObjectReader.of(maxDepth, maxBytes).read(bytes(ctx));
    if (read instanceof JsonObjectReader.Result.Invalid invalid) {
      throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "the body " + invalid.problem());
    }
    return ((JsonObjectReader.Result.Parsed) read).object();
  }

  /** The raw body, at most the cap: more than that is refused as soon as it arrives. */
  byte[] bytes(Context ctx) {
    checkDeclaredLength(ctx);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = ctx.req().getInputStream()) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (body.size() + (long) n > maxBytes) {
          throw tooLarge();
        }
        body.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new ApiProblem(
          ProblemType.MALFORMED_REQUEST, "the body could not be read: " + e.getMessage());
    }
    return body.toByteArray();
  }

  private ApiProblem tooLarge() {
    return new ApiProblem(
        ProblemType.BODY_TOO_LARGE,
        "the body is larger than "
            + Quantities.bytesText(maxBytes)
            + ", the most this server reads",
        java.util.Map.of("maxBytes", maxBytes),
        java.util.Map.of("Connection", "close"));
  }
}
