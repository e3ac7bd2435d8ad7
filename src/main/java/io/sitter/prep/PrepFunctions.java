package io.sitter.prep;

import io.sitter.stats.FeatureStatisticsAccumulator;
import io.sitter.stats.SplitAssigner;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;

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

  /** treeAggregate's seqOp: one row's features into the accumulator. */
  static final class AddRow implements Function2<FeatureStatisticsAccumulator, FeatureRow, FeatureStatisticsAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public FeatureStatisticsAccumulator call(FeatureStatisticsAccumulator acc, FeatureRow r) {
      return acc.add(r.getFeatures());
    }
  }

  /** treeAggregate's combOp. */
  static final class Merge
      implements Function2<FeatureStatisticsAccumulator, FeatureStatisticsAccumulator, FeatureStatisticsAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public FeatureStatisticsAccumulator call(FeatureStatisticsAccumulator a, FeatureStatisticsAccumulator b) {
      return a.merge(b);
    }
  }
}
