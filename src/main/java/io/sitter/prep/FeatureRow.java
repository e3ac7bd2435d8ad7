package io.sitter.prep;

import io.sitter.data.DataSchema;
import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * A row as read ({@link DataSchema#VALUES}) as a Java bean, so Spark's bean encoder hands
 * executors a primitive {@code double[]} straight from its binary row ({@code
 * UnsafeArrayData.toDoubleArray}) instead of a {@code Row.getList} of boxed Doubles: the
 * statistics and normalization passes touch every value. Mutable only because bean encoders need
 * setters; it never leaves a task.
 */
public final class FeatureRow implements Serializable {
  private static final long serialVersionUID = 1L;
  static final Encoder<FeatureRow> ENCODER = Encoders.bean(FeatureRow.class);

  private long index;
  private double[] features;
  private int label;

  public FeatureRow() {}

  FeatureRow(long index, double[] features, int label) {
    this.index = index;
    this.features = features;
    this.label = label;
  }

  /** {@code rows} ({@link DataSchema#VALUES} columns) as beans. */
  static Dataset<FeatureRow> of(Dataset<Row> rows) {
    return rows.select(DataSchema.INDEX, DataSchema.FEATURES, DataSchema.LABEL).as(ENCODER);
  }

  public long getIndex() {
    return index;
  }

  public void setIndex(long index) {
    this.index = index;
  }

  public double[] getFeatures() {
    return features;
  }

  public void setFeatures(double[] features) {
    this.features = features;
  }

  public int getLabel() {
    return label;
  }

  public void setLabel(int label) {
    this.label = label;
  }
}
