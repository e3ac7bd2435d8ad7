package io.sitter.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The row schema every reader produces and every split file holds (docs/formats.md). */
public final class DataSchema {
  public static final String INDEX = "index";
  public static final String FEATURES = "features";
  public static final String LABEL = "label";

  /** {@code index long, features array<float>, label int}. */
  public static final StructType ROWS =
      new StructType()
          .add(INDEX, DataTypes.LongType, false)
          .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add(LABEL, DataTypes.IntegerType, false);

  /**
   * Rows before labels are mapped: the label as text and where the row came from, so a label
   * error found later still names the file and row.
   */
  static final String LABEL_TEXT = "labelText";
  static final String FILE = "file";
  static final String LINE = "line";
  static final StructType RAW =
      new StructType()
          .add(INDEX, DataTypes.LongType, false)
          .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add(LABEL_TEXT, DataTypes.StringType, true)
          .add(FILE, DataTypes.StringType, false)
          .add(LINE, DataTypes.LongType, false);

  private DataSchema() {}

}
