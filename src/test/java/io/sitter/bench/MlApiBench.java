package io.sitter.bench;

import io.sitter.cli.SparkSessions;
import io.sitter.data.DataReaders;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.data.LabeledData;
import io.sitter.ml.SitterClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark ML API benchmark behind scripts/bench/ml-api (not a test). Prints one JSON object.
 *
 * <ul>
 *   <li>{@code fits N ROWS FEATURES}: N consecutive fits of SitterClassifier in one SparkSession on
 *       generated blobs, the driver's resident set size (VmRSS) and used heap after each (after a GC),
 *       to show that fits leave nothing behind (broadcasts destroyed, caches unpersisted).
 *   <li>{@code fmnist IDX_DIR EPOCHS}: Fashion-MNIST's official train set through SitterClassifier with the
 *       default configuration ({@code sitter run}'s split: validation 1/9 of the train set, standardized),
 *       test accuracy on the official test set with MulticlassClassificationEvaluator.
 * </ul>
 */
public final class MlApiBench {
  /** -Dpreflight=true runs the babysitter's preflight checks in every fit too (about 4x the time of a small fit here). */
  private static final boolean PREFLIGHT = Boolean.getBoolean("preflight");

  private MlApiBench() {}

  public static void main(String[] args) throws Exception {
    SparkConf conf = SparkSessions.sitterConf(new SparkConf().setAppName("ml-api bench"), false)
        .setMaster(System.getProperty("spark.master", "local[2]")).set("spark.ui.enabled", "false");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    String json = switch (args[0]) {
      case "fits" -> fits(spark, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "fmnist" -> fmnist(spark, Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("mode fits or fmnist, got " + args[0]);
    };
    System.out.println(json);
    spark.stop();
  }

  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static String fits(SparkSession spark, int n, int rows, int features) throws Exception {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    Random r = new Random(1);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % 4;
      double[] x = new double[features];
      for (int j = 0; j < features; j++) {
        x[j] = label * ((j % 3) - 1) + r.nextGaussian();
      }
      data.add(RowFactory.create(Vectors.dense(x), (double) label));
    }
    Dataset<Row> frame = spark.createDataFrame(data, schema);
    StringBuilder out = new StringBuilder("{\"mode\": \"fits\", \"rows\": " + rows + ", \"features\": " + features
        + ", \"preflight\": " + PREFLIGHT + ", \"fits\": [");
    long third = 0;
    long last = 0;
    for (int f = 1; f <= n; f++) {
      long t0 = System.nanoTime();
      SitterClassifier c = new SitterClassifier().setHiddenLayers(new int[] {64, 64}).setEpochs(2).setMinibatchSize(64)
          .setSeed(f).setNumPartitions(2).setPreflightChecks(PREFLIGHT);
      double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(c.fit(frame).transform(frame));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.gc();
      Thread.sleep(500);
      long rss = rssKb();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      third = f == 3 ? rss : third;
      last = rss;
      out.append(f == 1 ? "" : ", ").append(String.format(Locale.ROOT,
          "{\"fit\": %d, \"seconds\": %.2f, \"accuracy\": %.4f, \"driver_rss_mb\": %.1f, \"heap_used_mb\": %.1f, \"cached_rdds\": %d}",
          f, seconds, accuracy, rss / 1024.0, heap / 1048576.0, spark.sparkContext().getPersistentRDDs().size()));
      System.err.printf(Locale.ROOT, "fit %d: %.1f s, accuracy %.3f, rss %.0f MB%n", f, seconds, accuracy, rss / 1024.0);
    }
    return out.append(String.format(Locale.ROOT, "], \"rss_after_third_mb\": %.1f, \"rss_after_last_mb\": %.1f, \"growth_after_third\": %.4f}",
        third / 1024.0, last / 1024.0, (double) (last - third) / third)).toString();
  }

  private static String fmnist(SparkSession spark, Path idxDir, int epochs) {
    LabeledData train = DataReaders.read(spark, new InputSpec(io.sitter.TestFiles.hadoop(idxDir), null, InputFormat.IDX, "last"), null);
    Dataset<Row> frame = train.rows().select(
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.col("features")).as("features"),
        org.apache.spark.sql.functions.col("label").cast(DataTypes.DoubleType).as("label"));
    Dataset<Row> test = train.predefinedTest().select(
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.col("features")).as("features"),
        org.apache.spark.sql.functions.col("label").cast(DataTypes.DoubleType).as("label"));
    long t0 = System.nanoTime();
    // sitter run's split of an IDX directory: train:val 0.8:0.1 of the official train set, seed 42.
    var model = new SitterClassifier().setEpochs(epochs).setValidationFraction(0.1 / 0.9).setSeed(42).fit(frame);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    return String.format(Locale.ROOT, "{\"mode\": \"fmnist\", \"epochs\": %d, \"fit_seconds\": %.1f, \"test_accuracy\": %.4f}", epochs, seconds, accuracy);
  }
}
