package dev.stepguard.app.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.stepguard.app.cli.planted.InjectorInACommand;
import org.junit.jupiter.api.Test;

/** The module boundaries that concern the command line, as rules that fail the build. */
class ArchitectureTest {
  private static final DescribedPredicate<JavaClass> WIRING =
      DescribedPredicate.describe(
          "a module, a factory or main",
          javaClass -> {
            String name = javaClass.getSimpleName();
            String outer = javaClass.getName().replaceAll("\\$.*", "");
            return name.endsWith("Module")
                || name.endsWith("Factory")
                || name.equals("Main")
                || outer.endsWith("Factory")
                || outer.endsWith(".Main");
          });

  static final ArchRule GUICE_ONLY_IN_WIRING =
      noClasses()
          .that(DescribedPredicate.not(WIRING))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.google.inject..")
          .because("commands get what they need injected; only wiring talks to Guice");

  static final ArchRule NO_OTHER_APP_OR_STORAGE_OR_HTTP =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.stepguard.app.http..", "io.javalin..", "org.jdbi..", "org.h2..")
          .because("the two apps never depend on each other; storage stays in its adapter");

  static final ArchRule ADAPTERS_ONLY_THROUGH_THE_COMPOSITION =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.stepguard.adapters..")
          .because(
              "the composition reads the configuration and chooses the adapters for every entry"
                  + " point; the command line only translates");

  static final ArchRule NO_PROCESS_WORK_IN_THE_APP =
      noClasses()
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .because("no business rule or OS work lives in a composition root");

  static final ArchRule NO_PACKAGE_CYCLES =
      SlicesRuleDefinition.slices().matching("dev.stepguard.(**)").should().beFreeOfCycles();

  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.stepguard.app.cli");

  @Test
  void usesGuiceOnlyInWiring() {
    GUICE_ONLY_IN_WIRING.check(CLI);
  }

  @Test
  void dependsOnNoOtherAppStorageOrHttp() {
    NO_OTHER_APP_OR_STORAGE_OR_HTTP.check(CLI);
  }

  @Test
  void reachesTheAdaptersOnlyThroughTheComposition() {
    ADAPTERS_ONLY_THROUGH_THE_COMPOSITION.check(CLI);
  }

  @Test
  void doesNoProcessWork() {
    NO_PROCESS_WORK_IN_THE_APP.check(CLI);
  }

  @Test
  void hasNoPackageCycles() {
    NO_PACKAGE_CYCLES.check(CLI);
  }

  @Test
  void aPlantedViolationIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(InjectorInACommand.class);

    assertThat(GUICE_ONLY_IN_WIRING.evaluate(planted).hasViolation()).isTrue();
  }
}
