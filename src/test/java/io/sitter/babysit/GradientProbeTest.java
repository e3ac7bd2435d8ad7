package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.FloatArrays;
import io.sitter.model.NetworkFactory;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The per-round gradient probe: what it measures, and that measuring changes nothing in training. */
class GradientProbeTest {
  private static final SitterConfig CONFIG = ConfigLoader.defaults(List.of("model.hiddenLayers=[16, 16]"));

  private static INDArray oneHot(int rows, int classes, long seed) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < rows; i++) {
      y.putScalar(i, r.nextInt(classes), 1f);
    }
    return y;
  }

  /**
   * A monitor must not steer what it watches: a network probed between minibatches trains to the
   * same parameters, bit for bit, as one that was not. (Probing the trained network in place,
   * even with its parameters written back, moved the next minibatch's result: a 3-epoch run on
   * easy blobs ended at 0.87 test accuracy instead of above 0.9.)
   */
  @Test
  void probingBetweenMinibatchesLeavesTrainingUnchanged() {
    MultiLayerNetwork probed = NetworkFactory.build(CONFIG.model(), CONFIG.train(), 10, 3, 5);
    MultiLayerNetwork untouched = probed.clone();
    INDArray probeX = Nd4j.rand(DataType.FLOAT, 64, 10);
    INDArray probeY = oneHot(64, 3, 1);
    for (int step = 0; step < 4; step++) {
      DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 32, 10), oneHot(32, 3, 100 + step));
      GradientProbe.measure(probed, probeX, probeY);
      probed.fit(batch);
      untouched.fit(batch);
      assertArrayEquals(FloatArrays.read(untouched.params()), FloatArrays.read(probed.params()), "after minibatch " + step);
    }
  }

  /** The output layer's RMS weight gradient against DL4J's own gradient of the same network. */
  @Test
  void measuresTheRmsWeightGradientOfEachLayer() {
    MultiLayerNetwork net = NetworkFactory.build(CONFIG.model(), CONFIG.train(), 10, 3, 5);
    INDArray x = Nd4j.rand(DataType.FLOAT, 64, 10);
    INDArray y = oneHot(64, 3, 2);
    Map<String, Double> rms = GradientProbe.measure(net, x, y);
    assertEquals(List.of("dense_0", "dense_1", "output"), List.copyOf(rms.keySet()));
    MultiLayerNetwork reference = net.clone();
    reference.setInput(x);
    reference.setLabels(y);
    reference.computeGradientAndScore();
    int outputIndex = reference.getnLayers() - 1;
    INDArray g = reference.gradient().getGradientFor(outputIndex + "_W");
    assertEquals(g.norm2Number().doubleValue() / Math.sqrt(g.length()), rms.get("output"), 1e-9);
    assertTrue(rms.values().stream().allMatch(v -> v > 0 && Double.isFinite(v)), rms.toString());
  }
}
