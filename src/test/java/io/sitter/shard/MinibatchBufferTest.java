package io.sitter.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class MinibatchBufferTest {
  private static ShardData shard(int n, int d, int classes) {
    SplittableRandom rng = new SplittableRandom(11);
    long[] idx = new long[n];
    float[] x = new float[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = 100 + i;
      y[i] = rng.nextInt(classes);
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) rng.nextGaussian();
      }
    }
    return ShardData.of(1, d, idx, x, y);
  }

  @Test
  void everyMinibatchOfTwoEpochsEqualsAFreshlyCutOneWhileTheArraysAreReused() {
    ShardData s = shard(23, 5, 4);
    MinibatchBuffer buffer = new MinibatchBuffer(s, 7, 4);
    int batches = Minibatches.batchCount(23, 7); // 7, 7, 7, 2
    DataSet firstFull = null;
    for (int e = 1; e <= 2; e++) {
      int[] perm = Minibatches.permutation(3, e, 1, 23);
      for (int b = 0; b < batches; b++) {
        DataSet expected = Minibatches.batch(s, perm, b, 7, 4);
        DataSet actual = buffer.batch(perm, b);
        assertArrayEquals(expected.getFeatures().shape(), actual.getFeatures().shape());
        assertArrayEquals(expected.getFeatures().data().asFloat(), actual.getFeatures().data().asFloat(), 0f, "epoch " + e + " batch " + b);
        assertArrayEquals(expected.getLabels().data().asFloat(), actual.getLabels().data().asFloat(), 0f, "epoch " + e + " batch " + b);
        if (b == 0 && e == 1) {
          firstFull = actual;
        }
      }
    }
    // The full-size arrays are the same ones each time: that is the point of the buffer.
    assertEquals(System.identityHashCode(firstFull.getFeatures()),
        System.identityHashCode(buffer.batch(Minibatches.permutation(3, 1, 1, 23), 1).getFeatures()));
  }

  @Test
  void aShardSmallerThanOneMinibatchAndAMinibatchPastTheEnd() {
    ShardData s = shard(3, 2, 2);
    MinibatchBuffer buffer = new MinibatchBuffer(s, 8, 2);
    int[] perm = Minibatches.permutation(1, 1, 1, 3);
    assertArrayEquals(Minibatches.batch(s, perm, 0, 8, 2).getFeatures().data().asFloat(),
        buffer.batch(perm, 0).getFeatures().data().asFloat(), 0f);
    assertThrows(IllegalArgumentException.class, () -> buffer.batch(perm, 1));
  }
}
