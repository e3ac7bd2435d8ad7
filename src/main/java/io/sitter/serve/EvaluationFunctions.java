package io.sitter.serve;

import io.sitter.metrics.EvaluationAccumulator;
import io.sitter.model.NetworkPayload;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/** Executor side of {@link DistributedEvaluation}: static, serializable, nothing of the driver captured. */
final class EvaluationFunctions {
  private EvaluationFunctions() {}

  /** One accumulator per partition; the network is built once per partition from the broadcast. */
  static final class EvaluatePartition implements FlatMapFunction<Iterator<Row>, EvaluationAccumulator> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<NetworkPayload> model;
    private final int numFeatures;
    private final int numClasses;

    EvaluatePartition(Broadcast<NetworkPayload> model, int numFeatures, int numClasses) {
      this.model = model;
      this.numFeatures = numFeatures;
      this.numClasses = numClasses;
    }

    @Override
    public Iterator<EvaluationAccumulator> call(Iterator<Row> rows) {
      EvaluationAccumulator acc = new EvaluationAccumulator(numClasses);
      if (!rows.hasNext()) {
        return List.of(acc).iterator();
      }
      Inference inference = new Inference(model.value(), numClasses);
      RowBatches batches = new RowBatches(rows, numFeatures, numClasses);
      while (batches.hasNext()) {
        RowBatches.Batch b = batches.next();
        float[] probabilities = inference.probabilities(b);
        for (int i = 0; i < b.size; i++) {
          acc.add(b.labels[i], probabilities, i * numClasses);
        }
      }
      return List.of(acc).iterator();
    }
  }
}
