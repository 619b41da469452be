package dev.stepguard.adapters.persistence;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import dev.stepguard.adapters.persistence.planted.StartsAProcess;
import dev.stepguard.core.fixtures.AdapterArchitectureContract;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries that concern the persistence adapter: those of every adapter (from {@link
 * AdapterArchitectureContract}) and the one below, which must catch {@link StartsAProcess}.
 */
class ArchitectureTest extends AdapterArchitectureContract {
  static final ArchRule NO_PROCESSES_CLI_OR_HTTP =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.adapters.persistence..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName(ProcessBuilder.class.getName())
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage("picocli..", "io.javalin..")
          .because("running scripts belongs to adapters-process, CLI and HTTP to the apps");

  ArchitectureTest() {
    super(
        "dev.stepguard.adapters.persistence",
        "dev.stepguard.adapters.process",
        StartsAProcess.class,
        NO_PROCESSES_CLI_OR_HTTP);
  }

  @Test
  void startsNoProcessesAndKnowsNoCliOrHttp() {
    NO_PROCESSES_CLI_OR_HTTP.check(adapterClasses());
  }
}
