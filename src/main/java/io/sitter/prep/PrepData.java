package io.sitter.prep;

import io.sitter.config.BadInputException;
import io.sitter.data.DataSchema;
import io.sitter.storage.PrepDirectory;
import io.sitter.storage.Storage;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A prep output as its readers use it (train, check, search, evaluate): {@code
 * preprocessing.json} read through {@link PrepDirectory}, the splits read by Spark from their
 * Hadoop paths.
 */
public final class PrepData {
  private final SparkSession spark;
  private final PrepDirectory dir;
  private final FittedNormalizer normalizer;

  private PrepData(SparkSession spark, PrepDirectory dir, FittedNormalizer normalizer) {
    this.spark = spark;
    this.dir = dir;
    this.normalizer = normalizer;
  }

  /**
   * @param flag the flag the directory came from ({@code --data}), for the message
   * @throws BadInputException when {@code dir} is no prep output (no committed preprocessing.json)
   */
  public static PrepData open(SparkSession spark, Path dir, String flag) {
    PrepDirectory prep = PrepDirectory.at(Storage.of(spark.sparkContext().hadoopConfiguration()), dir);
    return new PrepData(spark, prep, FittedNormalizer.fromJson(prep.preprocessing(flag), prep.preprocessingFile()));
  }

  public PrepDirectory directory() {
    return dir;
  }

  public Path path() {
    return dir.path();
  }

  /** The fitted transform, from preprocessing.json. */
  public FittedNormalizer normalizer() {
    return normalizer;
  }

  /** Whether the split has rows (a split of fraction 0 is written as absent). */
  public boolean hasRows(String split) {
    return normalizer.counts().getOrDefault(split, 0L) > 0;
  }

  /** The split's rows, if it has any. */
  public Optional<Dataset<Row>> optional(String split) {
    return hasRows(split) ? Optional.of(split(split)) : Optional.empty();
  }

  /**
   * One split ({@code train}, {@code val} or {@code test}) with schema {@link DataSchema#ROWS}. A
   * split written as absent (0 rows, fraction 0) reads as an empty dataset.
   */
  public Dataset<Row> split(String split) {
    Path path = dir.split(split);
    if (!dir.hasSplit(split)) {
      if (normalizer.counts().getOrDefault(split, -1L) == 0L) {
        return spark.createDataFrame(List.<Row>of(), DataSchema.ROWS);
      }
      throw new BadInputException(path + " does not exist: is " + dir.path() + " a directory written by sitter prep?");
    }
    // The documented schema, not an inferred one: Spark then runs no footer-reading job (whose
    // StructType results Kryo would need registered), and a missing column reads as null, which the
    // readers of the rows report as bad input naming the row.
    try {
      return spark.read().schema(DataSchema.ROWS).parquet(path.toString());
    } catch (Exception e) {
      // Scala's AnalysisException is checked in Java's eyes but undeclared, so it cannot be caught by name.
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw new BadInputException(path + ": cannot read the " + split + " split: " + e.getMessage(), e);
      }
      throw e;
    }
  }
}
