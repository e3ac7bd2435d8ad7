package io.sitter.prep;

import io.sitter.data.DataSchema;
import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * A row as a Java bean, so Spark's bean encoder hands executors a primitive {@code float[]}
 * straight from its binary row ({@code UnsafeArrayData.toFloatArray}) instead of a {@code
 * Row.getList} of boxed Floats: the statistics and normalization passes touch every value.
 * Mutable only because bean encoders need setters; it never leaves a task.
 */
public final class FeatureRow implements Serializable {
  private static final long serialVersionUID = 1L;
  static final Encoder<FeatureRow> ENCODER = Encoders.bean(FeatureRow.class);

  private long index;
  private float[] features;
  private int label;

  public FeatureRow() {}

  FeatureRow(long index, float[] features, int label) {
    this.index = index;
    this.features = features;
    this.label = label;
  }

  /** {@code rows} ({@link DataSchema#ROWS} columns) as beans. */
  static Dataset<FeatureRow> of(Dataset<Row> rows) {
    return rows.select(DataSchema.INDEX, DataSchema.FEATURES, DataSchema.LABEL).as(ENCODER);
  }

  /** Beans back to {@link DataSchema#ROWS}' column order (the bean encoder orders them by name). */
  static Dataset<Row> toRows(Dataset<FeatureRow> beans) {
    return beans.select(DataSchema.INDEX, DataSchema.FEATURES, DataSchema.LABEL);
  }

  public long getIndex() {
    return index;
  }

  public void setIndex(long index) {
    this.index = index;
  }

  public float[] getFeatures() {
    return features;
  }

  public void setFeatures(float[] features) {
    this.features = features;
  }

  public int getLabel() {
    return label;
  }

  public void setLabel(int label) {
    this.label = label;
  }
}
