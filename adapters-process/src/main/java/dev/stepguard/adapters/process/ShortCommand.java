package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short check (a version query, a trial) and waits at most its timeout however the command
 * behaves: stdin is written and stdout read on threads of their own, so a command that never reads,
 * hangs, or leaves a child holding its output open cannot hold the caller. The command carries a
 * {@code STEPGUARD_EXECUTION_ID} of its own, and when it ends, however it ends, its tree and every
 * process that still carries that id are killed, daemons that left the tree included.
 */
final class ShortCommand {
  /** How long the output may go on after the command exited (a child of it may hold the pipe). */
  static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(1);

  /** How a short command ended. */
  sealed interface Ending {
    /** Why the command gave no usable answer, for a message that names the command first. */
    String reason();

    /**
     * It exited and its output ended.
     *
     * @param output stdout, at most the bytes asked for, as UTF-8
     * @param truncated whether it wrote more than that
     */
    record Exited(int code, String output, boolean truncated) implements Ending {
      @Override
      public String reason() {
        return "exited with status " + code;
      }
    }

    /** It was still running at its timeout and was killed. */
    record TimedOut(Duration timeout) implements Ending {
      @Override
      public String reason() {
        long millis = timeout.toMillis();
        return "did not answer within "
            + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
      }
    }

    /** It exited, but a process it left kept its output open. */
    record OutputHeldOpen() implements Ending {
      @Override
      public String reason() {
        return "exited, but its output did not end (a process it left holds it open)";
      }
    }
  }

  private record Output(byte[] bytes, boolean truncated) {}

  private ShortCommand() {}

  /**
   * Starts {@code builder} (its environment, directory and stderr as the caller set them), writes
   * {@code stdin} (none if null), reads at most {@code maxOutput} bytes of stdout and waits at most
   * {@code timeout} for the command to exit.
   */
  static Ending run(ProcessBuilder builder, byte[] stdin, int maxOutput, Duration timeout)
      throws IOException, InterruptedException {
    String mark = "short-command-" + UUID.randomUUID();
    builder.environment().put("STEPGUARD_EXECUTION_ID", mark);
    Process process = LiveProcesses.start(builder);
    long notBefore = ProcessIdentities.startTicks(process.pid()).orElse(0);
    try {
      feed(process, stdin == null ? new byte[0] : stdin.clone());
      FutureTask<Output> output = new FutureTask<>(() -> read(process.getInputStream(), maxOutput));
      daemon(output, "stepguard-short-command-output").start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new Ending.TimedOut(timeout);
      }
      Output read = output.get(OUTPUT_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS);
      return new Ending.Exited(
          process.exitValue(), new String(read.bytes(), StandardCharsets.UTF_8), read.truncated());
    } catch (TimeoutException e) {
      return new Ending.OutputHeldOpen();
    } catch (ExecutionException e) {
      throw new IOException("its output could not be read", e.getCause());
    } finally {
      if (process.isAlive()) {
        ProcessTree.kill(process.toHandle());
      }
      Leftovers.kill(Set.of(), mark, notBefore);
      LiveProcesses.forget(process.toHandle());
    }
  }

  /** Writes {@code bytes} and closes stdin on a thread: a command that never reads may fill it. */
  private static void feed(Process process, byte[] bytes) {
    OutputStream stdin = process.getOutputStream();
    if (bytes.length == 0) {
      closeQuietly(stdin);
      return;
    }
    daemon(
            () -> {
              try (stdin) {
                stdin.write(bytes);
              } catch (IOException e) {
                // The command exited or closed stdin without reading; its ending says why.
              }
            },
            "stepguard-short-command-input")
        .start();
  }

  /** At most {@code max} bytes, then the rest drained unread so that the command can exit. */
  private static Output read(InputStream stdout, int max) throws IOException {
    try (stdout) {
      byte[] bytes = stdout.readNBytes(max);
      boolean truncated = stdout.transferTo(OutputStream.nullOutputStream()) > 0;
      return new Output(bytes, truncated);
    }
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // Nothing was to be written.
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
