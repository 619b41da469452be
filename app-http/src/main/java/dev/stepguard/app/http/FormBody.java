package dev.stepguard.app.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A small {@code application/x-www-form-urlencoded} body, read ahead by {@link RequestBodies} (so
 * it is bounded and holds no thread while it arrives). The first value of a repeated field wins.
 */
final class FormBody {
  private final Map<String, String> fields;

  private FormBody(Map<String, String> fields) {
    this.fields = fields;
  }

  static FormBody parse(byte[] body) {
    Map<String, String> fields = new HashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return new FormBody(fields);
    }
    try {
      for (String pair : text.split("&", -1)) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        fields.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(ProblemType.MALFORMED_REQUEST, "the form has a broken percent-escape");
    }
    return new FormBody(fields);
  }

  /** The field's value, or null when the form has no such field. */
  String value(String name) {
    return fields.get(name);
  }
}
