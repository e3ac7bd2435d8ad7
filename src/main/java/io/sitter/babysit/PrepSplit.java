package io.sitter.babysit;

import io.sitter.prep.FittedNormalizer;
import io.sitter.prep.PrepData;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The training split of a prep output directory and the two facts of it the checks need. */
record PrepSplit(Dataset<Row> rows, String source, int numFeatures, int numClasses) {
  /** @throws io.sitter.config.BadInputException when the directory is not a prep output */
  static PrepSplit train(SparkSession spark, Path prepDir) {
    FittedNormalizer n = PrepData.normalizer(prepDir);
    return new PrepSplit(PrepData.readSplit(spark, prepDir, "train"), prepDir.resolve("train").toString(),
        n.numFeatures(), n.numClasses());
  }
}
