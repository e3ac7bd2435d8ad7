package io.sitter.babysit;

import io.sitter.config.ModelConfig;
import io.sitter.model.FloatArrays;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Activation statistics of each hidden block of a network on a fixed probe batch, taken after the
 * block's activation function (NetworkFactory's layout: with BatchNorm, block i ends at layer
 * 3i+2; without, block i is layer i). Blocks are named {@code dense_0, dense_1, ...} like the
 * trainer's per-layer metrics.
 *
 * <p>The forward pass runs in training mode, on BatchNorm's batch statistics, as the minibatches
 * of training see the network. DL4J's BatchNormalization updates its running mean and variance
 * during a training-mode forward pass and the probe must not move them, so the parameters are put
 * back afterwards. (This ran on {@code net.clone()} first: a clone rebuilds the network from its
 * configuration every round, which in a K=1 profile cost the driver about as much as the round's
 * own merge.)
 */
public final class ActivationProbe {
  private ActivationProbe() {}

  /** Statistics per hidden block of {@code net} on {@code probe} (rows are examples). */
  public static List<ActivationStats> measure(MultiLayerNetwork net, INDArray probe, ModelConfig model, int bins) {
    float[] saved = FloatArrays.read(net.params());
    try {
      List<INDArray> acts = net.feedForward(probe, true);
      List<ActivationStats> out = new ArrayList<>();
      int blocks = model.hiddenLayers().size();
      for (int i = 0; i < blocks; i++) {
        // feedForward's list starts with the input itself, so layer k's output is entry k + 1.
        int layer = model.batchNorm() ? 3 * i + 2 : i;
        INDArray a = acts.get(layer + 1).castTo(DataType.FLOAT);
        out.add(ActivationStats.of(name(i), FloatArrays.read(a), (int) a.rows(), (int) a.columns(), model.activation(), bins));
      }
      return out;
    } finally {
      FloatArrays.write(saved, net.params());
    }
  }

  /** The metrics name of hidden block {@code i}. */
  public static String name(int block) {
    return "dense_" + block;
  }
}
