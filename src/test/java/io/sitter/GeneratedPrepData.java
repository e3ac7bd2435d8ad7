package io.sitter;

import io.sitter.prep.FittedNormalizer;
import io.sitter.prep.NormalizationMode;
import io.sitter.stats.FeatureStatisticsAccumulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import java.io.IOException;
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

/**
 * Writes a directory in the prep output format of docs/formats.md (Parquet {@code index long,
 * features array<float>, label int} per split, plus preprocessing.json) from generated data, so
 * training tests need neither the prep job nor a download.
 */
public final class GeneratedPrepData {
  /** Generated examples, in index order. */
  public record Examples(float[][] features, int[] labels, int numClasses) {
    public int size() {
      return labels.length;
    }

    public int numFeatures() {
      return features[0].length;
    }
  }

  private GeneratedPrepData() {}

  /**
   * CS231n's spirals: {@code perClass} points per class on {@code classes} interleaved arms, with
   * Gaussian noise; standardized (the arms are centred at 0 with coordinates in [-1, 1]).
   */
  public static Examples spirals(int perClass, int classes, double noise, long seed) {
    Random rng = new Random(seed);
    int n = perClass * classes;
    float[][] x = new float[n][2];
    int[] y = new int[n];
    int i = 0;
    for (int c = 0; c < classes; c++) {
      for (int k = 0; k < perClass; k++) {
        double r = (double) k / perClass;
        double t = c * 4.0 + 4.0 * r + rng.nextGaussian() * noise;
        x[i][0] = (float) (r * Math.sin(t) * 1.7);
        x[i][1] = (float) (r * Math.cos(t) * 1.7);
        y[i] = c;
        i++;
      }
    }
    return shuffle(new Examples(x, y, classes), rng);
  }

  /** Gaussian blobs around random centres: an easy problem in any dimension. */
  public static Examples blobs(int n, int numFeatures, int classes, long seed) {
    Random rng = new Random(seed);
    double[][] centres = new double[classes][numFeatures];
    for (double[] c : centres) {
      for (int j = 0; j < numFeatures; j++) {
        c[j] = rng.nextGaussian() * 2;
      }
    }
    float[][] x = new float[n][numFeatures];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(classes);
      for (int j = 0; j < numFeatures; j++) {
        x[i][j] = (float) (centres[y[i]][j] + rng.nextGaussian());
      }
    }
    return new Examples(x, y, classes);
  }

  private static Examples shuffle(Examples e, Random rng) {
    int n = e.size();
    float[][] x = e.features().clone();
    int[] y = e.labels().clone();
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      float[] tx = x[i];
      x[i] = x[j];
      x[j] = tx;
      int ty = y[i];
      y[i] = y[j];
      y[j] = ty;
    }
    return new Examples(x, y, e.numClasses());
  }

  /**
   * Writes {@code train}, and {@code val}/{@code test} when not null, to {@code dir}. Indices
   * continue across splits (train 0.., then val, then test) and are written in a scrambled row
   * order over several files, so readers cannot rely on file order.
   */
  public static Path write(SparkSession spark, Path dir, Examples train, Examples val, Examples test) throws IOException {
    Files.createDirectories(dir);
    long next = 0;
    next = writeSplit(spark, dir.resolve("train"), train, next);
    if (val != null) {
      next = writeSplit(spark, dir.resolve("val"), val, next);
    }
    if (test != null) {
      writeSplit(spark, dir.resolve("test"), test, next);
    }
    // preprocessing.json through the product's own writer, so the file is exactly what prep writes.
    FeatureStatisticsAccumulator stats = new FeatureStatisticsAccumulator(train.numFeatures());
    for (float[] row : train.features()) {
      double[] values = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        values[j] = row[j];
      }
      stats.add(values);
    }
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < train.numClasses(); c++) {
      classes.add("class" + c);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("train", (long) train.size());
    counts.put("val", val == null ? 0L : val.size());
    counts.put("test", test == null ? 0L : test.size());
    String json = FittedNormalizer.fit(stats.result(), NormalizationMode.NONE, 1.0, classes, true,
            new FittedNormalizer.Provenance("generated", "generated", "last", counts, 0, List.of(1.0, 0.0, 0.0), false))
        .toJson();
    TestFiles.writeString(dir.resolve("preprocessing.json"), json);
    return dir;
  }

  /** {@link #blobs} written as a prep output: the first {@code nTrain} rows train, the next {@code nVal} val, the rest test. */
  public static Path writeBlobs(SparkSession spark, Path dir, int n, int numFeatures, int classes, long seed, int nTrain, int nVal)
      throws IOException {
    Examples[] s = split(blobs(n, numFeatures, classes, seed), nTrain, nVal);
    return write(spark, dir, s[0], s[1], s[2]);
  }

  /** Splits {@code all} in order: the first {@code nTrain} examples, the next {@code nVal}, the rest. */
  public static Examples[] split(Examples all, int nTrain, int nVal) {
    return new Examples[] {slice(all, 0, nTrain), slice(all, nTrain, nTrain + nVal), slice(all, nTrain + nVal, all.size())};
  }

  public static Examples slice(Examples e, int from, int to) {
    float[][] x = new float[to - from][];
    int[] y = new int[to - from];
    for (int i = from; i < to; i++) {
      x[i - from] = e.features()[i];
      y[i - from] = e.labels()[i];
    }
    return new Examples(x, y, e.numClasses());
  }

  private static long writeSplit(SparkSession spark, Path dir, Examples e, long firstIndex) {
    StructType schema = new StructType()
        .add("index", DataTypes.LongType, false)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < e.size(); i++) {
      Float[] f = new Float[e.numFeatures()];
      for (int j = 0; j < f.length; j++) {
        f[j] = e.features()[i][j];
      }
      rows.add(RowFactory.create(firstIndex + i, f, e.labels()[i]));
    }
    java.util.Collections.shuffle(rows, new Random(firstIndex + 17));
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(dir.toString());
    return firstIndex + e.size();
  }
}
