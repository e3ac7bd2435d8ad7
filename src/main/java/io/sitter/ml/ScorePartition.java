package io.sitter.ml;

import io.sitter.model.NetworkPayload;
import io.sitter.prep.FittedNormalizer;
import io.sitter.serve.Inference;
import io.sitter.serve.RowBatches;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Executor side of {@link SitterClassificationModel#transform}: a partition's rows scored a
 * minibatch at a time through the command line's batcher and inference ({@link RowBatches}, {@link
 * Inference}), one {@code output()} call per {@link RowBatches#BATCH_ROWS} rows instead of one per
 * row. Input rows are {@code [features array<double>, index long, the dataset's columns...]} (the
 * first two in {@link RowBatches}' layout); each output row is the dataset's columns followed by
 * the row's raw prediction (log-probabilities, as {@link SitterClassificationModel#predictRaw}).
 *
 * <p>The network travels in the function itself, not in a broadcast: transform is lazy and its
 * result may be evaluated any number of times, long after, so there is no point at which a
 * broadcast made for it could be destroyed, and one left behind per transform is what item 7 of
 * issue 16 (flat memory over many fits) forbids. Spark ML's own models ship themselves the same way.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  /** Input columns before the dataset's own: features and index. */
  static final int LEADING = 2;

  private final NetworkPayload network;
  private final String preprocessingJson;
  private final int numFeatures;
  private final int numClasses;
  /** Read from {@link #preprocessingJson} on the executor, once per partition. */
  private transient FittedNormalizer normalizer;

  ScorePartition(NetworkPayload network, String preprocessingJson, int numFeatures, int numClasses) {
    this.network = network;
    this.preprocessingJson = preprocessingJson;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
  }

  /**
   * The row with its features as the network's input: normalized from the doubles given, then
   * rounded to float32, exactly as the training rows were ({@link FittedNormalizer#apply(double[])}).
   * A row without features, or with a value that is not finite, goes on as it is, so that the
   * batcher refuses it with the reason {@code sitter predict} gives.
   */
  private Row normalized(Row r) {
    if (r.isNullAt(0)) {
      return r;
    }
    List<Object> values = r.getList(0);
    double[] raw = new double[values.size()];
    List<Object> passOn = new ArrayList<>(values.size());
    boolean usable = values.size() == numFeatures;
    for (int j = 0; j < raw.length; j++) {
      Object v = values.get(j);
      if (v == null || !Double.isFinite((Double) v)) {
        usable = false;
      } else {
        raw[j] = (Double) v;
      }
      passOn.add(v == null ? null : ((Double) v).floatValue());
    }
    Object[] fields = new Object[r.length()];
    for (int k = 1; k < fields.length; k++) {
      fields[k] = r.get(k);
    }
    if (usable) {
      passOn.clear();
      for (float f : normalizer.apply(raw)) {
        passOn.add(f);
      }
    }
    // Row.getList reads a Scala Seq; JavaConverters exists on Scala 2.12 and 2.13 alike.
    fields[0] = scala.collection.JavaConverters.asScalaBuffer(passOn);
    return RowFactory.create(fields);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return Collections.emptyIterator();
    }
    normalizer = FittedNormalizer.fromJson(preprocessingJson, "preprocessing");
    Inference inference = new Inference(network, numClasses);
    // The batcher consumes rows one by one into a batch; this queue keeps them so each batch's
    // output rows can carry the input rows' columns, in the same order.
    ArrayDeque<Row> pending = new ArrayDeque<>(RowBatches.BATCH_ROWS);
    Iterator<Row> remembered = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        pending.add(r);
        return normalized(r);
      }
    };
    RowBatches batches = new RowBatches(remembered, numFeatures, 0);
    // Lazily, batch by batch, so a large partition never holds more than one batch of rows.
    return new Iterator<>() {
      private Iterator<Row> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && batches.hasNext()) {
          current = score(batches.next()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        hasNext();
        return current.next();
      }

      private List<Row> score(RowBatches.Batch b) {
        float[] p = inference.probabilities(b);
        List<Row> out = new ArrayList<>(b.size());
        for (int i = 0; i < b.size(); i++) {
          Row in = pending.removeFirst();
          Object[] values = new Object[in.length() - LEADING + 1];
          for (int k = LEADING; k < in.length(); k++) {
            values[k - LEADING] = in.get(k);
          }
          values[values.length - 1] = Vectors.dense(SitterClassificationModel.logits(p, i * numClasses, numClasses));
          out.add(RowFactory.create(values));
        }
        return out;
      }
    };
  }
}
