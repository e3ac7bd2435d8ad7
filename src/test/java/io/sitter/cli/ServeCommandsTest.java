package io.sitter.cli;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import io.sitter.metrics.EvaluationResult;
import io.sitter.serve.EvaluationTestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;

/** evaluate and predict through the CLI on a saved run and a prep output directory. */
class ServeCommandsTest {
  private static final List<String> NAMES = List.of("cat", "dog", "eel");
  private static SparkSession spark;
  private static EvaluationTestData data;
  private static MultiLayerNetwork net;
  private static float[][] expectedProbabilities;
  @TempDir static Path dir;
  private static Path run;
  private static Path prepared;

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestSpark.session();
    data = new EvaluationTestData(300, 6, 3, 5);
    net = data.trainedNetwork(3, 2);
    expectedProbabilities = net.output(data.features(), false).toFloatMatrix();
    run = dir.resolve("run");
    prepared = dir.resolve("data");
    data.writeRun(run, net, NAMES, true);
    data.writePrepDirectory(spark, prepared, NAMES, true);
  }

  private record Outcome(int code, String out, String err) {}

  static Outcome sitter(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void evaluateWritesWhatDl4jComputesLocally() {
    Path json = dir.resolve("eval/evaluation.json");
    Outcome o = sitter("evaluate", "--model", run.toString(), "--data", prepared.toString(), "--split", "test", "--out", json.toString());
    assertEquals(0, o.code(), o.err());
    EvaluationResult r = TestFiles.evaluation(json);
    Evaluation dl4j = new Evaluation(3);
    dl4j.eval(data.oneHot(3), net.output(data.features(), false));
    assertEquals(300, r.count());
    assertEquals(dl4j.accuracy(), r.accuracy(), 1e-12);
    assertEquals(NAMES, r.classes());
    for (int a = 0; a < 3; a++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(dl4j.getConfusionMatrix().getCount(a, p), r.confusion(a, p));
      }
    }
    assertTrue(o.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", dl4j.accuracy())), o.out());
  }

  @Test
  void predictParquetHasIndexNamedPredictionAndTheNetworksProbabilities() {
    Path out = dir.resolve("predictions");
    Outcome o = sitter("predict", "--model", run.toString(), "--data", prepared.toString(), "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    List<Row> rows = spark.read().parquet(out.toString()).orderBy("index").collectAsList();
    assertEquals(300, rows.size());
    assertEquals(List.of("index", "prediction", "prob_cat", "prob_dog", "prob_eel"), List.of(rows.get(0).schema().fieldNames()));
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      float[] expected = expectedProbabilities[i];
      float[] got = {r.getFloat(2), r.getFloat(3), r.getFloat(4)};
      assertArrayEquals(expected, got, 1e-6f, "row " + i);
      int best = expected[1] > expected[0] ? 1 : 0;
      best = expected[2] > expected[best] ? 2 : best;
      assertEquals(NAMES.get(best), r.getString(1), "row " + i);
    }
  }

  @Test
  void predictCsvIsOneSortedFileWithAHeader() throws Exception {
    Path out = dir.resolve("p.csv");
    Outcome o = sitter("predict", "--model", run.toString(), "--data", prepared.toString(), "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    assertTrue(Files.isRegularFile(out));
    List<String> lines = Files.readAllLines(out);
    assertEquals("index,prediction,prob_cat,prob_dog,prob_eel", lines.get(0));
    assertEquals(301, lines.size());
    for (int i = 0; i < 300; i++) {
      String[] cells = lines.get(i + 1).split(",");
      assertEquals(i, Long.parseLong(cells[0]));
      assertEquals(expectedProbabilities[i][2], Float.parseFloat(cells[4]), 1e-6f);
    }
    try (var siblings = Files.list(dir)) {
      assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".p.csv")), "temporary files left");
    }
  }

  /** --model, --data and --out as file:// URIs give what the plain paths give. */
  @Test
  void fileUrisPredictAndEvaluateAsThePlainPathsDo() throws Exception {
    Path plain = dir.resolve("plain.csv");
    Path uri = dir.resolve("uri.csv");
    assertEquals(0, sitter("predict", "--model", run.toString(), "--data", prepared.toString(), "--out", plain.toString()).code());
    Outcome o = sitter("predict", "--model", run.toUri().toString(), "--data", prepared.toUri().toString(), "--out", uri.toUri().toString());
    assertEquals(0, o.code(), o.err());
    assertEquals(Files.readAllLines(plain), Files.readAllLines(uri));
    Path json = dir.resolve("uri-eval.json");
    Outcome e = sitter("evaluate", "--model", run.toUri().toString(), "--data", prepared.toUri().toString(), "--out", json.toUri().toString());
    assertEquals(0, e.code(), e.err());
    assertEquals(300, TestFiles.evaluation(json).count());
  }

  @Test
  void predictRefusesToReplaceExistingOutputWithoutOverwrite() throws Exception {
    Path out = dir.resolve("existing.csv");
    Files.writeString(out, "precious\n");
    Outcome o = sitter("predict", "--model", run.toString(), "--data", prepared.toString(), "--out", out.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("--overwrite"), o.err());
    assertEquals("precious\n", Files.readString(out));
    assertEquals(0, sitter("predict", "--model", run.toString(), "--data", prepared.toString(), "--out", out.toString(), "--overwrite").code());
    assertTrue(Files.readString(out).startsWith("index,prediction"));
  }

  @Test
  void missingModelIsExit2NamingTheFile() {
    Outcome o = sitter("evaluate", "--model", dir.resolve("nope").toString(), "--data", prepared.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("nope"), o.err());
  }

  @Test
  void dataWithAnotherFeatureCountIsExit2NamingExpectedAndFound() throws Exception {
    EvaluationTestData five = new EvaluationTestData(20, 5, 3, 9);
    Path other = dir.resolve("five");
    five.writePrepDirectory(spark, other, NAMES, true);
    Outcome o = sitter("evaluate", "--model", run.toString(), "--data", other.toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("expects 6") && o.err().contains("has 5"), o.err());
  }

  @Test
  void missingSplitAndBadSplitNameAreExit2() {
    Outcome absent = sitter("evaluate", "--model", run.toString(), "--data", prepared.toString(), "--split", "val");
    assertEquals(2, absent.code());
    assertTrue(absent.err().contains("'val'"), absent.err());
    assertEquals(2, sitter("evaluate", "--model", run.toString(), "--data", prepared.toString(), "--split", "bogus").code());
  }

  @Test
  void evaluateRawInputAppliesTheSavedPreprocessing() throws Exception {
    Path csv = dir.resolve("raw.csv");
    Path scaled = scaledRun("scaled-run", csv);
    Path json = dir.resolve("raw-eval.json");
    Outcome o = sitter("evaluate", "--model", scaled.toString(), "--input", csv.toString(), "--out", json.toString());
    assertEquals(0, o.code(), o.err());
    EvaluationResult r = TestFiles.evaluation(json);
    Evaluation dl4j = new Evaluation(3);
    dl4j.eval(data.oneHot(3), net.output(data.features(), false));
    assertEquals(300, r.count());
    assertEquals(dl4j.accuracy(), r.accuracy(), 1e-12);
    double score = net.score(new org.nd4j.linalg.dataset.DataSet(data.features(), data.oneHot(3)), false);
    assertEquals(score, r.loss(), 1e-4 * score);
  }

  @Test
  void rawInputWithAnUnknownLabelOrAnotherFeatureCountIsExit2() throws Exception {
    Path csv = dir.resolve("fox.csv");
    Files.writeString(csv, "a,b,c,d,e,f,label\n1,2,3,4,5,6,cat\n1,2,3,4,5,6,fox\n");
    Outcome unknown = sitter("evaluate", "--model", run.toString(), "--input", csv.toString());
    assertEquals(2, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("fox"), unknown.err());

    Path narrow = dir.resolve("narrow.csv");
    Files.writeString(narrow, "a,b,c,d,e,label\n1,2,3,4,5,cat\n");
    Outcome features = sitter("predict", "--model", run.toString(), "--input", narrow.toString(), "--out", dir.resolve("n.csv").toString());
    assertEquals(2, features.code(), features.err());
    assertTrue(features.err().contains("6") && features.err().contains("5"), features.err());
    assertTrue(Files.notExists(dir.resolve("n.csv")));
  }

  @Test
  void inputAndDataTogetherIsAUsageError() {
    Outcome o = sitter("evaluate", "--model", run.toString(), "--input", "x.csv", "--data", prepared.toString());
    assertEquals(2, o.code());
  }

  @Test
  void predictUnlabelledRawInputWithLabelNone() throws Exception {
    Path labelled = dir.resolve("with-labels.csv");
    Path scaled = scaledRun("unlabelled-run", labelled);
    // the same file without its label column
    List<String> lines = Files.readAllLines(labelled).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    Path csv = Files.write(dir.resolve("unlabelled.csv"), lines);
    Path out = dir.resolve("unlabelled-predictions.csv");
    Outcome o = sitter("predict", "--model", scaled.toString(), "--input", csv.toString(), "--label", "none", "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    List<String> rows = Files.readAllLines(out);
    assertEquals(301, rows.size());
    for (int i = 0; i < 300; i++) {
      String[] cells = rows.get(i + 1).split(",");
      assertEquals(i, Long.parseLong(cells[0]));
      for (int c = 0; c < 3; c++) {
        assertEquals(expectedProbabilities[i][c], Float.parseFloat(cells[2 + c]), 1e-4f, "row " + i + " class " + c);
      }
    }
    Outcome evaluate = sitter("evaluate", "--model", scaled.toString(), "--input", csv.toString(), "--label", "none");
    assertEquals(2, evaluate.code());
    assertTrue(evaluate.err().contains("needs labels"), evaluate.err());
  }

  /**
   * A run whose saved preprocessing standardizes feature j with mean j+1 and std 2, and at
   * {@code rawCsv} the test rows before that standardization (so the model sees the same inputs).
   */
  private Path scaledRun(String name, Path rawCsv) throws Exception {
    double[] mean = {1, 2, 3, 4, 5, 6};
    double[] std = {2, 2, 2, 2, 2, 2};
    Path scaled = dir.resolve(name);
    EvaluationTestData.writeRun(scaled, net, data.preprocessingJson(NAMES, true, mean, std));
    data.writeRawCsv(rawCsv, NAMES, mean, std);
    return scaled;
  }
}
