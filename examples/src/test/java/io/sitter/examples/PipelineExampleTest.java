package io.sitter.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example on local[2] on a small generated data set with string labels. */
class PipelineExampleTest {
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkSession.builder().master("local[2]").appName("example-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void trainsEvaluatesSavesLoadsAndScores(@TempDir Path tmp) throws Exception {
    // Three species 3 standard deviations apart in each of 4 measurements: nearly separable.
    List<String> lines = new ArrayList<>(List.of("a,b,c,d,species"));
    Random r = new Random(1);
    String[] species = {"setosa", "versicolor", "virginica"};
    for (int i = 0; i < 300; i++) {
      int s = i % 3;
      lines.add(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s", 3.0 * s + r.nextGaussian(), 10 - 3.0 * s + r.nextGaussian(),
          r.nextGaussian() + 3.0 * s, 100 + 3.0 * s + r.nextGaussian(), species[s]));
    }
    Path csv = Files.write(tmp.resolve("flowers.csv"), lines);
    Path run = tmp.resolve("run");
    PipelineExample.Result result = PipelineExample.run(spark, csv.toString(), "species", tmp.resolve("model").toUri().toString(), run.toString());
    assertTrue(result.testAccuracy() > 0.85, "accuracy " + result.testAccuracy());
    assertEquals(result.testAccuracy(), result.reloadedTestAccuracy(), 1e-12, "the reloaded pipeline scores the same");
    assertTrue(result.scored() > 30 && result.scored() < 90, "about a fifth of 300 rows: " + result.scored());
    assertTrue(Files.exists(run.resolve("report.html")), "the babysitter's report");
  }
}
