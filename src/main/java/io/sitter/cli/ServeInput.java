package io.sitter.cli;

import io.sitter.serve.SavedModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;

/** Where {@code evaluate} and {@code predict} read from: one of the alternatives, never both. */
final class ServeInput {
  @ArgGroup(exclusive = false, heading = "Prepared data:%n")
  PreparedSplitFlags prepared;

  /** Normalized rows with features, index and label. */
  Dataset<Row> labelledRows(SparkSession spark, SavedModel model) {
    return prepared.read(spark, model);
  }

  /** Normalized rows with features and index (labels, if any, are ignored). */
  Dataset<Row> rows(SparkSession spark, SavedModel model) {
    return prepared.read(spark, model);
  }

  String describe() {
    return prepared.describe();
  }
}
