package io.sitter.prep;

import io.sitter.config.BadInputException;
import io.sitter.data.DataSchema;
import io.sitter.stats.SplitAssigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads what {@link PrepJob} wrote. */
public final class PrepData {
  public static final String PREPROCESSING_JSON = "preprocessing.json";

  private PrepData() {}

  /** The fitted transform of a prep directory. */
  public static FittedNormalizer normalizer(Path prepDir) {
    return FittedNormalizer.read(prepDir.resolve(PREPROCESSING_JSON));
  }

  /** Whether the prep directory has rows in {@code split} (a split of fraction 0 is written as absent). */
  public static boolean hasRows(Path prepDir, String split) {
    return normalizer(prepDir).counts().getOrDefault(split, 0L) > 0;
  }

  /**
   * One split ({@code train}, {@code val} or {@code test}) with schema {@link DataSchema#ROWS}. A
   * split written as absent (0 rows, fraction 0) reads as an empty dataset.
   */
  public static Dataset<Row> readSplit(SparkSession spark, Path prepDir, String split) {
    if (!SplitAssigner.NAMES.contains(split)) {
      throw new IllegalArgumentException("split must be one of " + SplitAssigner.NAMES + ", got " + split);
    }
    Path dir = prepDir.resolve(split);
    if (!Files.isDirectory(dir)) {
      FittedNormalizer n = normalizer(prepDir);
      if (n.counts().getOrDefault(split, -1L) == 0L) {
        return spark.createDataFrame(List.<Row>of(), DataSchema.ROWS);
      }
      throw new BadInputException(dir + " does not exist: is " + prepDir + " a directory written by sitter prep?");
    }
    // The documented schema, not an inferred one: Spark then runs no footer-reading job (whose
    // StructType results Kryo would need registered), and a missing column reads as null, which the
    // readers of the rows report as bad input naming the row.
    try {
      return spark.read().schema(DataSchema.ROWS).parquet(dir.toUri().toString());
    } catch (Exception e) {
      // Scala's AnalysisException is checked in Java's eyes but undeclared, so it cannot be caught by name.
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw new BadInputException(dir + ": cannot read the " + split + " split: " + e.getMessage(), e);
      }
      throw e;
    }
  }
}
