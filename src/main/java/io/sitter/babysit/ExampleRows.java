package io.sitter.babysit;

import io.sitter.config.BadInputException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rows of a prep split ({@code index long, features array<float>, label int}, docs/formats.md) as
 * DL4J minibatches, checked on the way: a row with the wrong feature count, a non-finite value or a
 * label out of range is bad input naming the file and the row's index.
 */
final class ExampleRows {
  static final String INDEX = "index";
  static final String FEATURES = "features";
  static final String LABEL = "label";

  private ExampleRows() {}

  /** One minibatch of {@code rows}: float features and one-hot labels. */
  static DataSet toDataSet(List<Row> rows, int numFeatures, int numClasses, String source) {
    int n = rows.size();
    float[] x = new float[n * numFeatures];
    float[] y = new float[n * numClasses];
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      float[] f = features(row, numFeatures, source);
      System.arraycopy(f, 0, x, i * numFeatures, numFeatures);
      y[i * numClasses + label(row, numClasses, source)] = 1f;
    }
    INDArray features = Nd4j.create(x, new long[] {n, numFeatures}, DataType.FLOAT);
    INDArray labels = Nd4j.create(y, new long[] {n, numClasses}, DataType.FLOAT);
    return new DataSet(features, labels);
  }

  static float[] features(Row row, int numFeatures, String source) {
    int at = row.fieldIndex(FEATURES);
    if (row.isNullAt(at)) {
      throw bad(row, source, "has no features");
    }
    List<Object> values = row.getList(at);
    if (values.size() != numFeatures) {
      throw bad(row, source, "has " + values.size() + " features, expected " + numFeatures + " (preprocessing.json numFeatures)");
    }
    float[] f = new float[numFeatures];
    for (int j = 0; j < numFeatures; j++) {
      Object v = values.get(j);
      if (!(v instanceof Number num) || !Float.isFinite(num.floatValue())) {
        throw bad(row, source, "feature " + j + " is " + v + ", not a finite number");
      }
      f[j] = num.floatValue();
    }
    return f;
  }

  static int label(Row row, int numClasses, String source) {
    int at = row.fieldIndex(LABEL);
    if (row.isNullAt(at)) {
      throw bad(row, source, "has no label");
    }
    int label = ((Number) row.get(at)).intValue();
    if (label < 0 || label >= numClasses) {
      throw bad(row, source, "has label " + label + ", expected 0.." + (numClasses - 1) + " (preprocessing.json numClasses)");
    }
    return label;
  }

  /** {@code rows} cut into consecutive chunks of at most {@code size}, all of nearly equal size. */
  static <T> List<List<T>> balancedChunks(List<T> rows, int size) {
    List<List<T>> out = new ArrayList<>();
    if (rows.isEmpty()) {
      return out;
    }
    // Equal sizes, not size,size,...,remainder: a last chunk of 1 would give BatchNorm a batch
    // variance of 0 and a loss unlike the others'.
    int chunks = (rows.size() + size - 1) / size;
    int start = 0;
    for (int c = 0; c < chunks; c++) {
      int end = (int) ((long) rows.size() * (c + 1) / chunks);
      out.add(rows.subList(start, end));
      start = end;
    }
    return out;
  }

  private static BadInputException bad(Row row, String source, String what) {
    int at = row.schema().getFieldIndex(INDEX).isDefined() ? row.fieldIndex(INDEX) : -1;
    // Worded as the trainer's shard reader words it, so a user sees one message whichever reads first.
    String where = at < 0 || row.isNullAt(at) ? "a row" : "row index=" + row.getLong(at);
    return new BadInputException(source + ": " + where + " " + what);
  }
}
