package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sitter.config.ModelConfig.Activation;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Activation statistics against ND4J's own reductions on the same matrices. */
class ActivationStatsTest {
  private static float[] relu(int rows, int cols, long seed, int... deadColumns) {
    Random r = new Random(seed);
    float[] a = new float[rows * cols];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) Math.max(0, r.nextGaussian());
    }
    for (int c : deadColumns) {
      for (int i = 0; i < rows; i++) {
        a[i * cols + c] = 0f;
      }
    }
    return a;
  }

  @Test
  void deadFractionMeanAndStdAgreeWithNd4j() {
    int rows = 64;
    int cols = 10;
    float[] a = relu(rows, cols, 1, 2, 5, 7);
    ActivationStats s = ActivationStats.of("dense_0", a, rows, cols, Activation.RELU, 8);
    INDArray m = Nd4j.create(a, new long[] {rows, cols}, 'c');
    INDArray columnMax = m.max(0);
    long dead = Arrays.stream(columnMax.toDoubleVector()).filter(v -> v == 0).count();
    assertEquals(3, dead);
    assertEquals(dead / (double) cols, s.deadFraction());
    assertEquals(m.meanNumber().doubleValue(), s.mean(), 1e-6);
    assertEquals(m.stdNumber().doubleValue() * Math.sqrt((rows * cols - 1.0) / (rows * cols)), s.std(), 1e-5,
        "population std: ND4J's std is the sample std");
    assertEquals(0.0, s.saturatedFraction(), "ReLU does not saturate");
  }

  @Test
  void saturationCountsTanhAndSigmoidOutputsAtTheirLimits() {
    INDArray pre = Nd4j.randn(DataType.FLOAT, 50, 20).muli(4);
    float[] tanh = Transforms.tanh(pre, true).data().asFloat();
    float[] sigmoid = Transforms.sigmoid(pre, true).data().asFloat();
    double[] z = pre.data().asDouble();
    long tanhSat = Arrays.stream(z).filter(v -> Math.abs(Math.tanh(v)) > 0.99).count();
    long sigSat = Arrays.stream(z).filter(v -> {
      double s = 1 / (1 + Math.exp(-v));
      return s < 0.01 || s > 0.99;
    }).count();
    assertEquals(tanhSat / 1000.0, ActivationStats.of("d", tanh, 50, 20, Activation.TANH, 5).saturatedFraction(), 2e-3);
    assertEquals(sigSat / 1000.0, ActivationStats.of("d", sigmoid, 50, 20, Activation.SIGMOID, 5).saturatedFraction(), 2e-3);
  }

  @Test
  void histogramBinsEveryValueOnceWithTheMaximumInTheLastBin() {
    float[] a = {0f, 0.5f, 1f, 1.5f, 2f, 2f, 3.99f, 4f};
    ActivationStats.Histogram h = ActivationStats.of("d", a, 4, 2, Activation.RELU, 4).histogram();
    assertEquals(0.0, h.min());
    assertEquals(4.0, h.max());
    // bins [0,1) [1,2) [2,3) [3,4]: counted by hand
    assertEquals(java.util.List.of(2, 2, 2, 2), h.counts());
    ActivationStats.Histogram flat = ActivationStats.of("d", new float[] {1f, 1f, 1f}, 3, 1, Activation.RELU, 3).histogram();
    assertEquals(java.util.List.of(3, 0, 0), flat.counts());
  }

  @Test
  void wrongShapeIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> ActivationStats.of("d", new float[5], 2, 3, Activation.RELU, 3));
  }
}
