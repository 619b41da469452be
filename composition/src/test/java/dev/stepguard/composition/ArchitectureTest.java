package dev.stepguard.composition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.stepguard.composition.planted.InjectorInARuntime;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries that concern the composition shared by every entry point, as rules that
 * fail the build.
 */
class ArchitectureTest {
  private static final DescribedPredicate<JavaClass> WIRING =
      DescribedPredicate.describe(
          "a module or a factory",
          javaClass -> {
            String outer = javaClass.getName().replaceAll("\\$.*", "");
            return javaClass.getSimpleName().endsWith("Module")
                || javaClass.getSimpleName().endsWith("Factory")
                || outer.endsWith("Module")
                || outer.endsWith("Factory");
          });

  static final ArchRule KNOWS_NO_ENTRY_POINT =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.stepguard.app..", "picocli..", "io.javalin..")
          .because(
              "every entry point uses the same composition, so it speaks neither picocli nor HTTP");

  static final ArchRule GUICE_ONLY_IN_WIRING =
      noClasses()
          .that(DescribedPredicate.not(WIRING))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.google.inject..")
          .because("only modules and factories talk to Guice; a runtime gets what it needs");

  static final ArchRule NO_STORAGE_OR_PROCESS_WORK =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.jdbi..", "org.h2..", "org.flywaydb..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .because("the adapters own their technologies; the composition only chooses modules");

  static final ArchRule A_SMALL_PUBLIC_SURFACE =
      classes()
          .that()
          .resideInAPackage("dev.stepguard.composition")
          .and()
          .arePublic()
          .and()
          .areTopLevelClasses()
          .should()
          .haveNameMatching(
              "dev\\.stepguard\\.composition\\.(CompositionModule|RuntimeModuleFactory"
                  + "|RuntimeFactory|ProjectRuntime|ProjectConfig|Settings|HistoryOptions|HttpOptions|WarmOptions"
                  + "|IsolationChoice|OperatorTrust|ConfigurationException|ExitGuard|ProjectDiscovery"
                  + "|DefaultToken|WorkflowFile|SignalTrap|HandOff|HandOffServer)")
          .because("entry points see what they use; how configuration is read stays inside");

  static final ArchRule NO_PACKAGE_CYCLES =
      SlicesRuleDefinition.slices().matching("dev.stepguard.(**)").should().beFreeOfCycles();

  private static final JavaClasses COMPOSITION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.stepguard.composition");

  @Test
  void knowsNoEntryPoint() {
    KNOWS_NO_ENTRY_POINT.check(COMPOSITION);
  }

  @Test
  void usesGuiceOnlyInWiring() {
    GUICE_ONLY_IN_WIRING.check(COMPOSITION);
  }

  @Test
  void leavesStorageAndProcessesToTheAdapters() {
    NO_STORAGE_OR_PROCESS_WORK.check(COMPOSITION);
  }

  @Test
  void keepsItsPublicSurfaceSmall() {
    A_SMALL_PUBLIC_SURFACE.check(COMPOSITION);
  }

  @Test
  void hasNoPackageCycles() {
    NO_PACKAGE_CYCLES.check(COMPOSITION);
  }

  @Test
  void aPlantedViolationIsCaught() {
    JavaClasses planted = new ClassFileImporter().importClasses(InjectorInARuntime.class);

    assertThat(GUICE_ONLY_IN_WIRING.evaluate(planted).hasViolation()).isTrue();
  }
}
