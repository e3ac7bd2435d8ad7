package io.sitter.serve;

import io.sitter.metrics.EvaluationAccumulator;
import io.sitter.model.NetworkPayload;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

  /** treeAggregate's seqOp and combOp: both fold one accumulator into the other. */
  static final class Merge implements Function2<EvaluationAccumulator, EvaluationAccumulator, EvaluationAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public EvaluationAccumulator call(EvaluationAccumulator a, EvaluationAccumulator b) {
      return a.merge(b);
    }
  }

  /** A network rebuilt from its payload, answering class probabilities for minibatches. */
  static final class Inference {
    private final MultiLayerNetwork net;
    private final int numClasses;

    Inference(NetworkPayload payload, int numClasses) {
      // One native thread per task (shared/STACK.md, "Threads"): OpenBLAS ignores ND4J's own
      // setting and may have started with more than spark.executorEnv asked for.
      Nd4j.factory().blas().setMaxThreads(1);
      this.net = payload.toNetwork();
      this.numClasses = numClasses;
    }

    /** Softmax outputs of the batch's rows, row-major, {@code numClasses} per row. */
    float[] probabilities(RowBatches.Batch b) {
      int numFeatures = b.features.length / RowBatches.BATCH_ROWS;
      float[] x = b.size == RowBatches.BATCH_ROWS ? b.features : java.util.Arrays.copyOf(b.features, b.size * numFeatures);
      INDArray input = Nd4j.create(x, new long[] {b.size, numFeatures}, 'c');
      // train=false: BatchNorm uses its population statistics and dropout is off.
      INDArray out = net.output(input, false);
      float[] p = out.dup('c').data().asFloat();
      if (p.length != b.size * numClasses) {
        throw new IllegalStateException("network returned " + p.length + " values for " + b.size + " rows x " + numClasses + " classes");
      }
      return p;
    }
  }
}
