package io.sitter.serve;

import io.sitter.model.NetworkPayload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Executor side of {@link DistributedPrediction}: static, serializable, nothing of the driver captured. */
final class PredictionFunctions {
  private PredictionFunctions() {}

  /** Rows of (index, prediction, probabilities...), one minibatch of inference at a time. */
  static final class PredictPartition implements FlatMapFunction<Iterator<Row>, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<NetworkPayload> model;
    private final int numFeatures;
    private final Object[] labelValues;

    PredictPartition(Broadcast<NetworkPayload> model, int numFeatures, Object[] labelValues) {
      this.model = model;
      this.numFeatures = numFeatures;
      this.labelValues = labelValues;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return Collections.emptyIterator();
      }
      int numClasses = labelValues.length;
      Inference inference = new Inference(model.value(), numClasses);
      RowBatches batches = new RowBatches(rows, numFeatures, 0);
      // Lazily, batch by batch, so a large partition never holds more than one batch of output.
      return new Iterator<>() {
        private Iterator<Row> current = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && batches.hasNext()) {
            current = toRows(batches.next(), inference, numClasses).iterator();
          }
          return current.hasNext();
        }

        @Override
        public Row next() {
          hasNext();
          return current.next();
        }
      };
    }

    private List<Row> toRows(RowBatches.Batch b, Inference inference, int numClasses) {
      float[] p = inference.probabilities(b);
      List<Row> out = new ArrayList<>(b.size);
      for (int i = 0; i < b.size; i++) {
        Object[] values = new Object[2 + numClasses];
        values[0] = b.index[i];
        int best = 0;
        for (int c = 0; c < numClasses; c++) {
          float v = p[i * numClasses + c];
          values[2 + c] = v;
          if (v > p[i * numClasses + best]) {
            best = c;
          }
        }
        values[1] = labelValues[best];
        out.add(RowFactory.create(values));
      }
      return out;
    }
  }
}
