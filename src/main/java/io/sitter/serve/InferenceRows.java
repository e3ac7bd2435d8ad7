package io.sitter.serve;

import io.sitter.config.BadInputException;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Puts the columns inference needs into a fixed order, so executor code reads them by position:
 * {@code features} (0), {@code index} (1, -1 when the data has none), {@code label} (2, when
 * wanted).
 */
final class InferenceRows {
  static final int FEATURES = 0;
  static final int INDEX = 1;
  static final int LABEL = 2;

  private InferenceRows() {}

  /** features, index, label. */
  static Dataset<Row> select(Dataset<Row> rows) {
    require(rows, "label");
    return rows.select(features(rows), index(rows), rows.col("label").cast(DataTypes.IntegerType).as("label"));
  }

  /** features, index (labels are not needed to predict). */
  static Dataset<Row> selectUnlabelled(Dataset<Row> rows) {
    return rows.select(features(rows), index(rows));
  }

  private static Column features(Dataset<Row> rows) {
    require(rows, "features");
    return rows.col("features").cast(DataTypes.createArrayType(DataTypes.FloatType)).as("features");
  }

  private static Column index(Dataset<Row> rows) {
    return Arrays.asList(rows.columns()).contains("index")
        ? rows.col("index").cast(DataTypes.LongType).as("index")
        : functions.lit(-1L).as("index");
  }

  private static void require(Dataset<Row> rows, String column) {
    if (!Arrays.asList(rows.columns()).contains(column)) {
      throw new BadInputException(
          "the data has no '" + column + "' column (columns: " + String.join(", ", rows.columns()) + ")");
    }
  }
}
