package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepguard.core.port.HistoryUnavailableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How stepguard processes take turns at the project's H2 file (docs/history.md). */
class TakingTurnsTest {
  @TempDir Path project;

  @Test
  void givesUpAfterItsPatienceWhileAnotherHoldsTheTurnThenFailsFast() throws Exception {
    HistorySettings settings = HistorySettings.forProject(project);
    try (HeldTurn other = HeldTurn.take(project.resolve(".stepguard/history.open.lock"));
        HistoryDatabase database = new HistoryDatabase(settings, Duration.ofMillis(300))) {
      JdbiExecutionStore store = new JdbiExecutionStore(database);

      assertThatThrownBy(store::running)
          .isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining("still busy after");
      long start = System.nanoTime();
      assertThatThrownBy(store::running).isInstanceOf(HistoryUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

      other.release();
      assertThat(store.running()).isEmpty();
    }
  }

  @Test
  void waitsOutALockFileThatKeepsChangingThenOpens() throws Exception {
    Path lockFile = project.resolve(".stepguard/history.lock.db");
    Files.createDirectories(lockFile.getParent());
    long busyUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
    Thread newcomers =
        new Thread(
            () -> {
              try {
                while (System.nanoTime() < busyUntil) {
                  Files.writeString(lockFile, "#FileLock\nid=other\nmethod=file\n");
                  Thread.sleep(200);
                }
                Files.deleteIfExists(lockFile);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    newcomers.start();
    try (HistoryDatabase database =
        new HistoryDatabase(HistorySettings.forProject(project), Duration.ofSeconds(30))) {
      assertThat(new JdbiExecutionStore(database).running()).isEmpty();
    } finally {
      newcomers.join();
    }
  }

  @Test
  void stopsWaitingForTheTurnWhenItIsNoLongerNeeded() throws Exception {
    Path file = project.resolve("turn.lock");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread other =
        new Thread(
            () -> {
              try {
                OpenLock turn = OpenLock.acquire(file, Instant.now().plusSeconds(5));
                held.countDown();
                done.await(10, TimeUnit.SECONDS);
                turn.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    other.start();
    try {
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(OpenLock.acquire(file, Instant.now().plusSeconds(5), () -> true)).isEmpty();
      assertThatThrownBy(() -> OpenLock.acquire(file, Instant.now().plusMillis(100)))
          .isInstanceOf(OpenLock.Busy.class);
    } finally {
      done.countDown();
      other.join();
    }
    try (OpenLock mine = OpenLock.acquire(file, Instant.now().plusSeconds(5), () -> false).get()) {
      assertThat(mine).isNotNull();
    }
    Files.delete(file);
    Files.createSymbolicLink(file, project.resolve("elsewhere"));
    assertThatThrownBy(() -> OpenLock.acquire(file, Instant.now().plusSeconds(1)))
        .isInstanceOf(java.io.IOException.class);
    assertThat(project.resolve("elsewhere")).doesNotExist();
  }

  @Test
  void aHostShutsTheFileDownOnCloseSoTheNextOpenerFindsNoLockFile() {
    try (HistoryDatabase database = new HistoryDatabase(HistorySettings.forProject(project))) {
      new JdbiExecutionStore(database).running();
      assertThat(project.resolve(".stepguard/history.lock.db")).exists();
    }
    assertThat(project.resolve(".stepguard/history.lock.db")).doesNotExist();
    try (HistoryDatabase again = new HistoryDatabase(HistorySettings.forProject(project))) {
      assertThat(new JdbiExecutionStore(again).running()).isEmpty();
    }
  }

  @Test
  void waitsOnlyForLockAndHandOverErrors() {
    assertThat(Contention.is(new SQLException("x", "8000", ErrorCode.ERROR_OPENING_DATABASE_1)))
        .isTrue();
    assertThat(
            Contention.is(
                new IllegalStateException(
                    new SQLException("x", "90020", ErrorCode.DATABASE_ALREADY_OPEN_1))))
        .isTrue();
    assertThat(Contention.is(new SQLException("x", "28000", ErrorCode.WRONG_USER_OR_PASSWORD)))
        .isFalse();
    assertThat(Contention.is(new IllegalStateException("no cause"))).isFalse();
  }

  @Test
  void joinsOnlyALiveHostOnThisMachine() throws Exception {
    Path lockFile = project.resolve("history.lock.db");
    assertThat(LiveServer.advertisedIn(lockFile)).isFalse();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Files.writeString(lockFile, "server=127.0.0.1\\:" + listener.getLocalPort() + "\n");
      assertThat(LiveServer.advertisedIn(lockFile)).isTrue();
    }
    assertThat(LiveServer.advertisedIn(lockFile)).isFalse();
    Files.writeString(lockFile, "server=192.0.2.1\\:9092\n");
    assertThat(LiveServer.advertisedIn(lockFile)).isFalse();
    Files.writeString(lockFile, "method=file\n");
    assertThat(LiveServer.advertisedIn(lockFile)).isFalse();
  }
}
