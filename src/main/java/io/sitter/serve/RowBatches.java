package io.sitter.serve;

import io.sitter.config.BadInputException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * Turns rows laid out by {@link InferenceRows} into minibatches of flat feature arrays, checking
 * each row on the way: a wrong feature count, a null or non-finite feature, or a label out of range
 * is bad input named by the row's index. Runs on the executors.
 *
 * <p>Public because {@code io.sitter.ml}'s model scores DataFrames through it too: one batcher for
 * the command line's evaluate/predict and the Spark ML transform, so both check rows alike.
 */
public final class RowBatches implements Iterator<RowBatches.Batch> {
  /** Rows per inference call: large enough to amortise the native call, small enough to stay a few MB. */
  public static final int BATCH_ROWS = 512;

  /** One minibatch; arrays are sized for {@link #BATCH_ROWS} and valid up to {@link #size}. */
  public static final class Batch {
    final float[] features;
    final long[] index;
    final int[] labels;
    int size;

    Batch(int numFeatures, boolean labelled) {
      features = new float[BATCH_ROWS * numFeatures];
      index = new long[BATCH_ROWS];
      labels = labelled ? new int[BATCH_ROWS] : null;
    }

    /** Rows in this batch. */
    public int size() {
      return size;
    }

    /**
     * The rows' features, row-major, valid for the first {@link #size()} rows; the batch's own
     * array, so a caller may transform the features in place before inference.
     */
    public float[] features() {
      return features;
    }
  }

  private final Iterator<Row> rows;
  private final int numFeatures;
  private final int numClasses;
  private final boolean labelled;

  /**
   * @param rows laid out as {@link InferenceRows} does: {@code features array<float>} at 0, {@code
   *     index long} at 1 (-1: unknown), {@code label int} at 2 when labelled; further columns are ignored
   * @param numClasses labels must lie in {@code [0, numClasses)}; 0 when the rows carry no label
   */
  public RowBatches(Iterator<Row> rows, int numFeatures, int numClasses) {
    this.rows = rows;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
    this.labelled = numClasses > 0;
  }

  @Override
  public boolean hasNext() {
    return rows.hasNext();
  }

  /** The next minibatch; a fresh one each call, so callers may keep it. */
  @Override
  public Batch next() {
    if (!rows.hasNext()) {
      throw new NoSuchElementException();
    }
    Batch b = new Batch(numFeatures, labelled);
    while (b.size < BATCH_ROWS && rows.hasNext()) {
      Row row = rows.next();
      int i = b.size;
      b.index[i] = row.isNullAt(InferenceRows.INDEX) ? -1 : row.getLong(InferenceRows.INDEX);
      copyFeatures(row, b.features, i * numFeatures, b.index[i]);
      if (labelled) {
        b.labels[i] = label(row, b.index[i]);
      }
      b.size++;
    }
    return b;
  }

  private void copyFeatures(Row row, float[] into, int offset, long index) {
    if (row.isNullAt(InferenceRows.FEATURES)) {
      throw new BadInputException(where(index) + "has no features");
    }
    List<Object> values = row.getList(InferenceRows.FEATURES);
    if (values.size() != numFeatures) {
      throw new BadInputException(
          "wrong feature count: the model expects " + numFeatures + " features, " + where(index) + "has " + values.size());
    }
    for (int j = 0; j < numFeatures; j++) {
      Object v = values.get(j);
      if (v == null) {
        throw new BadInputException(where(index) + "feature " + j + " is missing");
      }
      float f = (Float) v;
      if (!Float.isFinite(f)) {
        throw new BadInputException(where(index) + "feature " + j + " is " + f);
      }
      into[offset + j] = f;
    }
  }

  private int label(Row row, long index) {
    if (row.isNullAt(InferenceRows.LABEL)) {
      throw new BadInputException(where(index) + "has no label");
    }
    int label = row.getInt(InferenceRows.LABEL);
    if (label < 0 || label >= numClasses) {
      throw new BadInputException(
          where(index) + "has label " + label + ", outside the model's classes 0.." + (numClasses - 1));
    }
    return label;
  }

  private static String where(long index) {
    return index >= 0 ? "row " + index + " " : "a row ";
  }
}
