package io.sitter.train;

import io.sitter.prep.FittedNormalizer;
import io.sitter.prep.PrepData;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A prep output directory as training uses it: the splits and the facts of preprocessing.json. */
final class PrepDirectory {
  final Path dir;
  final Path preprocessingFile;
  final int numFeatures;
  final int numClasses;
  final List<String> classes;
  final String input;

  private PrepDirectory(Path dir, FittedNormalizer n) {
    this.dir = dir;
    this.preprocessingFile = dir.resolve(PrepData.PREPROCESSING_JSON);
    this.numFeatures = n.numFeatures();
    this.numClasses = n.numClasses();
    this.classes = n.classes();
    this.input = n.input();
  }

  /** @throws io.sitter.config.BadInputException when {@code dir} is not a prep output */
  static PrepDirectory open(Path dir) {
    return new PrepDirectory(dir, PrepData.normalizer(dir));
  }

  Dataset<Row> train(SparkSession spark) {
    return PrepData.readSplit(spark, dir, "train");
  }

  /** The split's rows, if the directory has any. */
  Optional<Dataset<Row>> optional(SparkSession spark, String name) {
    return PrepData.hasRows(dir, name) ? Optional.of(PrepData.readSplit(spark, dir, name)) : Optional.empty();
  }

  Path split(String name) {
    return dir.resolve(name);
  }
}
