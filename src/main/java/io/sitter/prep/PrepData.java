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
    Dataset<Row> rows = spark.read().parquet(dir.toUri().toString());
    if (!DataSchema.hasRowColumns(rows.schema())) {
      throw new BadInputException(
          dir + ": schema " + rows.schema().simpleString() + ", expected " + DataSchema.ROWS.simpleString());
    }
    return rows.select(DataSchema.INDEX, DataSchema.FEATURES, DataSchema.LABEL);
  }
}
