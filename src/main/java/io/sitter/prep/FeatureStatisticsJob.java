package io.sitter.prep;

import io.sitter.config.BadInputException;
import io.sitter.stats.FeatureStatistics;
import io.sitter.stats.FeatureStatisticsAccumulator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-feature statistics of a rows dataset in one distributed pass: one {@link
 * FeatureStatisticsAccumulator} per partition (why this and not Summarizer: see that class),
 * merged on the driver in partition order.
 *
 * <p>Not {@code treeAggregate}: it merges partition results in the order tasks finish, so the
 * last bits of the mean and std varied between two runs over the same rows (seen in
 * PrepJobTest). In partition order the statistics are bit-for-bit reproducible. The driver then
 * holds one accumulator per partition, 32 bytes per feature each (784 features x 200 partitions:
 * 5 MB).
 */
public final class FeatureStatisticsJob {
  private FeatureStatisticsJob() {}

  /** @param what names the data in the error when it has no rows ("the training split") */
  public static FeatureStatistics compute(Dataset<Row> rows, int numFeatures, String what) {
    List<FeatureStatisticsAccumulator> parts =
        FeatureRow.of(rows).javaRDD().mapPartitions(new PrepFunctions.AccumulatePartition(numFeatures)).collect();
    FeatureStatisticsAccumulator acc = new FeatureStatisticsAccumulator(numFeatures);
    for (FeatureStatisticsAccumulator part : parts) {
      acc.merge(part);
    }
    if (acc.count() == 0) {
      throw new BadInputException(what + " has no rows");
    }
    return acc.result();
  }
}
