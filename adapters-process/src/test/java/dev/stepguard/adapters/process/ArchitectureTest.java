package dev.stepguard.adapters.process;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.stepguard.adapters.process.planted.WiresWithGuice;
import org.junit.jupiter.api.Test;

/** The boundaries of ARCHITECTURE.md that concern the process adapters. */
class ArchitectureTest {
  static final ArchRule NEVER_DEPENDS_ON_ANOTHER_ADAPTER_OR_AN_APP =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.adapters.process..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.stepguard.adapters.persistence..",
              "dev.stepguard.composition..",
              "dev.stepguard.app..")
          .because("adapters depend only on core; the composition chooses them");

  static final ArchRule GUICE_ONLY_IN_MODULES =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.adapters..")
          .and()
          .haveSimpleNameNotEndingWith("Module")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.google.inject..")
          .because("wiring lives in modules; adapter classes stay plain");

  static final ArchRule NO_FOREIGN_TECHNOLOGIES =
      noClasses()
          .that()
          .resideInAPackage("dev.stepguard.adapters.process..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.jdbi..", "org.h2..", "org.flywaydb..", "picocli..", "io.javalin..")
          .because("storage belongs to adapters-persistence, CLI and HTTP to the apps");

  static final ArchRule ONLY_MODULES_AND_SETTINGS_ARE_PUBLIC =
      classes()
          .that()
          .resideInAPackage("dev.stepguard.adapters.process")
          .and()
          .areTopLevelClasses()
          .and()
          .haveModifier(JavaModifier.PUBLIC)
          .should()
          .haveSimpleNameEndingWith("Module")
          .orShould()
          .haveSimpleNameEndingWith("Settings")
          .because("adapter classes hide behind their public Guice module");

  static final ArchRule NO_PACKAGE_CYCLES =
      SlicesRuleDefinition.slices().matching("dev.stepguard.(**)").should().beFreeOfCycles();

  private static final JavaClasses ADAPTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.stepguard.adapters.process");

  @Test
  void neverDependsOnAnotherAdapterOrAnApp() {
    NEVER_DEPENDS_ON_ANOTHER_ADAPTER_OR_AN_APP.check(ADAPTER);
  }

  @Test
  void usesGuiceOnlyInModules() {
    GUICE_ONLY_IN_MODULES.check(ADAPTER);
  }

  @Test
  void usesNoForeignTechnologies() {
    NO_FOREIGN_TECHNOLOGIES.check(ADAPTER);
  }

  @Test
  void exposesOnlyModulesAndSettings() {
    ONLY_MODULES_AND_SETTINGS_ARE_PUBLIC.check(ADAPTER);
  }

  @Test
  void hasNoPackageCycles() {
    NO_PACKAGE_CYCLES.check(ADAPTER);
  }

  @Test
  void aPlantedViolationIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(WiresWithGuice.class);

    assertThat(GUICE_ONLY_IN_MODULES.evaluate(planted).hasViolation()).isTrue();
  }
}
