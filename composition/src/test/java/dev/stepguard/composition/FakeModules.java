package dev.stepguard.composition;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.multibindings.Multibinder;
import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.InMemoryIdempotencyKeys;
import dev.stepguard.core.fixtures.InMemoryTokenStore;
import dev.stepguard.core.fixtures.InMemoryWorkflowRunStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.IdempotencyKeys;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.port.ProcessTable;
import dev.stepguard.core.port.TokenStore;
import dev.stepguard.core.port.WorkflowRunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Core's fakes as the adapters of a project, the launcher apart as production has it, counting how
 * often a launcher module was asked for and what was closed.
 */
final class FakeModules implements RuntimeModuleFactory {
  final ScriptedProcessLauncher launcher =
      new ScriptedProcessLauncher().printing("hello.py", "{\"greeting\": \"Hello\"}");
  final InMemoryExecutionStore store = new InMemoryExecutionStore();
  final InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
  final InMemoryTokenStore tokens = new InMemoryTokenStore();
  final FakeProcessTable processes = new FakeProcessTable();
  final AtomicInteger launcherModules = new AtomicInteger();

  /** What was asked for the launching side, in order: "prepared", then "launcher". */
  final List<String> launching = new CopyOnWriteArrayList<>();

  final AtomicInteger closed = new AtomicInteger();

  @Override
  public Module create(Path projectRoot, Settings settings) {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(PathPolicy.class).toInstance(FixedPathPolicy.of("hello.py"));
        bind(ExecutionStore.class).toInstance(store);
        bind(WorkflowRunStore.class).toInstance(workflows);
        bind(TokenStore.class).toInstance(tokens);
        bind(IdempotencyKeys.class).toInstance(new InMemoryIdempotencyKeys());
        bind(ProcessTable.class).toInstance(processes);
        Multibinder.newSetBinder(binder(), HealthCheck.class)
            .addBinding()
            .toInstance(() -> new HealthReport("fake", true, "always fine", ""));
        Multibinder<AutoCloseable> closeables =
            Multibinder.newSetBinder(binder(), AutoCloseable.class);
        closeables.addBinding().toInstance(closed::incrementAndGet);
        closeables
            .addBinding()
            .toInstance(
                () -> {
                  throw new IllegalStateException("cannot close, on purpose");
                });
      }
    };
  }

  @Override
  public void prepareLaunching(Injector project) {
    launching.add("prepared");
  }

  @Override
  public Module launcher(Path projectRoot, Settings settings) {
    launching.add("launcher");
    launcherModules.incrementAndGet();
    return binder -> binder.bind(ProcessLauncher.class).toInstance(launcher);
  }
}
