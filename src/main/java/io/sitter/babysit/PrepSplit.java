package io.sitter.babysit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The training split of a prep output directory and the two facts of {@code preprocessing.json}
 * the checks need (docs/formats.md).
 */
record PrepSplit(Dataset<Row> rows, String source, int numFeatures, int numClasses) {
  /** A prep split's columns. */
  static final StructType SCHEMA = new StructType()
      .add("index", DataTypes.LongType, true)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, true), true)
      .add("label", DataTypes.IntegerType, true);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** @throws BadInputException when the directory is not a prep output */
  static PrepSplit train(SparkSession spark, Path prepDir) {
    Path file = prepDir.resolve("preprocessing.json");
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + " not found: --data must be a sitter prep output directory");
    }
    JsonNode json;
    try {
      json = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    int numFeatures = atLeast(json, "numFeatures", file, 1);
    int numClasses = atLeast(json, "numClasses", file, 2);
    String path = prepDir.resolve("train").toString();
    try {
      // The documented schema, not an inferred one: no footer-reading job, and a column that is
      // missing reads as null, which the checks report as bad input naming the row.
      return new PrepSplit(spark.read().schema(SCHEMA).parquet(path), path, numFeatures, numClasses);
    } catch (Exception e) {
      // Scala's AnalysisException is checked in Java's eyes but undeclared, so it cannot be caught by name.
      if (e instanceof AnalysisException) {
        throw new BadInputException(path + ": cannot read the training split: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private static int atLeast(JsonNode json, String key, Path file, int min) {
    JsonNode v = json.get(key);
    if (v == null || !v.canConvertToInt() || v.asInt() < min) {
      throw new BadInputException(file + ": '" + key + "' must be an integer >= " + min + ", got " + v);
    }
    return v.asInt();
  }
}
