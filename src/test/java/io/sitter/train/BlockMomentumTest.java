package io.sitter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The outer step against Chen and Huo's recursion worked out by hand, and against a direct loop in double. */
class BlockMomentumTest {
  private static final boolean[] NONE_SKIPPED = new boolean[3];

  @Test
  void classicBlockMomentumFollowsTheHandComputation() {
    BlockMomentum bm = new BlockMomentum(0.5, 1.0, false, new boolean[] {false, false, true});
    // Round 1 from g0 = (1, 2, 10), mean of the partitions (2, 2, 7):
    //   G = (1, 0, -), v = 0.5*0 + G = (1, 0, -), theta = g0 + v = (2, 2, -); index 2 left as averaged (7).
    float[] a = {2f, 2f, 7f};
    bm.step(new float[] {1f, 2f, 10f}, a, false);
    assertArrayEquals(new float[] {2f, 2f, 7f}, a, 0f);
    // Round 2 from g1 = (2, 2, 7), mean (2.5, 3, 8):
    //   G = (0.5, 1, -), v = 0.5*(1, 0) + G = (1, 1), theta = (2, 2) + v = (3, 3); index 2 stays 8.
    float[] b = {2.5f, 3f, 8f};
    bm.step(new float[] {2f, 2f, 7f}, b, false);
    assertArrayEquals(new float[] {3f, 3f, 8f}, b, 0f);
    // Round 3 from g2 = (3, 3, 8), mean (3, 3, 8): G = 0, v = 0.5*(1, 1), theta = (3.5, 3.5).
    float[] c = {3f, 3f, 8f};
    bm.step(new float[] {3f, 3f, 8f}, c, false);
    assertArrayEquals(new float[] {3.5f, 3.5f, 8f}, c, 0f);
  }

  @Test
  void nesterovStartsTheNextRoundFromTheLookAheadAndEndsTheEpochAtTheModel() {
    BlockMomentum bm = new BlockMomentum(0.5, 1.0, true, NONE_SKIPPED);
    // Round 1: theta0 = g0 = (0, 0, 0), mean (1, 2, -1): G = (1, 2, -1), v = G, theta = (1, 2, -1),
    //   next start g1 = theta + 0.5 v = (1.5, 3, -1.5).
    float[] a = {1f, 2f, -1f};
    bm.step(new float[3], a, false);
    assertArrayEquals(new float[] {1.5f, 3f, -1.5f}, a, 0f);
    // Round 2 from g1, mean (2.5, 3, -1.5): G = a - g1 = (1, 0, 0), v = 0.5*(1, 2, -1) + G = (1.5, 1, -0.5),
    //   theta = (1, 2, -1) + v = (2.5, 3, -1.5); the epoch ends, so the model is theta, no look-ahead.
    float[] b = {2.5f, 3f, -1.5f};
    bm.step(new float[] {1.5f, 3f, -1.5f}, b, true);
    assertArrayEquals(new float[] {2.5f, 3f, -1.5f}, b, 0f);
  }

  @Test
  void theVelocityRestartsAfterAnEpochsEnd() {
    BlockMomentum bm = new BlockMomentum(0.9, 1.0, false, NONE_SKIPPED);
    float[] a = {1f, 1f, 1f};
    bm.step(new float[3], a, true); // v = (1, 1, 1), theta = (1, 1, 1), then reset
    float[] b = {1f, 1f, 1f};
    bm.step(new float[] {1f, 1f, 1f}, b, false); // G = 0 and v restarted: no carried 0.9
    assertArrayEquals(new float[] {1f, 1f, 1f}, b, 0f);
  }

  @Test
  void aBlockLearningRateWithoutMomentumScalesTheAveragedDisplacement() {
    BlockMomentum bm = new BlockMomentum(0.0, 2.0, false, NONE_SKIPPED);
    float[] a = {1.5f, -1f, 4f};
    bm.step(new float[] {1f, 0f, 4f}, a, false); // start + 2 (a - start)
    assertArrayEquals(new float[] {2f, -2f, 4f}, a, 0f);
    assertTrue(BlockMomentum.isIdentity(0.0, 1.0));
    assertFalse(BlockMomentum.isIdentity(0.0, 2.0));
    assertFalse(BlockMomentum.isIdentity(0.5, 1.0));
  }

  @Test
  void manyRoundsAgreeWithTheRecursionComputedDirectlyInDouble() {
    Random random = new Random(7);
    int n = 50;
    double mu = 0.6;
    double zeta = 1.3;
    boolean[] skip = new boolean[n];
    for (int i = 0; i < n; i += 7) {
      skip[i] = true;
    }
    BlockMomentum bm = new BlockMomentum(mu, zeta, true, skip);
    double[] theta = new double[n];
    double[] v = new double[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) random.nextGaussian();
      theta[i] = g[i];
    }
    for (int round = 0; round < 12; round++) {
      float[] mean = new float[n];
      for (int i = 0; i < n; i++) {
        mean[i] = g[i] + (float) (0.1 * random.nextGaussian());
      }
      float[] expected = new float[n];
      for (int i = 0; i < n; i++) {
        if (skip[i]) {
          expected[i] = mean[i];
        } else {
          v[i] = mu * v[i] + zeta * ((double) mean[i] - g[i]);
          theta[i] += v[i];
          expected[i] = (float) (theta[i] + mu * v[i]);
        }
      }
      float[] got = mean.clone();
      bm.step(g, got, false);
      assertArrayEquals(expected, got, 1e-6f, "round " + round);
      g = got;
    }
  }

  @Test
  void refusesOutOfRangeSettingsAndMismatchedVectors() {
    assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(1.0, 1.0, false, NONE_SKIPPED));
    assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(-0.1, 1.0, false, NONE_SKIPPED));
    assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(0.5, 0.0, false, NONE_SKIPPED));
    BlockMomentum bm = new BlockMomentum(0.5, 1.0, false, NONE_SKIPPED);
    assertThrows(IllegalArgumentException.class, () -> bm.step(new float[2], new float[3], false));
  }
}
