package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.InMemoryWorkflowRunStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.port.ProcessTable;
import dev.stepguard.core.port.WorkflowRunStore;
import org.junit.jupiter.api.Test;

/** The command line runs just as well on core's fakes: adapters are swapped by module set. */
class FakeAdaptersTest {
  private final ScriptedProcessLauncher launcher = Fakes.launcher();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final RuntimeModuleFactory fakes = Fakes.modules(launcher, store);

  @Test
  void runsThroughTheFakeLauncher() {
    Cli.Result result = Cli.run(fakes, "run", "hello.py");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Hello from a fake");
    assertThat(launcher.launches()).hasSize(1);
    assertThat(store.running()).isEmpty();
  }

  @Test
  void mapsAFakeFailureToExitCodeOne() {
    Cli.Result result = Cli.run(fakes, "run", "fail.py");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("exit", "3", "Traceback: boom");
  }

  @Test
  void refusesToRunWhenTheHistoryIsDownAndSaysTheRunIsRecordedNowhere() {
    store.breakDown();

    Cli.Result run = Cli.run(fakes, "run", "hello.py");
    Cli.Result list = Cli.run(fakes, "history", "list");

    assertThat(run.exitCode()).isEqualTo(6);
    assertThat(run.err())
        .contains("hello.py was not run", "recorded nowhere", "broken on purpose", "doctor");
    assertThat(launcher.launches()).isEmpty();
    assertThat(list.exitCode()).isEqualTo(ExitCodes.NOT_DONE);
    assertThat(list.err()).contains("broken on purpose", "stepguard doctor");
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

  /** Core's fakes, bound the way the production modules bind the real adapters. */
  static final class Fakes {
    private Fakes() {}

    static ScriptedProcessLauncher launcher() {
      return new ScriptedProcessLauncher()
          .printing("hello.py", "{\"greeting\": \"Hello from a fake\"}")
          .ending("fail.py", new ProcessEnd.Exited(3), "Traceback: boom\n");
    }

    static RuntimeModuleFactory modules(
        ScriptedProcessLauncher launcher, InMemoryExecutionStore store) {
      FakeProcessTable processes = new FakeProcessTable();
      InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
      return (root, settings) ->
          new AbstractModule() {
            @Override
            protected void configure() {
              bind(PathPolicy.class).toInstance(FixedPathPolicy.of("hello.py", "fail.py"));
              bind(ProcessLauncher.class).toInstance(launcher);
              bind(ExecutionStore.class).toInstance(store);
              bind(WorkflowRunStore.class).toInstance(workflows);
              bind(ProcessTable.class).toInstance(processes);
              Multibinder.newSetBinder(binder(), HealthCheck.class);
            }
          };
    }
  }
}
