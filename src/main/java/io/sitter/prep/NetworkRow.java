package io.sitter.prep;

import io.sitter.data.DataSchema;
import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * A normalized row ({@link DataSchema#ROWS}: float32 features, what the network consumes) as a
 * Java bean, the output side of {@link FeatureRow}: a bean, for the same reason (primitive arrays
 * between Spark's binary rows and the transform). Mutable only because bean encoders need setters.
 */
public final class NetworkRow implements Serializable {
  private static final long serialVersionUID = 1L;
  static final Encoder<NetworkRow> ENCODER = Encoders.bean(NetworkRow.class);

  private long index;
  private float[] features;
  private int label;

  public NetworkRow() {}

  NetworkRow(long index, float[] features, int label) {
    this.index = index;
    this.features = features;
    this.label = label;
  }

  /** Beans back to {@link DataSchema#ROWS}' column order (the bean encoder orders them by name). */
  static Dataset<Row> toRows(Dataset<NetworkRow> beans) {
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
