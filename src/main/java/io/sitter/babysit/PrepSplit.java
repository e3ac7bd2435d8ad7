package io.sitter.babysit;

import io.sitter.prep.FittedNormalizer;
import io.sitter.prep.PrepData;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The training split of a prep output directory and the two facts of it the checks need. */
record PrepSplit(Dataset<Row> rows, String source, int numFeatures, int numClasses) {
  /** @throws io.sitter.config.BadInputException when the directory is not a prep output */
  static PrepSplit train(SparkSession spark, Path prepDir) {
    PrepData prep = PrepData.open(spark, prepDir, "--data");
    FittedNormalizer n = prep.normalizer();
    return new PrepSplit(prep.split("train"), prep.directory().split("train").toString(), n.numFeatures(), n.numClasses());
  }
}
