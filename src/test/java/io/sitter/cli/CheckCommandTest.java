package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.ChecksWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sitter check} end to end in the test JVM: exit codes, checks.json, console diagnosis. */
class CheckCommandTest {
  @TempDir static Path dir;
  private static Path prep;
  private static final List<String> SMALL = List.of("--set", "model.hiddenLayers=[16, 16]", "--set",
      "train.minibatchSize=32", "--set", "babysit.lrProbeSteps=40", "--set", "babysit.sampleSize=256");

  /** A prep directory in docs/formats.md's layout: 3 well-separated classes in 6 features. */
  @BeforeAll
  static void writePrepDirectory() throws Exception {
    SparkSession spark = TestSpark.session();
    prep = dir.resolve("prep");
    StructType schema = new StructType()
        .add("index", DataTypes.LongType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.IntegerType, false);
    Random r = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      Float[] f = new Float[6];
      for (int j = 0; j < 6; j++) {
        f[j] = (float) (r.nextGaussian() + (j == i % 3 ? 3 : 0));
      }
      rows.add(RowFactory.create((long) i, f, i % 3));
    }
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(prep.resolve("train").toString());
    Files.writeString(prep.resolve("preprocessing.json"),
        "{\"schemaVersion\": 1, \"numFeatures\": 6, \"numClasses\": 3, \"classes\": [\"a\", \"b\", \"c\"]}");
  }

  private static int run(StringWriter out, StringWriter err, List<String> args) {
    return SitterMain.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
  }

  private static List<String> args(Path run, String... more) {
    List<String> a = new ArrayList<>(List.of("check", "--data", prep.toString(), "--out", run.toString()));
    a.addAll(SMALL);
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void healthyDataPassesWritesChecksJsonAndSaysSo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path run = dir.resolve("run-ok");
    int code = run(out, err, args(run, "--set", "train.learningRate=0.01"));
    assertEquals(0, code, out + "\n" + err);
    ChecksReport report = ChecksWriter.read(run.resolve("checks.json"));
    assertEquals(List.of("initial_loss", "regularization", "overfit_subset", "learning_rate"),
        report.checks().stream().map(CheckResult::check).toList());
    assertFalse(report.anyFailed());
    assertTrue(report.lrProbe() != null && report.lrProbe().rates().size() >= 3);
    assertTrue(out.toString().contains("checks") && out.toString().contains(run.resolve("checks.json").toString()),
        out.toString());
  }

  @Test
  void aFailedCheckExitsOneAndIsNamedOnTheConsole() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path run = dir.resolve("run-slow");
    int code = run(out, err, args(run, "--set", "train.learningRate=1e-7", "--set", "babysit.overfitMaxIterations=30"));
    assertEquals(1, code, out + "\n" + err);
    assertTrue(out.toString().contains("FAIL overfit_subset"), out.toString());
    assertTrue(ChecksWriter.read(run.resolve("checks.json")).anyFailed());
  }

  @Test
  void badInputExitsTwoNamingTheProblem() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> missing = new ArrayList<>(List.of("check", "--data", dir.resolve("nowhere").toString(), "--out",
        dir.resolve("run-bad").toString()));
    assertEquals(2, run(out, err, missing));
    assertTrue(err.toString().contains("preprocessing.json not found"), err.toString());

    StringWriter err2 = new StringWriter();
    assertEquals(2, run(new StringWriter(), err2, args(dir.resolve("run-bad2"), "--set", "babysit.noSuchKey=1")));
    assertTrue(err2.toString().contains("babysit.noSuchKey"), err2.toString());
    assertFalse(Files.exists(dir.resolve("run-bad2")), "nothing written on bad input");
  }
}
