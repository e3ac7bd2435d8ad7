package io.sitter.cli;

import io.sitter.serve.PrepSplits;
import io.sitter.serve.SavedModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** {@code --data DIR --split NAME}: a split of a prep output directory, already normalized. */
final class PreparedSplitFlags {
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "A prep output directory (already normalized); a local path or a Hadoop URI.")
  String data;

  @Option(names = "--split", paramLabel = "NAME", defaultValue = "test", description = "Which split of --data: train, val or test (default: ${DEFAULT-VALUE}).")
  String split;

  Dataset<Row> read(SparkSession spark, SavedModel model) {
    return PrepSplits.read(spark, CliStorage.of(spark).resolve("--data", data), split, model);
  }

  String describe() {
    return data + "/" + split;
  }
}
