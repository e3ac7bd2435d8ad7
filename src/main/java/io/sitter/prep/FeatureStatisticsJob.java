package io.sitter.prep;

import io.sitter.config.BadInputException;
import io.sitter.stats.FeatureStatistics;
import io.sitter.stats.FeatureStatisticsAccumulator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-feature statistics of a rows dataset in one distributed pass: a {@code treeAggregate} of
 * {@link FeatureStatisticsAccumulator}s (why this and not Summarizer: see that class). Only one
 * accumulator per partition travels to the driver.
 */
public final class FeatureStatisticsJob {
  private FeatureStatisticsJob() {}

  /** @param what names the data in the error when it has no rows ("the training split") */
  public static FeatureStatistics compute(Dataset<Row> rows, int numFeatures, String what) {
    FeatureStatisticsAccumulator acc =
        FeatureRow.of(rows)
            .javaRDD()
            .treeAggregate(new FeatureStatisticsAccumulator(numFeatures), new PrepFunctions.AddRow(), new PrepFunctions.Merge());
    if (acc.count() == 0) {
      throw new BadInputException(what + " has no rows");
    }
    return acc.result();
  }
}
