package io.sitter.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row schemas: what every reader produces ({@link #VALUES}, doubles) and what every split
 * file holds ({@link #ROWS}, floats) (docs/formats.md).
 */
public final class DataSchema {
  public static final String INDEX = "index";
  public static final String FEATURES = "features";
  public static final String LABEL = "label";

  /**
   * {@code index long, features array<float>, label int}: network input, i.e. normalized rows
   * (prep's split files, what predict and evaluate feed the model). float32 because that is what
   * the network computes in; the conversion happens once, after normalization in double.
   */
  public static final StructType ROWS =
      new StructType()
          .add(INDEX, DataTypes.LongType, false)
          .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add(LABEL, DataTypes.IntegerType, false);

  /**
   * {@code index long, features array<double>, label int}: rows as read, the values as written in
   * the input. Statistics and the normalization fit are computed from these: rounded to float32
   * first, a CSV value 6.981 became 6.980999946594238 in {@code sitter stats} (issue 18).
   */
  public static final StructType VALUES =
      new StructType()
          .add(INDEX, DataTypes.LongType, false)
          .add(FEATURES, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
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
          .add(FEATURES, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
          .add(LABEL_TEXT, DataTypes.StringType, true)
          .add(FILE, DataTypes.StringType, false)
          .add(LINE, DataTypes.LongType, false);

  private DataSchema() {}

}
