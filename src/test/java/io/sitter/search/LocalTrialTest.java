package io.sitter.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalTrialTest {
  /** Three Gaussian blobs in 4-D, well separated: any sane configuration learns them. */
  static TrialData blobs(int perClass, long seed) {
    Random r = new Random(seed);
    int n = 3 * perClass;
    int d = 4;
    float[][] centres = {{3, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 3, 0}};
    float[] x = new float[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = centres[y[i]][j] + (float) r.nextGaussian();
      }
    }
    int nVal = n / 5;
    float[] vx = java.util.Arrays.copyOfRange(x, 0, nVal * d);
    int[] vy = java.util.Arrays.copyOfRange(y, 0, nVal);
    float[] tx = java.util.Arrays.copyOfRange(x, nVal * d, n * d);
    int[] ty = java.util.Arrays.copyOfRange(y, nVal, n);
    return new TrialData(tx, ty, vx, vy, d, 3);
  }

  private static String base() {
    SitterConfig c = ConfigLoader.defaults(List.of("model.hiddenLayers=[16]", "train.minibatchSize=32"));
    return ConfigLoader.toTree(c).toString();
  }

  @Test
  void aSaneTrialLearnsTheBlobsAndItsLossAgreesWithAHandComputation() {
    TrialData data = blobs(200, 1);
    TrialOutcome o = LocalTrial.run(new TrialSpec(0, "coarse", List.of("train.learningRate=0.01"), base(), 0, 3, 7, null), data);
    assertFalse(o.aborted(), o.reason());
    assertNull(o.reason());
    assertTrue(o.valAccuracy() > 0.9, "val accuracy " + o.valAccuracy());
    // Initial loss of the untrained net is close to ln 3 (diffuse softmax).
    assertEquals(Math.log(3), o.initialLoss(), 0.3 * Math.log(3));
    assertEquals(3, o.epochsDone());
    assertTrue(o.valLoss() < o.initialLoss());
  }

  @Test
  void theTrainingModeInitialLossLeavesParametersUntouched() {
    TrialData data = blobs(50, 4);
    SitterConfig c = ConfigLoader.defaults(List.of("model.hiddenLayers=[16]"));
    org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = io.sitter.model.NetworkFactory.build(c.model(), c.train(), 4, 3, 1);
    float[] before = net.params().dup().data().asFloat();
    int[] rows = new int[32];
    java.util.Arrays.setAll(rows, i -> i);
    double loss = net.score(LocalTrial.batch(data.trainFeatures, data.trainLabels, data, rows), true);
    assertArrayEquals(before, net.params().data().asFloat(), 0f);
    assertEquals(Math.log(3), loss, 0.3 * Math.log(3), "diffuse softmax at init");
  }

  @Test
  void anExplodingLearningRateIsAbortedWithTheReason() {
    TrialData data = blobs(200, 2);
    TrialOutcome o = LocalTrial.run(new TrialSpec(1, "coarse",
        List.of("train.updater=sgd", "train.learningRate=10", "model.batchNorm=false", "model.hiddenLayers=[64, 64]"),
        base(), 0, 3, 7, null), data);
    assertTrue(o.aborted());
    assertTrue(o.reason().startsWith("exploded: "), o.reason());
    assertNull(o.state());
  }

  @Test
  void continuingFromAStateEqualsTrainingStraightThrough() {
    TrialData data = blobs(100, 3);
    List<String> values = List.of("train.learningRate=0.005");
    TrialOutcome straight = LocalTrial.run(new TrialSpec(2, "fine", values, base(), 0, 2, 9, null), data);
    TrialOutcome first = LocalTrial.run(new TrialSpec(2, "fine", values, base(), 0, 1, 9, null), data);
    TrialOutcome second = LocalTrial.run(new TrialSpec(2, "fine", values, base(), 1, 1, 9, first.state()), data);
    assertEquals(2, second.epochsDone());
    assertArrayEquals(straight.state().params(), second.state().params(), 1e-6f);
    assertEquals(straight.valAccuracy(), second.valAccuracy());
  }
}
