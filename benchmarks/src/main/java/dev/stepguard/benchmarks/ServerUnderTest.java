package dev.stepguard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code ./stepguard-server} for a project, started as a user starts it, on a free loopback
 * port; its token is the {@code default} one it writes on first start.
 */
final class ServerUnderTest implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+) ");

  private final Process process;
  final int port;
  final String token;

  private ServerUnderTest(Process process, int port, String token) {
    this.process = process;
    this.port = port;
    this.token = token;
  }

  /** Starts the server of {@code project} with {@code env} added and waits until it listens. */
  static ServerUnderTest start(Path root, Path project, Map<String, String> env, String... flags)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                root.resolve("stepguard-server").toString(),
                "--project",
                project.toString(),
                "--port",
                "0"));
    command.addAll(List.of(flags));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  Matcher listening = LISTENING.matcher(line);
                  if (listening.find()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(new IllegalStateException("the server ended"));
            },
            "bench-server-log");
    reader.setDaemon(true);
    reader.start();
    int listening;
    try {
      listening = port.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + e.getMessage(), e);
    }
    String token =
        Files.readString(project.resolve(".stepguard").resolve("token"), StandardCharsets.UTF_8)
            .trim();
    return new ServerUnderTest(process, listening, token);
  }

  long pid() {
    return process.pid();
  }

  /** The server's resident set size now, in KiB, from {@code /proc}. */
  long residentKib() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for the server");
  }

  /** Stops the server as a service manager does (SIGTERM), or kills it after a minute. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
