package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.history.RunRecovery;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.HistoryUnavailableException;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project's runtime builds what is asked for, when it is asked for, and recovers once. */
class ProjectRuntimeTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path project;
  @TempDir Path operatorDirectory;

  private final FakeModules fakes = new FakeModules();
  private RuntimeFactory runtimes;

  private RuntimeFactory runtimes() {
    if (runtimes == null) {
      runtimes =
          Guice.createInjector(
                  new CompositionModule(
                      fakes,
                      Map.of(
                          "STEPGUARD_CONFIG", operatorDirectory.resolve("config.yaml").toString())))
              .getInstance(RuntimeFactory.class);
    }
    return runtimes;
  }

  private ProjectRuntime open() {
    return runtimes().open(project, Settings.defaults());
  }

  @AfterEach
  void closeRuntimes() {
    if (runtimes != null) {
      runtimes.closeAll();
    }
  }

  @Test
  void readsTheHistoryWithoutBuildingALauncher() {
    ProjectRuntime runtime = open();

    assertThat(runtime.history().list(HistoryFilter.all(20)).items()).isEmpty();
    assertThat(runtime.checks()).hasSize(1);
    assertThat(fakes.launcherModules).hasValue(0);
    assertThat(fakes.launching).as("nothing of the launching side is started").isEmpty();
  }

  @Test
  void keepsTokensBesideTheHistoryAndMakesTheDefaultOneWithoutALauncher() throws Exception {
    ProjectRuntime runtime = open();

    String token = DefaultToken.ensure(runtime).orElseThrow();

    assertThat(runtime.tokens()).isSameAs(fakes.tokens);
    assertThat(fakes.tokens.findBySha256(ApiTokens.sha256Hex(token)))
        .hasValueSatisfying(t -> assertThat(t.label()).isEqualTo("default"));
    assertThat(Files.readString(DefaultToken.file(project))).isEqualTo(token + "\n");
    assertThat(DefaultToken.ensure(runtime)).isEmpty();
    assertThat(fakes.launcherModules).hasValue(0);
  }

  @Test
  void keepsIdempotencyKeysBesideTheHistoryWithoutALauncher() {
    ProjectRuntime runtime = open();

    assertThat(runtime.idempotencyKeys()).isSameAs(runtime.idempotencyKeys()).isNotNull();
    assertThat(fakes.launcherModules).hasValue(0);
  }

  @Test
  void buildsTheLauncherOnceWhenScriptsAreToRun() {
    ProjectRuntime runtime = open();

    ExecutionRecord record =
        runtime
            .executor()
            .execute(
                ExecutionRequest.standalone(
                    "hello.py",
                    "{}",
                    Settings.defaults().timeout(),
                    Settings.defaults().grace(),
                    Settings.defaults().limitsFor(Settings.defaults().timeout()),
                    Requester.cli("test")));
    runtime.workflows();

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(runtime.isolation()).isEqualTo(Isolation.PROCESS);
    assertThat(fakes.launcherModules).hasValue(1);
    assertThat(fakes.launching)
        .as("what the first launch waits for is started before the launcher is built")
        .containsExactly("prepared", "launcher");
    assertThat(runtime.projectRoot()).isEqualTo(project.toAbsolutePath().normalize());
    assertThat(runtime.settings()).isEqualTo(Settings.defaults());
  }

  @Test
  void closesWhatADeadStepguardLeftRunningOnceBeforeTheHistoryIsUsed() {
    ExecutionRecord left = SampleRecords.running("a.py", T0);
    fakes.store.insert(left);
    ProjectRuntime runtime = open();

    runtime.history();
    ExecutionRecord later = SampleRecords.running("b.py", T0);
    fakes.store.insert(later);
    runtime.executor();
    runtime.workflows();
    runtime.history();

    assertThat(fakes.store.find(left.id()).orElseThrow().status()).isEqualTo(Status.ABANDONED);
    assertThat(fakes.store.find(later.id()).orElseThrow().status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void refusesToRunWhileTheHistoryIsDownButLeavesReadingToSayWhy() {
    fakes.store.breakDown();
    ProjectRuntime runtime = open();

    assertThatThrownBy(runtime::executor).isInstanceOf(HistoryUnavailableException.class);
    assertThatThrownBy(runtime::workflows).isInstanceOf(HistoryUnavailableException.class);
    assertThatThrownBy(() -> runtime.history().list(HistoryFilter.all(20)))
        .isInstanceOf(HistoryUnavailableException.class);
  }

  @Test
  void buildsTheLauncherWhileTheHistoryIsRecovered() {
    CountDownLatch launcherBuilt = new CountDownLatch(1);
    AtomicBoolean builtDuringRecovery = new AtomicBoolean();
    ProjectRuntime.Instances instances =
        new ProjectRuntime.Instances() {
          @Override
          public <T> T reading(Class<T> type) {
            try {
              builtDuringRecovery.set(launcherBuilt.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return type.cast(
                new RunRecovery(fakes.store, fakes.workflows, fakes.processes, Clock.systemUTC()));
          }

          @Override
          public <T> T launching(Class<T> type) {
            launcherBuilt.countDown();
            return type.cast(type == ProcessLauncher.class ? fakes.launcher : null);
          }

          @Override
          public Set<HealthCheck> checks() {
            return Set.of();
          }
        };
    ProjectRuntime runtime =
        new ProjectRuntime(project, Settings.defaults(), instances, ExitGuard.NONE);

    runtime.executor();

    assertThat(builtDuringRecovery).isTrue();
  }

  @Test
  void handsOverTheNoticesOfAnUntrustedFileAndAppliesWhatTightens() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\ntimeout: 5s\n");
    List<String> notices = new ArrayList<>();

    Settings settings = runtimes().settings(project, notices::add);

    assertThat(settings.isolation()).isEqualTo(IsolationChoice.AUTO);
    assertThat(settings.timeout()).hasSeconds(5);
    assertThat(notices).singleElement().asString().contains("'isolation' is not applied");
  }

  @Test
  void refusesAProjectDirectoryThatDoesNotExist() {
    Path missing = project.resolve("missing");

    assertThatThrownBy(() -> runtimes().settings(missing, notice -> {}))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the project directory " + missing + " does not exist");
    assertThatThrownBy(() -> runtimes().open(missing, Settings.defaults()))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void closesWhatTheRuntimesOpenedOnceEvenWhenOneCannotClose() {
    open();
    open();

    runtimes().closeAll();
    runtimes().closeAll();

    assertThat(fakes.closed).hasValue(2);
  }
}
