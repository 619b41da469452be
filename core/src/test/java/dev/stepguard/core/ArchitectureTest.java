package dev.stepguard.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.stepguard.core.execution.planted.ReachesIntoHistory;
import dev.stepguard.core.execution.planted.ReachesIntoWorkflow;
import dev.stepguard.core.planted.PlantedViolations;
import dev.stepguard.core.workflow.planted.ReachesIntoExecution;
import org.junit.jupiter.api.Test;

/** The boundaries that concern core and its packages, as rules that fail the build. */
class ArchitectureTest {
  static final ArchRule CORE_DEPENDS_ONLY_ON_ALLOWED_LIBRARIES =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.core..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "java..",
              "jakarta.inject..",
              "com.fasterxml.jackson..",
              "org.slf4j..",
              "dev.stepguard.core..")
          .because(
              "core is the pure domain: frameworks and technologies stay in adapters and apps");

  static final ArchRule CORE_DOES_NO_PROCESS_OR_STORAGE_WORK =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.core..")
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class, Runtime.class, java.nio.file.Files.class)
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("java.sql..")
          .because("process and storage work go through ports");

  static final ArchRule MODEL_DEPENDS_ON_NO_OTHER_CORE_PACKAGE =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.core.model..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.stepguard.core.port..",
              "dev.stepguard.core.execution..",
              "dev.stepguard.core.workflow..",
              "dev.stepguard.core.history..")
          .because("the model is the innermost layer");

  static final ArchRule PORTS_NEVER_DEPEND_ON_USE_CASES =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.core.port..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.stepguard.core.execution..",
              "dev.stepguard.core.workflow..",
              "dev.stepguard.core.history..")
          .because("ports describe needs; use cases use them, not the other way round");

  static final ArchRule NO_PACKAGE_CYCLES =
      SlicesRuleDefinition.slices()
          .matching("dev.stepguard.(**)")
          .should()
          .beFreeOfCycles()
          .because("cycles make layers meaningless");

  static final ArchRule CORE_CAPABILITIES_HAVE_NO_CYCLES =
      SlicesRuleDefinition.slices()
          .matching("dev.stepguard.core.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "workflow and history may use execution, never the reverse, and no capability"
                  + " reaches back into one that uses it");

  static final ArchRule EXECUTION_DEPENDS_ON_NEITHER_WORKFLOW_NOR_HISTORY =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.core.execution..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.stepguard.core.workflow..", "dev.stepguard.core.history..")
          .because("running one script is what workflows and history build on, not the reverse");

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.stepguard.core");

  @Test
  void coreDependsOnlyOnAllowedLibraries() {
    CORE_DEPENDS_ONLY_ON_ALLOWED_LIBRARIES.check(CORE);
  }

  @Test
  void coreDoesNoProcessOrStorageWork() {
    CORE_DOES_NO_PROCESS_OR_STORAGE_WORK.check(CORE);
  }

  @Test
  void modelDependsOnNoOtherCorePackage() {
    MODEL_DEPENDS_ON_NO_OTHER_CORE_PACKAGE.check(CORE);
  }

  @Test
  void portsNeverDependOnUseCases() {
    PORTS_NEVER_DEPEND_ON_USE_CASES.check(CORE);
  }

  @Test
  void corePackagesHaveNoCycles() {
    NO_PACKAGE_CYCLES.check(CORE);
  }

  @Test
  void coreCapabilitiesHaveNoCycles() {
    CORE_CAPABILITIES_HAVE_NO_CYCLES.check(CORE);
  }

  @Test
  void executionDependsOnNeitherWorkflowNorHistory() {
    EXECUTION_DEPENDS_ON_NEITHER_WORKFLOW_NOR_HISTORY.check(CORE);
  }

  @Test
  void aPlantedCycleBetweenCapabilitiesIsCaught() {
    JavaClasses planted =
        new ClassFileImporter()
            .importClasses(ReachesIntoWorkflow.class, ReachesIntoExecution.class);

    EvaluationResult result = CORE_CAPABILITIES_HAVE_NO_CYCLES.evaluate(planted);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains("Cycle")
        .contains("ReachesIntoWorkflow")
        .contains("ReachesIntoExecution");
  }

  @Test
  void aPlantedExecutionToWorkflowDependencyIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(ReachesIntoWorkflow.class);

    EvaluationResult result = EXECUTION_DEPENDS_ON_NEITHER_WORKFLOW_NOR_HISTORY.evaluate(planted);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("ReachesIntoExecution");
  }

  @Test
  void aPlantedExecutionToHistoryDependencyIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(ReachesIntoHistory.class);

    EvaluationResult result = EXECUTION_DEPENDS_ON_NEITHER_WORKFLOW_NOR_HISTORY.evaluate(planted);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("HistoryQueries");
  }

  @Test
  void aPlantedViolationIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(PlantedViolations.class);

    EvaluationResult result = CORE_DOES_NO_PROCESS_OR_STORAGE_WORK.evaluate(planted);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("ProcessBuilder");
  }
}
