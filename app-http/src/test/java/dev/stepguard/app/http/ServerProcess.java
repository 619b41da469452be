package dev.stepguard.app.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's real entry point in a JVM of its own, for what only another process shows. */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+) ");

  final Process process;
  final int port;
  final List<String> log = new ArrayList<>();

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServerProcess start(Path project, Path operatorConfig, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The test's temporary directory, not /tmp: a killed server leaves its runs' homes there, and
    // the next start (in the test's JVM) removes them from that directory only.
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    // The server's own logging (logback.xml), not the tests' quieter logback-test.xml.
    command.add("-Dlogback.configurationFile=" + ServerMain.class.getResource("/logback.xml"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ServerMain.class.getName());
    command.addAll(List.of("--project", project.toString(), "--port", "0"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STEPGUARD_CONFIG", operatorConfig.toString());
    Process process = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  synchronized (seen) {
                    seen.add(line);
                  }
                  Matcher listening = LISTENING.matcher(line);
                  if (listening.find()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              port.complete(-1);
            });
    reader.setDaemon(true);
    reader.start();
    int bound;
    try {
      bound = port.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + seen, e);
    }
    if (bound < 0) {
      throw new IllegalStateException("the server did not start: " + seen);
    }
    ServerProcess server = new ServerProcess(process, bound);
    synchronized (seen) {
      server.log.addAll(seen);
    }
    return server;
  }

  /** The token the server wrote for local clients on its first start. */
  static String defaultToken(Path project) throws IOException {
    return Files.readString(project.resolve(".stepguard/token")).trim();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
