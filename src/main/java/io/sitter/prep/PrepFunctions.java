package io.sitter.prep;

import io.sitter.stats.FeatureStatisticsAccumulator;
import io.sitter.stats.SplitAssigner;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import java.util.HashMap;
import java.util.Map;

/** Executor-side functions of the prep and stats jobs: static classes carrying only their parameters. */
final class PrepFunctions {
  private PrepFunctions() {}

  /** The split hash of a row index, for ranking rows within a class. */
  static final class SplitHash implements UDF1<Long, Long> {
    private static final long serialVersionUID = 1L;
    private final long seed;

    SplitHash(long seed) {
      this.seed = seed;
    }

    @Override
    public Long call(Long index) {
      return SplitAssigner.hash(index, seed);
    }
  }

  /** Unstratified split of a row index. */
  static final class AssignByIndex implements UDF1<Long, Integer> {
    private static final long serialVersionUID = 1L;
    private final SplitAssigner assigner;

    AssignByIndex(SplitAssigner assigner) {
      this.assigner = assigner;
    }

    @Override
    public Integer call(Long index) {
      return assigner.assign(index);
    }
  }

  /** Stratified split from a row's rank within its class and the class's size. */
  static final class AssignByRank implements UDF2<Long, Long, Integer> {
    private static final long serialVersionUID = 1L;
    private final SplitAssigner assigner;

    AssignByRank(SplitAssigner assigner) {
      this.assigner = assigner;
    }

    @Override
    public Integer call(Long rank, Long classCount) {
      return assigner.assignRanked(rank, classCount);
    }
  }

  /**
   * Stratified split of a row from its class's cut points: rows before the first validation row
   * (in (hash, index) order) are train, rows before the first test row are validation, the rest
   * test. A class without validation or test rows has the cut at +infinity.
   */
  static final class ClassCuts implements UDF3<Integer, Long, Long, Integer> {
    private static final long serialVersionUID = 1L;
    /** label -> {val hash, val index, test hash, test index}. */
    private final HashMap<Integer, long[]> cuts;

    ClassCuts(Map<Integer, long[]> cuts) {
      this.cuts = new HashMap<>();
      cuts.forEach((k, v) -> this.cuts.put(k, v.clone()));
    }

    static long[] none() {
      return new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    }

    @Override
    public Integer call(Integer label, Long hash, Long index) {
      long[] c = cuts.getOrDefault(label, NONE);
      if (before(hash, index, c[0], c[1])) {
        return SplitAssigner.TRAIN;
      }
      return before(hash, index, c[2], c[3]) ? SplitAssigner.VAL : SplitAssigner.TEST;
    }

    private static final long[] NONE = none();

    private static boolean before(long hash, long index, long cutHash, long cutIndex) {
      int byHash = Long.compare(hash, cutHash);
      return byHash < 0 || (byHash == 0 && index < cutIndex);
    }
  }

  /** The statistics of one partition's rows. */
  static final class AccumulatePartition implements FlatMapFunction<Iterator<FeatureRow>, FeatureStatisticsAccumulator> {
    private static final long serialVersionUID = 1L;
    private final int numFeatures;

    AccumulatePartition(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    @Override
    public Iterator<FeatureStatisticsAccumulator> call(Iterator<FeatureRow> rows) {
      FeatureStatisticsAccumulator acc = new FeatureStatisticsAccumulator(numFeatures);
      while (rows.hasNext()) {
        acc.add(rows.next().getFeatures());
      }
      return List.of(acc).iterator();
    }
  }
}
