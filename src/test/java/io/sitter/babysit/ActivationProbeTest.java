package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.model.NetworkFactory;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Activation statistics of real networks against a forward pass written out by hand from the
 * network's parameters (x W + b, then the activation), and the verdicts they lead to.
 */
class ActivationProbeTest {
  private static final INDArray PROBE = Nd4j.randn(DataType.FLOAT, 128, 10);

  private static SitterConfig config(String... sets) {
    return ConfigLoader.defaults(List.of(sets));
  }

  private static double populationStd(INDArray a) {
    double mean = a.meanNumber().doubleValue();
    double sq = 0;
    for (double v : a.data().asDouble()) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / a.length());
  }

  @Test
  void largeNegativeBiasKillsReluUnitsAndTheProbeCountsThem() {
    SitterConfig c = config("model.batchNorm=false", "model.hiddenLayers=[40]", "model.biasInit=-5");
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 10, 3, 1);
    ActivationStats s = ActivationProbe.measure(net, PROBE, c.model(), 10).get(0);
    INDArray z = PROBE.mmul(net.getParam("0_W")).addRowVector(net.getParam("0_b"));
    double[] columnMax = z.max(0).toDoubleVector();
    long dead = java.util.Arrays.stream(columnMax).filter(v -> v <= 0).count();
    assertTrue(dead > 20, "bias -5 against pre-activations of std ~1.4 silences most units: " + dead);
    assertEquals(dead / 40.0, s.deadFraction(), 1e-12);
    assertEquals("dense_0", s.layer());
    assertEquals(Status.WARN, new DeadUnitsCheck().judge(oneRound(c, List.of(s))).get(0).status());
  }

  @Test
  void smallInitInADeepTanhNetVanishesLayerByLayer() {
    SitterConfig c = config("model.batchNorm=false", "model.activation=tanh", "model.weightInit=small",
        "model.hiddenLayers=[50, 50, 50, 50]");
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 10, 3, 2);
    List<ActivationStats> stats = ActivationProbe.measure(net, PROBE, c.model(), 10);
    INDArray h = PROBE;
    for (int i = 0; i < 4; i++) {
      h = Transforms.tanh(h.mmul(net.getParam(i + "_W")).addRowVector(net.getParam(i + "_b")), true);
      assertEquals(populationStd(h), stats.get(i).std(), 1e-6 + 1e-4 * populationStd(h), "layer " + i);
      // signal std: per-unit std across examples (ND4J's column std, made population), RMS over units
      double rows = h.rows();
      INDArray perUnit = h.std(0).muli(Math.sqrt((rows - 1) / rows));
      double signal = Math.sqrt(perUnit.mul(perUnit).meanNumber().doubleValue());
      assertEquals(signal, stats.get(i).signalStd(), 1e-6 + 1e-4 * signal, "layer " + i);
    }
    // each layer multiplies the std by about sqrt(50) * 0.01 = 0.07
    assertTrue(stats.get(3).signalStd() < 1e-3 * stats.get(0).signalStd(), stats.toString());
    assertEquals(Status.WARN, new ActivationScaleCheck().judge(oneRound(c, stats)).get(0).status());
  }

  @Test
  void zeroInitLeavesEveryUnitOfALayerIdentical() {
    SitterConfig c = config("model.batchNorm=false", "model.activation=tanh", "model.weightInit=zero",
        "model.hiddenLayers=[16, 16]");
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 10, 3, 3);
    List<ActivationStats> stats = ActivationProbe.measure(net, PROBE, c.model(), 10);
    for (ActivationStats s : stats) {
      assertEquals(1, s.distinctUnits());
    }
    assertTrue(new SymmetryCheck().judge(oneRound(c, stats)).stream().allMatch(r -> r.status() == Status.WARN));
  }

  @Test
  void healthyBatchNormReluNetRaisesNoActivationWarningAndLeavesRunningStatsAlone() {
    SitterConfig c = config("model.hiddenLayers=[64, 64, 64]");
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 10, 3, 4);
    float[] before = net.params().dup().data().asFloat();
    List<ActivationStats> stats = ActivationProbe.measure(net, PROBE, c.model(), 10);
    assertArrayEquals(before, net.params().data().asFloat(), "BatchNorm running statistics must not move");
    BabysitMonitor monitor = new BabysitMonitor(c, 3, 0, Math.log(3), 1);
    monitor.observe(new RoundObservation(1, 1.0, 1e-3, java.util.Map.of("dense_0", 1e-3), stats, java.util.Map.of(), null,
        null, 1, true));
    assertEquals(List.of(), monitor.results().stream().filter(r -> r.status() != Status.PASS).toList());
    for (ActivationStats s : stats) {
      // BN then ReLU: half the standardized pre-activations pass, so mean ~0.4 and std ~0.58
      assertEquals(0.4, s.mean(), 0.1);
      assertEquals(0.58, s.std(), 0.1);
      assertEquals(64, s.distinctUnits());
    }
  }

  /** The last round of a one-round run with these activation statistics. */
  private static MonitorEvidence oneRound(SitterConfig c, List<ActivationStats> hidden) {
    RoundObservation o = new RoundObservation(1, 1.0, 1e-3, java.util.Map.of(), hidden, java.util.Map.of(), null, null, 1,
        true);
    return new MonitorEvidence(c.model(), c.train(), c.babysit(), 3, 0, Math.log(3), List.of(), 1, List.of(o), true);
  }
}
