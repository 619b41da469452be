package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.ProcessLauncher;
import org.junit.jupiter.api.Test;

/** The command line runs just as well on core's fakes: adapters are swapped by module set. */
class FakeAdaptersTest {
  private final ScriptedProcessLauncher launcher =
      new ScriptedProcessLauncher()
          .printing("hello.py", "{\"greeting\": \"Hello from a fake\"}")
          .ending("fail.py", new ProcessEnd.Exited(9), "scripted failure");

  private final RuntimeModuleFactory fakes =
      (root, settings) ->
          new AbstractModule() {
            @Override
            protected void configure() {
              bind(PathPolicy.class).toInstance(FixedPathPolicy.of("hello.py", "fail.py"));
              bind(ProcessLauncher.class).toInstance(launcher);
              com.google.inject.multibindings.Multibinder.newSetBinder(
                  binder(), dev.stepguard.core.port.HealthCheck.class);
            }
          };

  @Test
  void runsThroughTheFakeLauncher() {
    Cli.Result result = Cli.run(fakes, "run", "hello.py");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Hello from a fake");
    assertThat(launcher.launches()).hasSize(1);
  }

  @Test
  void mapsAFakeFailureToExitCodeOne() {
    Cli.Result result = Cli.run(fakes, "run", "fail.py");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("exit", "9", "scripted failure");
  }

  @Test
  void reportsAnInternalErrorWithoutCrashing() {
    RuntimeModuleFactory broken =
        (root, settings) -> {
          throw new IllegalStateException("wiring broke");
        };

    Cli.Result result = Cli.run(broken, "run", "hello.py");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(result.err()).contains("internal error", "wiring broke");
  }
}
