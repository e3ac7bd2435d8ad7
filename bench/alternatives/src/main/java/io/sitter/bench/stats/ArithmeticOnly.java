package io.sitter.bench.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.stats.FeatureStatisticsAccumulator;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-row arithmetic of sitter's accumulator (Welford update plus min and max) against the
 * one-pass sums, on rows already in memory and one thread: the part of each job that is not
 * reading Parquet, measured without Spark's noise around it.
 */
final class ArithmeticOnly {
  private ArithmeticOnly() {}

  static ObjectNode time(List<double[]> rows, int numFeatures, int repeats) {
    List<Double> welford = new ArrayList<>();
    List<Double> sums = new ArrayList<>();
    double sink = 0;
    for (int r = 0; r < repeats + 1; r++) { // the first round warms the JIT and is dropped
      long t0 = System.nanoTime();
      FeatureStatisticsAccumulator acc = new FeatureStatisticsAccumulator(numFeatures);
      for (double[] x : rows) {
        acc.add(x);
      }
      long t1 = System.nanoTime();
      SumFunctions.Sums s = new SumFunctions.Sums(numFeatures, true);
      SumFunctions.AddRow add = new SumFunctions.AddRow();
      for (double[] x : rows) {
        add.call(s, x);
      }
      long t2 = System.nanoTime();
      sink += acc.result().mean()[0] + s.sum[0];
      if (r > 0) {
        welford.add((t1 - t0) / 1e6);
        sums.add((t2 - t1) / 1e6);
      }
    }
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("rows", rows.size());
    o.put("sitter_accumulator_ms_median", StatsBench.median(welford));
    o.put("sum_sumsq_ms_median", StatsBench.median(sums));
    o.put("repeats", repeats);
    o.put("checksum", sink);
    return o;
  }
}
