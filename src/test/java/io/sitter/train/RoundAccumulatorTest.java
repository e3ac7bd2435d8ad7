package io.sitter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sitter.stats.PooledMomentsAccumulator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoundAccumulatorTest {
  private static RoundAccumulator task(long examples, int length, long seed) {
    Random r = new Random(seed);
    RoundAccumulator t = new RoundAccumulator();
    t.tasks = 1;
    t.examples = examples;
    t.params = new float[length];
    t.state = new float[length / 2];
    for (int i = 0; i < length; i++) {
      t.params[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
    }
    for (int i = 0; i < t.state.length; i++) {
      t.state[i] = (float) r.nextDouble();
    }
    t.ratioSum = new double[] {1e-3};
    t.ratioCount = new long[] {1};
    t.batchNorms = new PooledMomentsAccumulator[0];
    return t;
  }

  /** sum_i n_i x_i / N with BigDecimal-free exactness: doubles hold float x n exactly for these n. */
  private static float[] weightedMeans(RoundAccumulator[] tasks, boolean params) {
    int length = (params ? tasks[0].params : tasks[0].state).length;
    float[] out = new float[length];
    long n = 0;
    for (RoundAccumulator t : tasks) {
      n += t.examples;
    }
    for (int i = 0; i < length; i++) {
      double sum = 0;
      for (RoundAccumulator t : tasks) {
        sum += (double) (params ? t.params : t.state)[i] * t.examples;
      }
      out[i] = (float) (sum / n);
    }
    return out;
  }

  @Test
  void theTasksMeansAreTheExampleWeightedMeansForTwoAndMorePartitions() {
    for (int partitions : new int[] {1, 2, 3}) {
      RoundAccumulator[] tasks = new RoundAccumulator[partitions];
      for (int p = 0; p < partitions; p++) {
        tasks[p] = task(100 + 37L * p, 1001, p);
      }
      float[] expectedParams = weightedMeans(tasks, true);
      float[] expectedState = weightedMeans(tasks, false);
      RoundAccumulator merged = RoundAccumulator.ofTasks(tasks);
      assertArrayEquals(expectedParams, merged.paramMeans(), partitions + " partitions");
      assertArrayEquals(expectedState, merged.stateMeans(), partitions + " partitions");
      assertEquals(partitions, merged.tasks);
    }
  }

  @Test
  void ofTasksAgreesWithMergingOneAfterTheOther() {
    RoundAccumulator a = task(128, 777, 1);
    RoundAccumulator b = task(127, 777, 2);
    float[] fused = RoundAccumulator.ofTasks(new RoundAccumulator[] {task(128, 777, 1), task(127, 777, 2)}).paramMeans();
    float[] pairwise = a.merge(b).paramMeans();
    assertArrayEquals(pairwise, fused);
  }
}
