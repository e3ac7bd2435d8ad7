package io.sitter.bench.stats;

import static org.apache.spark.sql.functions.col;

import io.sitter.prep.FeatureRow;
import io.sitter.prep.FeatureStatisticsJob;
import io.sitter.stats.FeatureStatistics;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The ways of computing per-feature mean and std that are timed. Each reads the Parquet file
 * afresh, so every timing includes the read, as sitter's prep pays it.
 *
 * <p>The plain contestants decode rows through the same bean encoder as sitter's job ({@link
 * FeatureRow}: a primitive {@code double[]} straight from the binary row), so what differs between
 * them is the arithmetic and the number of passes, not the decoding.
 */
enum Contestants {
  /** sitter's statistics job, through its real entry point: one Welford/Chan pass, partitions merged in order. */
  SITTER("sitter FeatureStatisticsJob (Welford/Chan, one pass)") {
    @Override
    Moments compute(SparkSession spark, String path, int numFeatures) {
      FeatureStatistics s = FeatureStatisticsJob.compute(spark.read().parquet(path), numFeatures, path);
      return new Moments(s.count(), s.mean(), s.std());
    }
  },
  /**
   * Spark ML's Summarizer over {@code array_to_vector}: its std is the sample std (divisor n-1),
   * converted here to the population std by sqrt((n-1)/n).
   */
  SUMMARIZER("Spark ML Summarizer (mean, std) over array_to_vector") {
    @Override
    Moments compute(SparkSession spark, String path, int numFeatures) {
      Dataset<Row> vectors = spark.read().parquet(path)
          .select(org.apache.spark.ml.functions.array_to_vector(
              col("features").cast(DataTypes.createArrayType(DataTypes.DoubleType))).as("v"));
      Row r = vectors.select(Summarizer.metrics("count", "mean", "std").summary(col("v")).as("s"))
          .select("s.count", "s.mean", "s.std").first();
      long n = r.getLong(0);
      double[] mean = ((Vector) r.get(1)).toArray();
      double[] std = ((Vector) r.get(2)).toArray();
      double toPopulation = Math.sqrt((n - 1.0) / n);
      for (int j = 0; j < std.length; j++) {
        std[j] *= toPopulation;
      }
      return new Moments(n, mean, std);
    }
  },
  /** Two treeAggregates in double: the mean, then the sum of squared deviations from it (reads the file twice). */
  TWO_PASS("plain two-pass in double (two treeAggregates)") {
    @Override
    Moments compute(SparkSession spark, String path, int numFeatures) {
      SumFunctions.Sums first = rows(spark, path)
          .treeAggregate(new SumFunctions.Sums(numFeatures, false), new SumFunctions.AddRow(), new SumFunctions.Merge());
      long n = first.count;
      double[] mean = new double[numFeatures];
      for (int j = 0; j < numFeatures; j++) {
        mean[j] = first.sum[j] / n;
      }
      Broadcast<double[]> bc = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(mean);
      SumFunctions.Sums second;
      try {
        second = rows(spark, path).treeAggregate(new SumFunctions.Sums(numFeatures, false),
            new SumFunctions.AddSquaredDeviations(bc), new SumFunctions.Merge());
      } finally {
        bc.destroy();
      }
      double[] std = new double[numFeatures];
      for (int j = 0; j < numFeatures; j++) {
        std[j] = Math.sqrt(second.sum[j] / n);
      }
      return new Moments(n, mean, std);
    }
  },
  /**
   * One treeAggregate of count, sum and sum of squares in double; var = sumsq/n - mean^2, which
   * cancels catastrophically when the mean is large next to the std.
   */
  ONE_PASS_SUMSQ("one-pass sum/sum-of-squares in double (one treeAggregate)") {
    @Override
    Moments compute(SparkSession spark, String path, int numFeatures) {
      SumFunctions.Sums s = rows(spark, path)
          .treeAggregate(new SumFunctions.Sums(numFeatures, true), new SumFunctions.AddRow(), new SumFunctions.Merge());
      long n = s.count;
      double[] mean = new double[numFeatures];
      double[] std = new double[numFeatures];
      for (int j = 0; j < numFeatures; j++) {
        mean[j] = s.sum[j] / n;
        std[j] = Math.sqrt(Math.max(0.0, s.sumSq[j] / n - mean[j] * mean[j]));
      }
      return new Moments(n, mean, std);
    }
  };

  final String description;

  Contestants(String description) {
    this.description = description;
  }

  abstract Moments compute(SparkSession spark, String path, int numFeatures);

  static JavaRDD<double[]> rows(SparkSession spark, String path) {
    return spark.read().parquet(path).select("index", "features", "label")
        .as(Encoders.bean(FeatureRow.class)).javaRDD().map(new SumFunctions.Features());
  }
}
