package io.sitter.bench.stats;

import io.sitter.data.DataReaders;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.prep.FeatureRow;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The two Parquet inputs of the statistics benchmark, in sitter's row layout ({@code index long,
 * features array<float>, label int}, docs/formats.md), each 60,000 x 784 in {@link #FILES} files
 * so both cores of {@code local[2]} read:
 *
 * <ul>
 *   <li>Fashion-MNIST's official training images, raw pixels 0..255, as sitter's IDX reader yields them;
 *   <li>generated "hard" features of mean 1e4 and std 1e-2 (Gaussian, seeded per row), where
 *       sum/sum-of-squares cancels and Welford/Chan does not.
 * </ul>
 */
final class BenchData {
  static final int FILES = 4;
  static final int ROWS = 60_000;
  static final int FEATURES = 784;
  static final double HARD_MEAN = 1e4;
  static final double HARD_STD = 1e-2;

  private BenchData() {}

  static void fashionMnist(SparkSession spark, Path idxDir, Path out) {
    DataReaders.read(spark, new InputSpec(new org.apache.hadoop.fs.Path(idxDir.toAbsolutePath().toUri()), null, InputFormat.IDX, "last"), null).rows()
        .repartition(FILES).write().mode(SaveMode.Overwrite).parquet(out.toUri().toString());
  }

  static void hard(SparkSession spark, Path out, long seed) {
    spark.range(0, ROWS, 1, FILES).map(new HardRow(seed), Encoders.bean(FeatureRow.class))
        .select("index", "features", "label")
        .write().mode(SaveMode.Overwrite).parquet(out.toUri().toString());
  }

  /** Row {@code index}: features HARD_MEAN + HARD_STD * N(0, 1), from a generator seeded by (seed, index). */
  static final class HardRow implements MapFunction<Long, FeatureRow> {
    private static final long serialVersionUID = 1L;
    private final long seed;

    HardRow(long seed) {
      this.seed = seed;
    }

    @Override
    public FeatureRow call(Long index) {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
      double[] x = new double[FEATURES];
      for (int j = 0; j < FEATURES; j++) {
        x[j] = HARD_MEAN + HARD_STD * random.nextGaussian();
      }
      FeatureRow row = new FeatureRow();
      row.setIndex(index);
      row.setFeatures(x);
      row.setLabel((int) (index % 10));
      return row;
    }
  }
}
