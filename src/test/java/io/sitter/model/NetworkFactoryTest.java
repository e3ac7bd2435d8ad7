package io.sitter.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NetworkFactoryTest {
  @Test
  void defaultNetworkHasTheMeasuredParameterCountAndLayout() {
    SitterConfig c = ConfigLoader.defaults();
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 784, 10, 1);
    // 784-256-256-10 with BN: 271,370 parameters (DL4J's own count for the same net, probed once by hand).
    assertEquals(271_370, net.numParams());
    assertEquals(7, net.getnLayers());
    assertInstanceOf(DenseLayer.class, net.getLayer(0).conf().getLayer());
    assertInstanceOf(BatchNormalization.class, net.getLayer(1).conf().getLayer());
    assertInstanceOf(ActivationLayer.class, net.getLayer(2).conf().getLayer());
    assertInstanceOf(OutputLayer.class, net.getLayer(6).conf().getLayer());
    assertTrue(net.paramTable().containsKey("1_var"), "BatchNorm must store variance, not log-std");
  }

  @Test
  void heInitHasVarianceTwoOverFanIn() {
    SitterConfig c = ConfigLoader.defaults(List.of("model.hiddenLayers=[400]"));
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 500, 3, 7);
    INDArray w = net.getParam("0_W");
    double var = w.varNumber().doubleValue();
    assertEquals(2.0 / 500, var, 2.0 / 500 * 0.02, "sample variance of 200,000 N(0, 2/500) draws");
    assertEquals(0.0, w.meanNumber().doubleValue(), 3e-4);
  }

  @Test
  void withoutBatchNormEachHiddenBlockIsOneDenseLayer() {
    SitterConfig c = ConfigLoader.defaults(List.of("model.batchNorm=false", "model.hiddenLayers=[8, 8, 8]"));
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 4, 2, 1);
    assertEquals(4, net.getnLayers());
    assertEquals(4 * 8 + 8 + 8 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2, net.numParams());
  }

  @Test
  void sameSeedSameWeights() {
    SitterConfig c = ConfigLoader.defaults();
    INDArray a = NetworkFactory.build(c.model(), c.train(), 20, 3, 5).params();
    INDArray b = NetworkFactory.build(c.model(), c.train(), 20, 3, 5).params();
    INDArray d = NetworkFactory.build(c.model(), c.train(), 20, 3, 6).params();
    assertEquals(a, b);
    assertTrue(!a.equals(d));
  }

  @Test
  void exponentialDecayHalvesTheRateEveryDecaySteps() {
    SitterConfig c = ConfigLoader.defaults(List.of("train.lrDecay=exponential", "train.lrDecayRate=0.5", "train.lrDecaySteps=100", "train.learningRate=0.2"));
    assertEquals(0.1, NetworkFactory.learningRate(c.train(), 100), 1e-9);
    assertEquals(0.05, NetworkFactory.learningRate(c.train(), 200), 1e-9);
    SitterConfig s = ConfigLoader.defaults(List.of("train.lrDecay=step", "train.lrDecayRate=0.5", "train.lrDecaySteps=100", "train.learningRate=0.2"));
    assertEquals(0.2, NetworkFactory.learningRate(s.train(), 99), 1e-9);
    assertEquals(0.1, NetworkFactory.learningRate(s.train(), 100), 1e-9);
  }

  @Test
  void warmUpRampsTheRateLinearlyThenFollowsTheDecay() {
    SitterConfig c = ConfigLoader.defaults(List.of("train.warmupIterations=4", "train.learningRate=0.2"));
    double[] expected = {0.05, 0.1, 0.15, 0.2, 0.2, 0.2}; // (i + 1) / 4 of 0.2, then 0.2
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], NetworkFactory.learningRate(c.train(), i), 1e-12, "iteration " + i);
    }
    // Step decay halving every 2 iterations under the same ramp: 0.2/4, 0.2*2/4, 0.1*3/4, then 0.1, 0.05.
    SitterConfig s = ConfigLoader.defaults(List.of("train.warmupIterations=4", "train.learningRate=0.2",
        "train.lrDecay=step", "train.lrDecayRate=0.5", "train.lrDecaySteps=2"));
    double[] stepped = {0.05, 0.1, 0.075, 0.1, 0.05, 0.05};
    for (int i = 0; i < stepped.length; i++) {
      assertEquals(stepped[i], NetworkFactory.learningRate(s.train(), i), 1e-12, "iteration " + i);
    }
    assertEquals(0.2, NetworkFactory.learningRate(ConfigLoader.defaults(List.of("train.learningRate=0.2")).train(), 0), 0);
  }

  @Test
  void eachSgdStepOfTheWarmUpMovesTheWeightsByItsRateTimesTheGradient() {
    SitterConfig c = ConfigLoader.defaults(List.of("train.warmupIterations=3", "train.learningRate=0.3", "train.updater=sgd",
        "model.batchNorm=false", "model.hiddenLayers=[5]"));
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 4, 2, 3);
    org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(
        org.nd4j.linalg.factory.Nd4j.create(new float[][] {{1, -2, 0.5f, 3}, {-1, 0, 2, 1}, {0.3f, 1, -1, -2}}),
        org.nd4j.linalg.factory.Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}}));
    double[] rates = {0.1, 0.2, 0.3, 0.3}; // by hand: (i + 1) / 3 of 0.3, then 0.3
    for (double rate : rates) {
      net.setInput(batch.getFeatures());
      net.setLabels(batch.getLabels());
      net.computeGradientAndScore();
      // DL4J's gradient is the sum over the minibatch; its updater divides by the minibatch size.
      INDArray gradient = net.gradient().getGradientFor("0_W").dup().divi(3);
      INDArray expected = net.getParam("0_W").dup().subi(gradient.mul(rate));
      net.fit(batch);
      INDArray actual = net.getParam("0_W");
      assertTrue(actual.equalsWithEps(expected, 1e-6), "rate " + rate + ": " + actual + " vs " + expected);
    }
  }
}
