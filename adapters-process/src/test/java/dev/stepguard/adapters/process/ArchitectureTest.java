package dev.stepguard.adapters.process;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import dev.stepguard.adapters.process.planted.WiresWithGuice;
import dev.stepguard.core.fixtures.AdapterArchitectureContract;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries that concern the process adapters: those of every adapter (from {@link
 * AdapterArchitectureContract}, whose Guice rule must catch {@link WiresWithGuice}) and the one
 * below.
 */
class ArchitectureTest extends AdapterArchitectureContract {
  private static final String ADAPTER = "dev.stepguard.adapters.process";

  static final ArchRule NO_FOREIGN_TECHNOLOGIES =
      noClasses()
          .that()
          .resideInAPackage(ADAPTER + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.jdbi..", "org.h2..", "org.flywaydb..", "picocli..", "io.javalin..")
          .because("storage belongs to adapters-persistence, CLI and HTTP to the apps");

  ArchitectureTest() {
    super(
        ADAPTER,
        "dev.stepguard.adapters.persistence",
        WiresWithGuice.class,
        guiceOnlyInModules(ADAPTER));
  }

  @Test
  void usesNoForeignTechnologies() {
    NO_FOREIGN_TECHNOLOGIES.check(adapterClasses());
  }
}
