package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import dev.stepguard.composition.CompositionModule;
import dev.stepguard.composition.RuntimeModuleFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree: only the subcommand a command line names is built, all of them otherwise. */
class StepguardCommandTest {
  private static final String[] EVERY = {"run", "workflow", "history", "doctor", "trust", "token"};

  /** Builds the commands as the command line does. */
  private static final CommandLine.IFactory COMMANDS =
      new GuiceFactory(
          Guice.createInjector(
              new CompositionModule(RuntimeModuleFactory.production(), Map.of()),
              binder -> {
                binder.bind(Interrupts.class).toInstance(new Interrupts("ada"));
                binder.bind(WorkingDirectory.class).toInstance(new WorkingDirectory(Path.of("/")));
              }));

  @Test
  void aCommandLineThatNamesASubcommandGetsThatOneOnly() {
    assertThat(subcommands("history", "list", "--limit", "5")).containsExactly("history");
  }

  @Test
  void aCommandLineThatNamesNoSubcommandGetsEveryOneInTheUsageOrder() {
    assertThat(subcommands()).containsExactly(EVERY);
    assertThat(subcommands("--help")).containsExactly(EVERY);
    assertThat(subcommands("rn", "hello.py")).containsExactly(EVERY);
  }

  @Test
  void everySubcommandIsListedUnderTheNameItsCommandAnnotationGives() {
    assertThat(StepguardCommand.SUBCOMMANDS)
        .allSatisfy(
            sub ->
                assertThat(sub.type().getAnnotation(Command.class).name()).isEqualTo(sub.name()));
  }

  @Test
  void theTopLevelHelpStillListsEverySubcommand() {
    Cli.Result result = Cli.run("--help");

    assertThat(result.exitCode()).isZero();
    for (String name : EVERY) {
      assertThat(result.out()).containsPattern("(?m)^ +" + name + " ");
    }
  }

  @Test
  void aMistypedSubcommandIsAUsageErrorThatPointsToTheTopLevelHelp() {
    Cli.Result result = Cli.run("rn", "hello.py");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("unexpected arguments 'rn', 'hello.py'")
        .contains("'stepguard --help' says what it takes");
  }

  @Test
  void everySubcommandButTrustOpensTheHistory() {
    assertThat(StepguardCommand.opensTheHistory(new String[] {"run", "hello.py"})).isTrue();
    assertThat(StepguardCommand.opensTheHistory(new String[] {"history", "list"})).isTrue();
    assertThat(StepguardCommand.opensTheHistory(new String[] {"doctor"})).isTrue();
    assertThat(StepguardCommand.opensTheHistory(new String[] {"trust"})).isFalse();
    assertThat(StepguardCommand.opensTheHistory(new String[] {"--version"})).isFalse();
    assertThat(StepguardCommand.opensTheHistory(new String[] {})).isFalse();
  }

  private static String[] subcommands(String... args) {
    return StepguardCommand.tree(args, COMMANDS).getSubcommands().keySet().toArray(String[]::new);
  }
}
