package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.port.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real adapters, chosen by the settings; bubblewrap is probed only for a run under auto. */
class ProductionModuleFactoryTest {
  @TempDir Path project;
  @TempDir Path operatorDirectory;

  private final AtomicInteger probes = new AtomicInteger();
  private final List<Object> probedFor = new ArrayList<>();
  private Optional<String> probeAnswer = Optional.of("bwrap is not on the PATH");
  private RuntimeFactory runtimes;

  private RuntimeFactory runtimes() {
    if (runtimes == null) {
      ProductionModuleFactory production =
          new ProductionModuleFactory(
              (root, writable) -> {
                probes.incrementAndGet();
                probedFor.add(root);
                probedFor.add(writable);
                return probeAnswer;
              });
      runtimes =
          Guice.createInjector(
                  new CompositionModule(
                      production,
                      Map.of(
                          "STEPGUARD_CONFIG", operatorDirectory.resolve("config.yaml").toString())))
              .getInstance(RuntimeFactory.class);
    }
    return runtimes;
  }

  private ProjectRuntime openWith(String yaml) throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), yaml);
    return runtimes().open(project, runtimes().settings(project, notice -> {}));
  }

  @AfterEach
  void closeRuntimes() {
    if (runtimes != null) {
      runtimes.closeAll();
    }
  }

  @Test
  void aWarmUpBesideTheFirstOpenLeavesTheHistoryToOpenAndRecordAsUsual() throws Exception {
    new ProductionModuleFactory((root, writable) -> probeAnswer).warmUp();
    ProjectRuntime runtime = openWith("timeout: 10s\n");

    assertThat(runtime.history().list(HistoryFilter.all(20)).items()).isEmpty();
    assertThat(runtime.history().prune(java.time.Duration.ofDays(1), 0)).isZero();
  }

  @Test
  void readsTheHistoryOfASandboxedProjectWithoutProbingForBubblewrap() throws Exception {
    ProjectRuntime runtime = openWith("isolation: sandbox\n");

    assertThat(runtime.settings().isolation()).isEqualTo(IsolationChoice.SANDBOX);
    assertThat(runtime.history().list(HistoryFilter.all(20)).items()).isEmpty();
    assertThat(runtime.history().prune(java.time.Duration.ofDays(1), 0)).isZero();
    assertThat(probes).hasValue(0);
  }

  @Test
  void readsTheHistoryUnderAutoWithoutProbingAndProbesOnceForARun() throws Exception {
    ProjectRuntime runtime = openWith("timeout: 10s\n");

    runtime.history().list(HistoryFilter.all(20));
    assertThat(probes).hasValue(0);

    assertThat(runtime.isolation()).isEqualTo(Isolation.PROCESS);
    runtime.executor();
    assertThat(probes).hasValue(1);
  }

  @Test
  void takesTheSandboxUnderAutoWhereTheProbeFindsItWorks() throws Exception {
    probeAnswer = Optional.empty();

    assertThat(openWith("timeout: 10s\n").isolation()).isEqualTo(Isolation.SANDBOX);
    assertThat(openWith("isolation: sandbox\n").isolation()).isEqualTo(Isolation.SANDBOX);
    assertThat(probes).hasValue(1);
  }

  @Test
  void probesUnderAutoForTheBwrapOfTheProjectsRunsNotAnyOnThePath() throws Exception {
    Files.createDirectory(project.resolve("out"));
    Files.writeString(operatorDirectory.resolve("config.yaml"), "sandbox:\n  writable: [out]\n");

    openWith("timeout: 10s\n").isolation();

    // the real probe leaves out the PATH entries inside these (SandboxLauncherTest)
    assertThat(probedFor).containsExactly(project, List.of("out"));
  }

  @Test
  void takesProcessIsolationWhenAsked() throws Exception {
    ProjectRuntime runtime =
        runtimes().open(project, Settings.defaults().withIsolation(IsolationChoice.PROCESS));

    assertThat(runtime.isolation()).isEqualTo(Isolation.PROCESS);
    assertThat(probes).hasValue(0);
  }

  @Test
  void checksPythonTheSandboxAndTheHistory() throws Exception {
    ProjectRuntime runtime = openWith("timeout: 10s\n");

    assertThat(
            runtime.checks().stream()
                .map(HealthCheck::check)
                .map(HealthReport::component)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("python", "sandbox", "history");
  }

  @Test
  void usesTheHistoryDatabaseTheOperatorNames() throws Exception {
    Path elsewhere = operatorDirectory.resolve("shared-history");
    Files.writeString(
        operatorDirectory.resolve("config.yaml"),
        "history:\n  url: jdbc:h2:file:" + elsewhere + "/history\n");

    ProjectRuntime runtime = openWith("timeout: 10s\n");
    runtime.history().list(HistoryFilter.all(20));

    assertThat(Files.exists(project.resolve(".stepguard"))).isFalse();
  }
}
