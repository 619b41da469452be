package dev.stepguard.adapters.persistence;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Another stepguard holding the turn at opening the history: a thread that takes the {@link
 * OpenLock} at {@code lockFile} and keeps it until {@link #release()} or {@link #close()}.
 */
final class HeldTurn implements AutoCloseable {
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread holder;

  private HeldTurn(Path lockFile) {
    holder =
        new Thread(
            () -> {
              try {
                OpenLock turn = OpenLock.acquire(lockFile, Instant.now().plusSeconds(10));
                held.countDown();
                done.await(20, TimeUnit.SECONDS);
                turn.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** Takes the turn in another thread and returns once it is held. */
  static HeldTurn take(Path lockFile) throws InterruptedException {
    HeldTurn turn = new HeldTurn(lockFile);
    turn.holder.start();
    if (!turn.held.await(10, TimeUnit.SECONDS)) {
      turn.close();
      throw new IllegalStateException("the turn at " + lockFile + " was not taken in 10 s");
    }
    return turn;
  }

  /** Gives the turn back and waits until it is given. */
  void release() throws InterruptedException {
    done.countDown();
    holder.join();
  }

  @Override
  public void close() {
    try {
      release();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
