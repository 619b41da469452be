package dev.stepguard.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;

/** Writes response bodies in the record shape of the command line's {@code --json}. */
final class Json {
  static final String TYPE = "application/json";
  static final String PROBLEM_TYPE = "application/problem+json";

  private Json() {}

  static void write(Context ctx, Object body) {
    ctx.contentType(TYPE).result(text(body));
  }

  static void problem(Context ctx, int status, Object body) {
    ctx.status(status).contentType(PROBLEM_TYPE).result(text(body));
  }

  static String text(Object body) {
    try {
      return dev.stepguard.core.model.Json.writer().writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a response body: " + e.getMessage(), e);
    }
  }
}
