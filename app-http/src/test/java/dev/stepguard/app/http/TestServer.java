package dev.stepguard.app.http;

import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real server on a random loopback port over a real project and H2 history in a test's directory,
 * with two tokens in its real token store ({@link #RUN} labelled ci, {@link #READ} labelled
 * auditor), and a real HTTP client.
 */
final class TestServer implements AutoCloseable {
  static final String RUN = "run-token-0123456789abcdef";
  static final String READ = "read-token-0123456789abcdef";

  final Path project;
  final RunningServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Path project, RunningServer server) {
    this.project = project;
    this.server = server;
  }

  /**
   * A server for a project in {@code directory}, with an operator config of {@code operatorYaml}
   * (process isolation unless it says otherwise) and extra server arguments.
   */
  static TestServer start(Path directory, String operatorYaml, String... args) {
    try {
      Path project = Files.createDirectories(directory.resolve("project"));
      Path operator = directory.resolve("operator.yaml");
      Files.writeString(operator, operatorYaml);
      List<String> all = new ArrayList<>(List.of("--project", project.toString(), "--port", "0"));
      all.addAll(List.of(args));
      RunningServer server =
          ServerMain.start(
              all.toArray(String[]::new),
              RuntimeModuleFactory.production(),
              Map.of("STEPGUARD_CONFIG", operator.toString()),
              directory,
              runtime -> {
                Instant now = Instant.now();
                runtime
                    .tokens()
                    .add(new ApiToken("ci", TokenScope.RUN, ApiTokens.sha256Hex(RUN), now));
                runtime
                    .tokens()
                    .add(new ApiToken("auditor", TokenScope.READ, ApiTokens.sha256Hex(READ), now));
                return ProductionTokens.authenticator(runtime);
              });
      return new TestServer(project, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client for a server a test started itself. */
  static TestServer around(Path project, RunningServer server) {
    return new TestServer(project, server);
  }

  static TestServer withArgs(Path directory, String... args) {
    return start(directory, "isolation: process\n", args);
  }

  void script(String name, String source) {
    try {
      Path file = project.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  HttpResponse<String> post(String path, String token, String body, String... headers) {
    HttpRequest.Builder builder =
        request(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return send(builder.build());
  }

  @Override
  public void close() {
    server.stop();
  }
}
