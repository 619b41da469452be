package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust is recorded for the exact content of a valid project file, and withdrawn on request. */
class OperatorTrustTest {
  @TempDir Path project;
  @TempDir Path operatorDirectory;

  private Path operatorFile() {
    return operatorDirectory.resolve("nested/config.yaml");
  }

  private Injector injector(Map<String, String> env) {
    return Guice.createInjector(new CompositionModule(new FakeModules(), env));
  }

  private Injector injector() {
    return injector(Map.of("STEPGUARD_CONFIG", operatorFile().toString()));
  }

  @Test
  void trustsTheFileAndSaysWhatNowApplies() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\ntimeout: 5s\n");

    OperatorTrust.Change change = injector().getInstance(OperatorTrust.class).trust(project);
    ProjectConfig config = injector().getInstance(RuntimeFactory.class).configuration(project);

    assertThat(change.projectFile()).isEqualTo(project.toRealPath().resolve("stepguard.yaml"));
    assertThat(change.sha256()).get().asString().hasSize(64);
    assertThat(change.recordedIn()).isEqualTo(operatorFile().toString());
    assertThat(change.nowApplied()).containsExactly("isolation");
    assertThat(config.trust()).isEqualTo(ProjectConfig.Trust.TRUSTED);
    assertThat(config.settings().isolation()).isEqualTo(IsolationChoice.PROCESS);
    assertThat(Files.getPosixFilePermissions(operatorFile()))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void revokingMakesTheFileUntrustedAgain() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\n");
    OperatorTrust trust = injector().getInstance(OperatorTrust.class);
    trust.trust(project);

    OperatorTrust.Change change = trust.revoke(project);
    ProjectConfig config = injector().getInstance(RuntimeFactory.class).configuration(project);

    assertThat(change.sha256()).isEmpty();
    assertThat(change.nowApplied()).isEmpty();
    assertThat(config.trust()).isEqualTo(ProjectConfig.Trust.UNTRUSTED);
    assertThat(config.settings().isolation()).isEqualTo(IsolationChoice.AUTO);
  }

  @Test
  void refusesAProjectWithoutAFile() {
    assertThatThrownBy(() -> injector().getInstance(OperatorTrust.class).trust(project))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("there is no stepguard.yaml in " + project.toAbsolutePath().normalize());
  }

  @Test
  void refusesAnInvalidFileAndRecordsNothing() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: forever\n");

    assertThatThrownBy(() -> injector().getInstance(OperatorTrust.class).trust(project))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("stepguard.yaml:1:");
    assertThat(operatorFile()).doesNotExist();
  }

  @Test
  void needsAnOperatorConfigToRecordTrustIn() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 5s\n");
    OperatorTrust trust = injector(Map.of()).getInstance(OperatorTrust.class);

    assertThatThrownBy(() -> trust.trust(project))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("there is no operator config to record trust in");
  }

  @Test
  void refusesAnOperatorConfigItCannotRewrite() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 5s\n");
    Files.createDirectories(operatorFile().getParent());
    Files.writeString(operatorFile(), "- a list, not settings\n");

    assertThatThrownBy(() -> injector().getInstance(OperatorTrust.class).revoke(project))
        .isInstanceOf(ConfigurationException.class);
  }
}
