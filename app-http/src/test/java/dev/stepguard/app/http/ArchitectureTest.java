package dev.stepguard.app.http;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.stepguard.app.http.planted.JavalinOutsideTheHttpPackage;
import org.junit.jupiter.api.Test;

/** The module boundaries that concern the HTTP server, as rules that fail the build. */
class ArchitectureTest {
  private static final DescribedPredicate<JavaClass> WIRING =
      DescribedPredicate.describe(
          "main", javaClass -> javaClass.getName().replaceAll("\\$.*", "").endsWith(".ServerMain"));

  static final ArchRule GUICE_ONLY_IN_MAIN =
      noClasses()
          .that(DescribedPredicate.not(WIRING))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.google.inject..")
          .because("the composition builds what the server needs; only main talks to Guice");

  static final ArchRule NO_OTHER_APP_OR_STORAGE =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.stepguard.app.cli..", "picocli..", "org.jdbi..", "org.h2..", "org.flywaydb..")
          .because("the two apps never depend on each other; storage stays in its adapter");

  static final ArchRule ADAPTERS_ONLY_THROUGH_THE_COMPOSITION =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.stepguard.adapters..")
          .because("the composition chooses the adapters; the server only translates HTTP");

  static final ArchRule NO_PROCESS_WORK_IN_THE_APP =
      noClasses()
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .because("no business rule or OS work lives in an entry point");

  static final ArchRule JAVALIN_ONLY_IN_THE_HTTP_PACKAGE =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.stepguard.app.http")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.javalin..")
          .because("Javalin stays in app-http's one package, behind its entry point");

  static final ArchRule NO_PACKAGE_CYCLES =
      SlicesRuleDefinition.slices().matching("dev.stepguard.(**)").should().beFreeOfCycles();

  private static final JavaClasses HTTP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.stepguard.app.http");

  @Test
  void usesGuiceOnlyInMain() {
    GUICE_ONLY_IN_MAIN.check(HTTP);
  }

  @Test
  void dependsOnNoOtherAppOrStorage() {
    NO_OTHER_APP_OR_STORAGE.check(HTTP);
  }

  @Test
  void reachesTheAdaptersOnlyThroughTheComposition() {
    ADAPTERS_ONLY_THROUGH_THE_COMPOSITION.check(HTTP);
  }

  @Test
  void doesNoProcessWork() {
    NO_PROCESS_WORK_IN_THE_APP.check(HTTP);
  }

  /** Every stepguard module the server is built from: none but this one may use Javalin. */
  private static final JavaClasses EVERY_MODULE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.stepguard");

  @Test
  void keepsJavalinInItsPackage() {
    JAVALIN_ONLY_IN_THE_HTTP_PACKAGE.check(EVERY_MODULE);
  }

  @Test
  void hasNoPackageCycles() {
    NO_PACKAGE_CYCLES.check(HTTP);
  }

  @Test
  void aPlantedViolationIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(JavalinOutsideTheHttpPackage.class);

    assertThat(GUICE_ONLY_IN_MAIN.evaluate(planted).hasViolation()).isTrue();
    assertThat(JAVALIN_ONLY_IN_THE_HTTP_PACKAGE.evaluate(planted).hasViolation()).isTrue();
  }
}
