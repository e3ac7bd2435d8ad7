package io.sitter.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import io.sitter.data.DataReaders;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.data.LabeledData;
import io.sitter.stats.FeatureStatistics;
import io.sitter.stats.SplitAssigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prep job end to end on small CSV/IDX files; results read back from the written Parquet. */
class PrepJobTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  /** 240 rows, 4 features (the last constant), labels 0..2 with 120/80/40 rows. */
  private Path csv(String name, int changedRow, float changedValue) {
    List<String> lines = new ArrayList<>();
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < 240; i++) {
      int label = i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2;
      float a = (float) (1e3 * r.nextGaussian() + 50);
      float b = (float) (1e-3 * r.nextGaussian());
      float c = (float) (label + r.nextDouble());
      if (i == changedRow) {
        a = changedValue;
      }
      lines.add(a + "," + b + "," + c + ",3.5," + label);
    }
    return TestFiles.write(dir.resolve(name), lines);
  }

  /** The values as written, parsed here independently of the readers. */
  private static Map<Long, double[]> raw(Path csv) throws Exception {
    Map<Long, double[]> out = new HashMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      out.put((long) i, new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])});
    }
    return out;
  }

  private static float[] toFloat(double[] x) {
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (float) x[j];
    }
    return out;
  }

  private static Map<Long, Object[]> read(Dataset<Row> rows) {
    Map<Long, Object[]> out = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      out.put(r.getLong(0), new Object[] {features(r), r.getInt(2)});
    }
    return out;
  }

  private static float[] features(Row r) {
    List<Float> list = r.getList(1);
    float[] out = new float[list.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = list.get(j);
    }
    return out;
  }

  private PrepOptions options(Path input, NormalizationMode mode, double scale, Path out, boolean stratify) {
    return new PrepOptions(new InputSpec(TestFiles.hadoop(input), null, InputFormat.AUTO, "last"), List.of(0.6, 0.2, 0.2), 7, stratify, mode, scale, TestFiles.hadoop(out), false);
  }

  @Test
  void sameRowsInEachSplitWhatever1Or3Or7Partitions() {
    LabeledData data = DataReaders.read(spark, new InputSpec(TestFiles.hadoop(csv("p.csv", -1, 0)), null, InputFormat.CSV, "last"), null);
    for (boolean stratify : new boolean[] {true, false}) {
      SplitAssigner a = new SplitAssigner(0.6, 0.2, 0.2, 7);
      Map<Long, Integer> reference = null;
      for (int partitions : new int[] {1, 3, 7}) {
        Dataset<Row> rows = data.rows().repartition(partitions);
        assertEquals(partitions, rows.rdd().getNumPartitions());
        Map<Long, Integer> splits = new HashMap<>();
        for (Row r : PrepJob.assign(rows, a, stratify).select("index", "split").collectAsList()) {
          splits.put(r.getLong(0), r.getInt(1));
        }
        assertEquals(240, splits.size());
        if (reference == null) {
          reference = splits;
        } else {
          assertEquals(reference, splits, partitions + " partitions, stratify " + stratify);
        }
      }
      Map<Long, Integer> other = new HashMap<>();
      for (Row r : PrepJob.assign(data.rows(), new SplitAssigner(0.6, 0.2, 0.2, 8), stratify).select("index", "split").collectAsList()) {
        other.put(r.getLong(0), r.getInt(1));
      }
      assertNotEquals(reference, other, "another seed gives another split");
    }
  }

  @Test
  void stratifiedSplitsKeepEachClassShare() {
    LabeledData data = DataReaders.read(spark, new InputSpec(TestFiles.hadoop(csv("s.csv", -1, 0)), null, InputFormat.CSV, "last"), null);
    int[][] n = new int[3][3];
    for (Row r : PrepJob.assign(data.rows(), new SplitAssigner(0.6, 0.2, 0.2, 7), true).select("label", "split").collectAsList()) {
      n[r.getInt(0)][r.getInt(1)]++;
    }
    int[] classSizes = {120, 80, 40};
    for (int c = 0; c < 3; c++) {
      assertEquals(Math.round(classSizes[c] * 0.6), n[c][0], "train rows of class " + c);
      assertEquals(Math.round(classSizes[c] * 0.2), n[c][1], "val rows of class " + c);
      assertEquals(classSizes[c] - n[c][0] - n[c][1], n[c][2]);
    }
    int[][] m = new int[3][3];
    for (Row r : PrepJob.assign(data.rows(), new SplitAssigner(0.75, 0, 0.25, 7), true).select("label", "split").collectAsList()) {
      m[r.getInt(0)][r.getInt(1)]++;
    }
    for (int c = 0; c < 3; c++) {
      assertEquals(List.of(Math.round(classSizes[c] * 0.75), 0L, classSizes[c] - Math.round(classSizes[c] * 0.75)),
          List.of((long) m[c][0], (long) m[c][1], (long) m[c][2]), "no validation split, class " + c);
    }
  }

  @Test
  void standardizeFitsOnTrainOnlyAndAppliesTheSameTransformToEverySplit() throws Exception {
    Path input = csv("m.csv", -1, 0);
    Path out = dir.resolve("out-std");
    PrepResult r = PrepJob.run(spark, options(input, NormalizationMode.STANDARDIZE, 0.5, out, true));
    assertEquals(240, r.trainCount() + r.valCount() + r.testCount());
    Map<Long, Object[]> train = read(PrepData.open(spark, TestFiles.hadoop(out), "--data").split("train"));
    assertEquals(r.trainCount(), train.size());

    // Independent: two-pass mean/std of the train rows as written (scaled), then the expected
    // values. The fit is in double from the text, so it agrees to double rounding, not float's.
    Map<Long, double[]> raw = raw(input);
    double[] mean = new double[4];
    double[] std = new double[4];
    for (long i : train.keySet()) {
      for (int j = 0; j < 4; j++) {
        mean[j] += raw.get(i)[j] * 0.5 / train.size();
      }
    }
    for (long i : train.keySet()) {
      for (int j = 0; j < 4; j++) {
        double dev = raw.get(i)[j] * 0.5 - mean[j];
        std[j] += dev * dev / train.size();
      }
    }
    for (int j = 0; j < 4; j++) {
      std[j] = Math.sqrt(std[j]);
    }
    FittedNormalizer n = PrepData.open(spark, TestFiles.hadoop(out), "--data").normalizer();
    for (int j = 0; j < 3; j++) {
      assertEquals(mean[j], n.mean()[j], 1e-12 * Math.abs(mean[j]) + 1e-15);
      assertEquals(std[j], n.std()[j], 1e-12 * std[j]);
    }
    assertEquals(List.of(3), n.zeroVarianceFeatures());
    for (String split : SplitAssigner.NAMES) {
      for (var e : read(PrepData.open(spark, TestFiles.hadoop(out), "--data").split(split)).entrySet()) {
        float[] got = (float[]) e.getValue()[0];
        double[] x = raw.get(e.getKey());
        for (int j = 0; j < 3; j++) {
          // Normalized in double, rounded to float once: within half a float ulp of the exact value.
          double exact = (x[j] * 0.5 - mean[j]) / std[j];
          assertEquals(exact, got[j], Math.ulp((float) exact) * 0.5 + 1e-12 * (1 + Math.abs(exact)), split + " row " + e.getKey());
        }
        assertEquals(0f, got[3], 0f, "a constant feature is centred with scale 1");
      }
    }
    // Standardized train columns: mean ~0, std ~1.
    for (int j = 0; j < 3; j++) {
      double m = 0;
      double s = 0;
      for (Object[] v : train.values()) {
        m += ((float[]) v[0])[j] / (double) train.size();
      }
      for (Object[] v : train.values()) {
        double d = ((float[]) v[0])[j] - m;
        s += d * d / train.size();
      }
      assertEquals(0, m, 1e-5);
      assertEquals(1, Math.sqrt(s), 1e-5);
    }
  }

  @Test
  void changingATestRowLeavesTheStatisticsAlone() throws Exception {
    Path input = csv("t1.csv", -1, 0);
    Path out1 = dir.resolve("o1");
    PrepJob.run(spark, options(input, NormalizationMode.CENTER, 1, out1, true));
    long testRow = read(PrepData.open(spark, TestFiles.hadoop(out1), "--data").split("test")).keySet().iterator().next();
    Path changed = csv("t2.csv", (int) testRow, 9.9e6f);
    Path out2 = dir.resolve("o2");
    PrepJob.run(spark, options(changed, NormalizationMode.CENTER, 1, out2, true));
    FittedNormalizer a = PrepData.open(spark, TestFiles.hadoop(out1), "--data").normalizer();
    FittedNormalizer b = PrepData.open(spark, TestFiles.hadoop(out2), "--data").normalizer();
    // Bit-equal: the partitions' accumulators are merged on the driver in partition order.
    assertArrayEquals(a.mean(), b.mean(), 0.0);
    assertArrayEquals(a.std(), b.std(), 0.0);
    float[] changedRow = (float[]) read(PrepData.open(spark, TestFiles.hadoop(out2), "--data").split("test")).get(testRow)[0];
    assertEquals(9.9e6 - a.mean()[0], changedRow[0], 1.0);
    // The same row changed in the training split moves the statistics.
    long trainRow = read(PrepData.open(spark, TestFiles.hadoop(out1), "--data").split("train")).keySet().iterator().next();
    Path out3 = dir.resolve("o3");
    PrepJob.run(spark, options(csv("t3.csv", (int) trainRow, 9.9e6f), NormalizationMode.CENTER, 1, out3, true));
    assertNotEquals(a.mean()[0], PrepData.open(spark, TestFiles.hadoop(out3), "--data").normalizer().mean()[0]);
  }

  @Test
  void pixelMeanAndNoneModes() throws Exception {
    Path input = csv("px.csv", -1, 0);
    Map<Long, double[]> raw = raw(input);
    Path px = dir.resolve("px");
    PrepJob.run(spark, options(input, NormalizationMode.PIXEL_MEAN, 0.25, px, false));
    Map<Long, Object[]> train = read(PrepData.open(spark, TestFiles.hadoop(px), "--data").split("train"));
    double all = 0;
    for (long i : train.keySet()) {
      for (double v : raw.get(i)) {
        all += v * 0.25;
      }
    }
    double pixelMean = all / (4.0 * train.size());
    assertEquals(pixelMean, PrepData.open(spark, TestFiles.hadoop(px), "--data").normalizer().pixelMean(), 1e-9 * Math.abs(pixelMean));
    for (var e : read(PrepData.open(spark, TestFiles.hadoop(px), "--data").split("val")).entrySet()) {
      double[] x = raw.get(e.getKey());
      float[] got = (float[]) e.getValue()[0];
      for (int j = 0; j < 4; j++) {
        assertEquals(x[j] * 0.25 - pixelMean, got[j], 1e-4 * (1 + Math.abs(got[j])));
      }
    }
    Path none = dir.resolve("none");
    PrepJob.run(spark, options(input, NormalizationMode.NONE, 1, none, true));
    for (var e : read(PrepData.open(spark, TestFiles.hadoop(none), "--data").split("test")).entrySet()) {
      assertArrayEquals(toFloat(raw.get(e.getKey())), (float[]) e.getValue()[0], 0f, "mode none: the values as written, rounded to float once");
    }
  }

  @Test
  void preprocessingJsonRoundTripsAndAppliesLikeSpark() throws Exception {
    Path input = csv("j.csv", -1, 0);
    Path out = dir.resolve("j");
    PrepJob.run(spark, options(input, NormalizationMode.STANDARDIZE, 1, out, true));
    JsonNode json = new ObjectMapper().readTree(out.resolve("preprocessing.json").toFile());
    assertEquals(1, json.get("schemaVersion").asInt());
    assertEquals("csv", json.get("format").asText());
    assertEquals("standardize", json.get("mode").asText());
    assertEquals(4, json.get("mean").size());
    assertEquals(List.of("0", "1", "2"), List.of(json.get("classes").get(0).asText(), json.get("classes").get(1).asText(), json.get("classes").get(2).asText()));
    assertEquals(240, json.get("counts").get("train").asLong() + json.get("counts").get("val").asLong() + json.get("counts").get("test").asLong());
    FittedNormalizer n = PrepData.open(spark, TestFiles.hadoop(out), "--data").normalizer();
    Path copy = dir.resolve("copy.json");
    TestFiles.writeString(copy, n.toJson());
    FittedNormalizer back = TestFiles.normalizer(copy);
    assertEquals(n.toJson(), back.toJson());
    Map<Long, double[]> raw = raw(input);
    for (var e : read(PrepData.open(spark, TestFiles.hadoop(out), "--data").split("val")).entrySet()) {
      assertArrayEquals(back.apply(raw.get(e.getKey())), (float[]) e.getValue()[0], 0f);
    }
  }

  @Test
  void sparkStatisticsMatchTwoPassOnWildScales() {
    double[][] rows = io.sitter.stats.FeatureStatisticsAccumulatorTestData.wild(4000);
    List<Row> list = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      list.add(org.apache.spark.sql.RowFactory.create((long) i, rows[i], 0));
    }
    Dataset<Row> ds = spark.createDataFrame(list, io.sitter.data.DataSchema.VALUES).repartition(5);
    FeatureStatistics s = FeatureStatisticsJob.compute(ds, rows[0].length, "test data");
    double[][] expected = io.sitter.stats.FeatureStatisticsAccumulatorTestData.twoPass(List.of(rows));
    for (int j = 0; j < rows[0].length; j++) {
      assertEquals(0, Math.abs(s.mean()[j] - expected[0][j]) / Math.abs(expected[0][j]), 1e-9, "mean " + j);
      if (expected[1][j] > 0) {
        assertEquals(0, Math.abs(s.std()[j] - expected[1][j]) / expected[1][j], 1e-9, "std " + j);
      }
    }
  }

  @Test
  void idxDirectoryUsesItsOwnTestSetNormalizedWithTrainStatistics() {
    byte[][] train = TestFiles.idxData(40, 2, 2, 2, 1);
    byte[][] test = TestFiles.idxData(10, 2, 2, 2, 2);
    Path idx = dir.resolve("idx");
    TestFiles.idx(idx.resolve("train-images-idx3-ubyte.gz"), new int[] {40, 2, 2}, train[0], true);
    TestFiles.idx(idx.resolve("train-labels-idx1-ubyte.gz"), new int[] {40}, train[1], true);
    TestFiles.idx(idx.resolve("t10k-images-idx3-ubyte"), new int[] {10, 2, 2}, test[0], false);
    TestFiles.idx(idx.resolve("t10k-labels-idx1-ubyte"), new int[] {10}, test[1], false);
    Path out = dir.resolve("idx-out");
    PrepResult r =
        PrepJob.run(spark, new PrepOptions(new InputSpec(TestFiles.hadoop(idx), null, InputFormat.AUTO, "last"), List.of(0.8, 0.1, 0.1), 42, true,
            NormalizationMode.CENTER, 1.0 / 255, TestFiles.hadoop(out), false));
    assertEquals(10, r.testCount());
    assertEquals(40, r.trainCount() + r.valCount());
    assertEquals(36, r.trainCount(), "train/val share the 40 rows 8:1");
    FittedNormalizer n = r.normalizer();
    assertEquals(0.0, n.split().get(2), 0.0);
    Map<Long, Object[]> testRows = read(PrepData.open(spark, TestFiles.hadoop(out), "--data").split("test"));
    assertEquals(40L, testRows.keySet().iterator().next().longValue());
    float[] first = (float[]) testRows.get(40L)[0];
    for (int j = 0; j < 4; j++) {
      assertEquals((test[0][j] & 0xFF) / 255.0 - n.mean()[j], first[j], 1e-6);
    }
  }

  @Test
  void anExistingOutputIsRefusedUnlessOverwriteAndThenReplacedWhole() throws Exception {
    Path input = csv("w.csv", -1, 0);
    Path out = dir.resolve("w");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "mine");
    BadInputException e = assertThrows(BadInputException.class, () -> PrepJob.run(spark, options(input, NormalizationMode.NONE, 1, out, true)));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    PrepOptions o = options(input, NormalizationMode.NONE, 1, out, true);
    PrepJob.run(spark, new PrepOptions(o.input(), o.split(), o.seed(), o.stratify(), o.mode(), o.scale(), TestFiles.hadoop(out), true));
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertTrue(Files.exists(out.resolve("preprocessing.json")));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary siblings left");
    }
  }
}
