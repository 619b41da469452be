package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.execution.JsonObjectReader;
import dev.stepguard.core.model.Quantities;
import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body that must be one JSON object: refused with 413 before a byte is read when it
 * declares a length over the cap, and as soon as the cap is passed when it does not (chunked); then
 * read with the same strict limits as a script's input (UTF-8, depth, no duplicate keys).
 *
 * <p>The body is read without holding a request thread ({@link #readAhead}): bytes are taken as
 * they arrive, and a body not all there within {@link #deadline} is a 408, so a client that sends
 * its headers and then a trickle, or nothing, holds no thread and is cut off.
 */
final class RequestBodies {
  private static final String READ = "stepguard.body";

  private final long maxBytes;
  private final int maxDepth;
  private final Duration deadline;
  private final ScheduledExecutorService timers;

  RequestBodies(long maxBytes, int maxDepth, Duration deadline, ScheduledExecutorService timers) {
    this.maxBytes = maxBytes;
    this.maxDepth = maxDepth;
    this.deadline = deadline;
    this.timers = timers;
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
    if (type != null && !isJson(type)) {
      throw new ApiProblem(
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          "the body is "
              + type
              + "; send one JSON object as application/json (charset utf-8, if one is named)");
    }
    JsonObjectReader.Result read = JsonObjectReader.of(maxDepth, maxBytes).read(bytes(ctx));
    if (read instanceof JsonObjectReader.Result.Invalid invalid) {
      throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "the body " + invalid.problem());
    }
    return ((JsonObjectReader.Result.Parsed) read).object();
  }

  /**
   * Whether a Content-Type is JSON: exactly {@code application/json}, with no parameter but an
   * optional {@code charset=utf-8} (RFC 8259 JSON is UTF-8; any other charset would be misread).
   */
  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(Json.TYPE)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter.length != 2
          || !parameter[0].trim().equalsIgnoreCase("charset")
          || !unquoted(parameter[1].trim()).equalsIgnoreCase("utf-8")) {
        return false;
      }
    }
    return true;
  }

  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  /** The raw body that {@link #readAhead} read. */
  byte[] bytes(Context ctx) {
    byte[] body = ctx.attribute(READ);
    if (body == null) {
      throw new IllegalStateException("the body of " + ctx.path() + " was not read ahead");
    }
    return body;
  }

  /**
   * Reads the whole body as it arrives, holding no thread while it does; the future completes once
   * it is all there, or fails with 413 past the cap and 408 past the deadline. The request must be
   * asynchronous already (Javalin's {@code ctx.future} makes it so).
   */
  CompletableFuture<Void> readAhead(Context ctx) {
    checkDeclaredLength(ctx);
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    ScheduledFuture<?> late =
        timers.schedule(
            () ->
                body.completeExceptionally(
                    new ApiProblem(
                        ProblemType.REQUEST_TIMEOUT,
                        "the body did not all arrive within "
                            + Quantities.text(deadline)
                            + "; send it at once",
                        Map.of("deadlineMs", deadline.toMillis()),
                        Map.of("Connection", "close"))),
            deadline.toMillis(),
            TimeUnit.MILLISECONDS);
    body.whenComplete((bytes, error) -> late.cancel(false));
    try {
      ServletInputStream in = ctx.req().getInputStream();
      in.setReadListener(new Reader(in, body));
    } catch (IOException | IllegalStateException e) {
      body.completeExceptionally(unreadable(e));
    }
    return body.thenAccept(bytes -> ctx.attribute(READ, bytes));
  }

  /** Takes the bytes of one body as the container says they are there. */
  private final class Reader implements ReadListener {
    private final ServletInputStream in;
    private final CompletableFuture<byte[]> body;
    private final ByteArrayOutputStream read = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];

    Reader(ServletInputStream in, CompletableFuture<byte[]> body) {
      this.in = in;
      this.body = body;
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
      while (!body.isDone() && in.isReady()) {
        int n = in.read(buffer);
        if (n == -1) {
          return;
        }
        if (read.size() + (long) n > maxBytes) {
          body.completeExceptionally(tooLarge());
          return;
        }
        read.write(buffer, 0, n);
      }
    }

    @Override
    public synchronized void onAllDataRead() {
      body.complete(read.toByteArray());
    }

    @Override
    public void onError(Throwable failure) {
      body.completeExceptionally(
          failure instanceof java.util.concurrent.TimeoutException
              ? new ApiProblem(
                  ProblemType.REQUEST_TIMEOUT,
                  "the body stopped arriving; send it at once",
                  Map.of(),
                  Map.of("Connection", "close"))
              : unreadable(failure));
    }
  }

  private static ApiProblem unreadable(Throwable e) {
    return new ApiProblem(
        ProblemType.MALFORMED_REQUEST,
        "the body could not be read: " + e.getMessage(),
        Map.of(),
        Map.of("Connection", "close"));
  }

  private ApiProblem tooLarge() {
    return new ApiProblem(
        ProblemType.BODY_TOO_LARGE,
        "the body is larger than "
            + Quantities.bytesText(maxBytes)
            + ", the most this server reads",
        Map.of("maxBytes", maxBytes),
        Map.of("Connection", "close"));
  }
}
