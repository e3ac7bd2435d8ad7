package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.metrics.EvaluationResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@code sitter run} end to end in process: prep, train, test evaluation, on tiny generated data. */
class RunCommandTest {
  private static final String[] TINY = {
    "--set", "model.hiddenLayers=[8]", "--set", "train.epochs=3", "--set", "train.minibatchSize=16",
    "--set", "train.learningRate=0.01", "--partitions", "2", "--set", "train.averagingFrequency=1"
  };
  private static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void session() {
    spark = TestSpark.session();
  }

  private record Result(int code, String out, String err) {}

  private static Result sitter(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String> args(String... first) {
    List<String> a = new ArrayList<>(List.of(first));
    a.addAll(List.of(TINY));
    return a;
  }

  @Test
  void runPrepsTrainsAndEvaluatesTheSavedModelOnTheTestSplit() throws Exception {
    Path csv = TestFiles.write(dir.resolve("blobs.csv"), separatedBlobs(300, 17));
    Path run = dir.resolve("run");
    Result r = sitter(args("run", "--input", csv.toString(), "--out", run.toString()));
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("prep/train", "prep/val", "prep/test", "prep/preprocessing.json", "checks.json", "model.zip",
        "preprocessing.json", "config.json", "metrics.jsonl", "evaluation.json")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    EvaluationResult saved = TestFiles.evaluation(run.resolve("evaluation.json"));
    assertTrue(saved.accuracy() >= 0.9, "blobs 4 to 6 apart with unit noise are easy: " + saved.accuracy());

    // Independently: the saved model applied by hand (DL4J, locally) to the saved test split.
    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false);
    List<Row> test = spark.read().parquet(run.resolve("prep/test").toString()).collectAsList();
    float[][] x = new float[test.size()][];
    float[][] y = new float[test.size()][3];
    for (int i = 0; i < x.length; i++) {
      List<Float> f = test.get(i).getList(test.get(i).fieldIndex("features"));
      x[i] = new float[f.size()];
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = f.get(j);
      }
      y[i][test.get(i).getInt(test.get(i).fieldIndex("label"))] = 1f;
    }
    Evaluation dl4j = new Evaluation(3);
    dl4j.eval(Nd4j.createFromArray(y), net.output(Nd4j.createFromArray(x).castTo(DataType.FLOAT), false));
    assertEquals(x.length, saved.count());
    assertEquals(dl4j.accuracy(), saved.accuracy(), 1e-12);
    assertTrue(r.out().contains(String.format(Locale.ROOT, "test accuracy: %.4f", dl4j.accuracy())), r.out());
    assertTrue(r.out().contains("run directory: " + run.toAbsolutePath().normalize()), r.out());

    // The same model through `sitter evaluate` on the raw CSV's rows agrees with the run's own split.
    Result e = sitter(List.of("evaluate", "--model", run.toString(), "--data", run.resolve("prep").toString()));
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains(String.format(Locale.ROOT, "accuracy %.4f", dl4j.accuracy())), e.out());
  }

  /** Three classes with string labels, centers 4 apart per differing coordinate, unit noise. */
  private static List<String> separatedBlobs(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    List<String> lines = new ArrayList<>(List.of("a,b,c,d,kind"));
    String[] names = {"ant", "bee", "cow"};
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      StringBuilder s = new StringBuilder();
      for (int j = 0; j < 4; j++) {
        s.append((float) (4 * ((c + j) % 3) + r.nextGaussian())).append(',');
      }
      lines.add(s.append(names[c]).toString());
    }
    return lines;
  }

  @Test
  void idxDirectoryIsEvaluatedOnItsOwnTestSet() throws Exception {
    byte[][] train = TestFiles.idxData(60, 3, 3, 2, 1);
    byte[][] test = TestFiles.idxData(20, 3, 3, 2, 2);
    Path idx = dir.resolve("idx");
    TestFiles.idx(idx.resolve("train-images-idx3-ubyte.gz"), new int[] {60, 3, 3}, train[0], true);
    TestFiles.idx(idx.resolve("train-labels-idx1-ubyte.gz"), new int[] {60}, train[1], true);
    TestFiles.idx(idx.resolve("t10k-images-idx3-ubyte.gz"), new int[] {20, 3, 3}, test[0], true);
    TestFiles.idx(idx.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {20}, test[1], true);
    Path run = dir.resolve("idx-run");
    // the preflight checks are covered by the test above; random pixels would only fail them
    Result r = sitter(args("run", "--input", idx.toString(), "--out", run.toString(), "--scale", "1/255", "--no-checks"));
    assertEquals(0, r.code(), r.err());
    assertEquals(20, TestFiles.evaluation(run.resolve("evaluation.json")).count(), "the official test set, all of it");
  }

  @Test
  void badInputIsExit2AndWritesNothing() throws Exception {
    Path run = dir.resolve("never");
    Result missing = sitter(args("run", "--input", dir.resolve("absent.csv").toString(), "--out", run.toString()));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("absent.csv"), missing.err());
    Result badKey = sitter(List.of("run", "--input", "x.csv", "--out", run.toString(), "--set", "train.nope=1"));
    assertEquals(2, badKey.code());
    assertTrue(badKey.err().contains("train.nope"), badKey.err());
    assertFalse(Files.exists(run));

    // Found by prep after the run directory was made: the half-made run is removed again.
    Path bad = TestFiles.write(dir.resolve("bad.csv"), List.of("1,2,0", "3,oops,1", "5,6,0", "7,8,1"));
    Result malformed = sitter(args("run", "--input", bad.toString(), "--out", run.toString()));
    assertEquals(2, malformed.code(), malformed.err());
    assertTrue(malformed.err().contains("oops"), malformed.err());
    assertFalse(Files.exists(run), "nothing left behind");
  }
}
