package io.sitter.serve;

import io.sitter.model.FloatArrays;
import io.sitter.model.NativeMemoryLimit;
import io.sitter.model.NetworkPayload;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network rebuilt from its payload on an executor, answering class probabilities for
 * minibatches; shared by evaluation and prediction. One per task: DL4J's {@code output} is not
 * safe to call from several threads at once on one network. Public for {@code io.sitter.ml}'s
 * batched transform (see {@link RowBatches}).
 */
public final class Inference {
  private final MultiLayerNetwork net;
  private final int numClasses;

  public Inference(NetworkPayload payload, int numClasses) {
    // One native thread per task (two oversubscribed tasks halve throughput on 2 cores): OpenBLAS ignores ND4J's own
    // setting and may have started with more than spark.executorEnv asked for.
    Nd4j.factory().blas().setMaxThreads(1);
    this.net = payload.toNetwork();
    this.numClasses = numClasses;
  }

  /** Softmax outputs of the batch's rows, row-major, {@code numClasses} per row. */
  public float[] probabilities(RowBatches.Batch b) {
    NativeMemoryLimit.check();
    int numFeatures = b.features.length / RowBatches.BATCH_ROWS;
    float[] x = b.size == RowBatches.BATCH_ROWS ? b.features : Arrays.copyOf(b.features, b.size * numFeatures);
    INDArray input = Nd4j.create(x, new long[] {b.size, numFeatures}, 'c');
    // train=false: BatchNorm uses its population statistics and dropout is off.
    INDArray out = net.output(input, false);
    float[] p = FloatArrays.read(out);
    if (p.length != b.size * numClasses) {
      throw new IllegalStateException("network returned " + p.length + " values for " + b.size + " rows x " + numClasses + " classes");
    }
    return p;
  }
}
