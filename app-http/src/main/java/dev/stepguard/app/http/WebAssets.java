package dev.stepguard.app.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web pages' two assets, served by stepguard itself from its jar (no CDN: the pages work
 * offline): the style sheet, and the small script that shows times in the viewer's zone.
 */
enum WebAssets {
  STYLE("web/style.css", "text/css; charset=utf-8"),
  SCRIPT("web/web.js", "text/javascript; charset=utf-8");

  private final String contentType;
  private final byte[] bytes;

  WebAssets(String resource, String contentType) {
    this.contentType = contentType;
    try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the server's jar");
      }
      this.bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(Context ctx) {
    WebAccess.headers(ctx);
    ctx.contentType(contentType).result(bytes.clone());
  }
}
