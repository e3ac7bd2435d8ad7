package io.sitter;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering sitter keeps: dependencies point down
 * ({@code cli, ml -> search -> babysit -> train -> serve/shard/model -> prep -> data}), the leaves
 * {@code config}, {@code stats}, {@code metrics} and {@code storage} (Hadoop's FileSystem only) import no
 * Spark, DL4J or ND4J, and the report
 * is made from files only.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sitter");
  }

  @Test
  void leavesAndReportStayFreeOfSparkAndDl4j() {
    noClasses()
        .that().resideInAnyPackage("io.sitter.config..", "io.sitter.stats..", "io.sitter.metrics..", "io.sitter.storage..", "io.sitter.report..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "org.deeplearning4j..", "org.nd4j..", "scala..")
        .check(classes);
  }

  /** The rules can fail: the leaf rule, pointed at a package that does use Spark, must object. */
  @Test
  void theSparkFreeRuleCatchesAPackageThatUsesSpark() {
    AssertionError e = assertThrows(AssertionError.class, () -> noClasses()
        .that().resideInAnyPackage("io.sitter.train..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..")
        .check(classes));
    assertTrue(e.getMessage().contains("io.sitter.train"), e.getMessage());
  }

  @Test
  void dependenciesPointDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Leaves").definedBy("io.sitter.config..", "io.sitter.stats..", "io.sitter.metrics..", "io.sitter.storage..")
        .layer("Data").definedBy("io.sitter.data..")
        .layer("Prep").definedBy("io.sitter.prep..")
        .layer("Model").definedBy("io.sitter.model..")
        .layer("Shard").definedBy("io.sitter.shard..")
        .layer("Serve").definedBy("io.sitter.serve..")
        .layer("Train").definedBy("io.sitter.train..")
        .layer("Babysit").definedBy("io.sitter.babysit..")
        .layer("Search").definedBy("io.sitter.search..")
        .layer("Report").definedBy("io.sitter.report..")
        .layer("Cli").definedBy("io.sitter.cli..")
        .layer("Ml").definedBy("io.sitter.ml..")
        .whereLayer("Leaves").mayNotAccessAnyLayer()
        .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("Ml").mayNotBeAccessedByAnyLayer()
        .whereLayer("Report").mayOnlyBeAccessedByLayers("Cli", "Search", "Ml")
        .whereLayer("Search").mayOnlyBeAccessedByLayers("Cli")
        .whereLayer("Babysit").mayOnlyBeAccessedByLayers("Search", "Cli", "Ml")
        .whereLayer("Train").mayOnlyBeAccessedByLayers("Babysit", "Search", "Cli", "Ml")
        .whereLayer("Serve").mayOnlyBeAccessedByLayers("Train", "Babysit", "Search", "Cli", "Ml")
        .whereLayer("Shard").mayOnlyBeAccessedByLayers("Train", "Babysit", "Search", "Cli", "Ml")
        .whereLayer("Model").mayOnlyBeAccessedByLayers("Shard", "Serve", "Train", "Babysit", "Search", "Cli", "Ml")
        .whereLayer("Prep").mayOnlyBeAccessedByLayers("Model", "Shard", "Serve", "Train", "Babysit", "Search", "Cli", "Ml")
        .whereLayer("Data").mayOnlyBeAccessedByLayers("Prep", "Shard", "Serve", "Train", "Babysit", "Search", "Cli", "Ml")
        .withOptionalLayers(true)
        .check(classes);
  }

  @Test
  void onlyTheCliExitsTheJvm() {
    noClasses()
        .that().resideOutsideOfPackage("io.sitter.cli..")
        .should().callMethod(System.class, "exit", int.class)
        .check(classes);
  }
}
