package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child of a fork server seen as a {@link Process}, so that the runner, the stop policy and the
 * cgroups treat it as a started child: its streams are the three Unix socket connections it made to
 * stepguard (closing stdin's is the end of input, as closing a pipe is; stdout and stderr end once
 * every process holding them is gone), its signals go through a {@link ProcessHandle} of its pid
 * (whose start time the JDK checks before each signal), and its exit status is the one the fork
 * server reported after reaping it.
 */
final class ForkedProcess extends Process {
  private final ProcessHandle handle;
  private final List<SocketChannel> streams;
  private final OutputStream stdin;
  private final InputStream stdout;
  private final InputStream stderr;
  private final CompletableFuture<Integer> exit;

  /**
   * A child with {@code handle}, its {@code streams} (stdin, stdout, stderr) and the status its
   * fork server will report.
   */
  ForkedProcess(
      ProcessHandle handle, List<SocketChannel> streams, CompletableFuture<Integer> exit) {
    this.handle = Objects.requireNonNull(handle, "handle");
    this.streams = List.copyOf(streams);
    this.exit = Objects.requireNonNull(exit, "exit");
    this.stdin = Channels.newOutputStream(this.streams.get(0));
    this.stdout = Channels.newInputStream(this.streams.get(1));
    this.stderr = Channels.newInputStream(this.streams.get(2));
  }

  /** Closes stepguard's ends of the streams: a child waiting for its run then reads the end. */
  void abandon() {
    for (SocketChannel stream : streams) {
      try {
        stream.close();
      } catch (IOException e) {
        // Closing is all that is wanted; a failure leaves nothing to do.
      }
    }
  }

  @Override
  public OutputStream getOutputStream() {
    return stdin;
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return stderr;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exit.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public int exitValue() {
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("process " + handle.pid() + " has not exited");
    }
    return exit.join();
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public void destroy() {
    handle.destroy();
  }

  @Override
  public Process destroyForcibly() {
    handle.destroyForcibly();
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  @Override
  public long pid() {
    return handle.pid();
  }

  @Override
  public ProcessHandle toHandle() {
    return handle;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit.thenApply(status -> this);
  }
}
