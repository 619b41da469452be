package dev.stepguard.app.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before or beside the routes (a request line it cannot parse, a
 * URI or headers too large, a bad Host, an unknown transfer coding...): RFC 9457 problem documents
 * like every other answer of the server, instead of Jetty's HTML pages.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.PROBLEM_TYPE);
    response.write(true, ByteBuffer.wrap(body(code, message, path)), callback);
  }

  /** The problem document for an answer of {@code status} that Jetty made. */
  static byte[] body(int status, String reason, String instance) {
    ProblemType type =
        Arrays.stream(ProblemType.values())
            .filter(candidate -> candidate.status() == status)
            .findFirst()
            .orElse(null);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type == null ? "about:blank" : type.uri().toString());
    body.put("title", type == null ? HttpStatus.getMessage(status) : type.title());
    body.put("status", status);
    body.put("detail", detail(status, reason));
    body.put("instance", instance);
    return Json.text(body).getBytes(StandardCharsets.UTF_8);
  }

  private static String detail(int status, String reason) {
    String said = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    // Jetty's reasons are short; a long one could only be echoing the request back.
    return "the server could not take this request: "
        + (said.length() > 200 ? said.substring(0, 200) + "..." : said);
  }
}
