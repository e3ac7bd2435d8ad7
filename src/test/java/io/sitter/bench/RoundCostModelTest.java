package io.sitter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundCostModelTest {

  /**
   * The fan-ins are checked against Spark itself: a treeReduce whose values count the merges along
   * their deepest chain shows the shape of the tree it built. Hand-worked: 100 partitions make 10
   * reducers of 10.
   */
  @Test
  void treeFanInsFollowSparksTreeReduce() {
    assertEquals(List.of(1), RoundCostModel.treeFanIns(1, 2));
    assertEquals(List.of(4), RoundCostModel.treeFanIns(4, 2));
    assertEquals(List.of(4, 2), RoundCostModel.treeFanIns(8, 2));
    assertEquals(List.of(10, 10), RoundCostModel.treeFanIns(100, 2));
    assertEquals(20, RoundCostModel.treePathPartials(100));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    for (int n : new int[] {1, 2, 4, 6, 7, 8, 12}) {
      List<Integer> ones = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ones.add(1);
      }
      JavaRDD<int[]> leaves = jsc.parallelize(ones, n).map(x -> new int[] {1, 0});
      // Each merge makes {partials, depth of the deeper side + 1}.
      int[] r = leaves.treeReduce(new Merge(), 2);
      assertEquals(n, r[0], "every partition merged once for n=" + n);
      // Merges within a level are sequential (reduceByKey's combiner, the driver's reduce of task
      // results), so the deepest chain is the sum of (fan-in - 1) over the levels.
      List<Integer> fanIns = RoundCostModel.treeFanIns(n, 2);
      assertEquals(fanIns.stream().mapToInt(f -> f - 1).sum(), r[1], "n=" + n + ": merge chain vs fan-ins " + fanIns);
    }
  }

  static final class Merge implements Function2<int[], int[], int[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public int[] call(int[] a, int[] b) {
      return new int[] {a[0] + b[0], Math.max(a[1], b[1]) + 1};
    }
  }

  @Test
  void theFitRecoversTheCoefficientsOfNoiseFreeData() {
    // aggregate = 0.05 + 0.01 n + 3e-9 P g(n) with Spark's tree, at the benchmark's grid.
    double[] ps = {51_000, 271_000, 1_860_000, 5_800_000};
    int[] ns = {1, 2, 4, 8};
    int m = ps.length * ns.length;
    double[] p = new double[m];
    int[] n = new int[m];
    double[] y = new double[m];
    int i = 0;
    for (double pp : ps) {
      for (int nn : ns) {
        p[i] = pp;
        n[i] = nn;
        y[i] = 0.05 + 0.01 * nn + 3e-9 * pp * RoundCostModel.treePathPartials(nn);
        i++;
      }
    }
    RoundCostModel.Fit f = RoundCostModel.fitAggregate(RoundCostModel.Growth.SPARK_TREE, p, n, y);
    assertEquals(0.05, f.coefficients()[0], 1e-9);
    assertEquals(0.01, f.coefficients()[1], 1e-9);
    assertEquals(3e-9, f.coefficients()[2], 1e-15);
    assertEquals(1.0, f.rSquared(), 1e-12);
    assertEquals(RoundCostModel.Growth.SPARK_TREE, RoundCostModel.bestGrowth(p, n, y));
    assertEquals(0.05 + 0.01 * 100 + 3e-9 * 271_000 * 20, f.predict(100, 271_000 * 20.0), 1e-9);
    // Data made by a flat reduce are told apart at n = 8 (8 partials vs the tree's 6).
    for (int j = 0; j < m; j++) {
      y[j] = 0.05 + 0.01 * n[j] + 3e-9 * p[j] * n[j];
    }
    assertEquals(RoundCostModel.Growth.FLAT, RoundCostModel.bestGrowth(p, n, y));
  }

  @Test
  void rSquaredIsOneMinusResidualOverTotalVariance() {
    Random r = new Random(5);
    int m = 40;
    double[][] x = new double[m][1];
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      x[i][0] = i;
      y[i] = 2 + 0.5 * i + r.nextGaussian();
    }
    RoundCostModel.Fit f = RoundCostModel.fit("y = b0 + b1 x", List.of("b0", "b1"), x, y);
    // Simple regression in closed form, independently of commons-math's QR.
    double mx = (m - 1) / 2.0;
    double my = 0;
    for (double v : y) {
      my += v / m;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < m; i++) {
      sxy += (i - mx) * (y[i] - my);
      sxx += (i - mx) * (i - mx);
    }
    double b1 = sxy / sxx;
    double b0 = my - b1 * mx;
    double ssr = 0;
    double sst = 0;
    for (int i = 0; i < m; i++) {
      ssr += Math.pow(y[i] - b0 - b1 * i, 2);
      sst += Math.pow(y[i] - my, 2);
    }
    assertEquals(b1, f.coefficients()[1], 1e-12);
    assertEquals(b0, f.coefficients()[0], 1e-10);
    assertEquals(1 - ssr / sst, f.rSquared(), 1e-12);
  }

  @Test
  void tooFewObservationsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RoundCostModel.fit("y = b0 + b1 x", List.of("b0", "b1"), new double[][] {{1}, {2}}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("2 observations"), e.getMessage());
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, RoundCostModel.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, RoundCostModel.median(List.of(4.0, 1.0, 3.0, 2.0)));
    assertTrue(Double.isNaN(RoundCostModel.median(List.of())));
  }

  @Test
  void steadyRoundsSkipTheFirstShortAndValidatedRounds(@TempDir Path dir) throws IOException {
    // K = 20; rounds 1-3 full, round 4 short with the epoch-end validation, round 5 full again.
    String row = "{\"round\":%d,\"epoch\":1,\"iteration\":%d,\"examples_seen\":%d,\"train_loss\":1.0,"
        + "\"train_accuracy\":0.5,\"lr\":0.001,\"round_seconds\":%s,\"broadcast_seconds\":0.1,"
        + "\"compute_seconds_max\":1.0,\"compute_seconds_mean\":0.9,\"aggregate_seconds\":0.2,"
        + "\"samples_per_second\":1000,\"val_loss\":%s,\"val_accuracy\":null,\"layers\":[]}";
    List<String> lines = List.of(
        String.format(row, 1, 20, 2560, "9.0", "null"),
        String.format(row, 2, 40, 5120, "1.5", "null"),
        String.format(row, 3, 60, 7680, "1.7", "null"),
        String.format(row, 4, 65, 8320, "3.0", "0.4"),
        String.format(row, 5, 85, 10880, "1.6", "null"));
    Files.write(dir.resolve("metrics.jsonl"), lines);
    List<ClusterBench.Round> rounds = ClusterBench.readRounds(dir);
    List<ClusterBench.Round> steady = ClusterBench.steady(rounds, 20);
    assertEquals(List.of(2, 3, 5), steady.stream().map(ClusterBench.Round::round).toList());
    ClusterBench.Medians m = ClusterBench.Medians.of(steady);
    assertEquals(1.6, m.seconds(), 1e-12);
    assertEquals(1.6 - 0.1 - 1.0 - 0.2, m.other(), 1e-12);
    // K auto (0): every round but the first.
    assertEquals(4, ClusterBench.steady(rounds, 0).size());
  }
}
