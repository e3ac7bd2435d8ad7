package io.sitter.shard;

import io.sitter.config.BadInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/** Executor-side functions of {@link Shards}: static classes that capture only what they need. */
final class ShardFunctions {
  private ShardFunctions() {}

  /** Reads and checks one prep-format row: {@code index long, features array<float>, label int}. */
  static final class ToExample implements Function<Row, Example> {
    private static final long serialVersionUID = 1L;
    private final int numFeatures;
    private final int numClasses;
    private final String source;

    ToExample(int numFeatures, int numClasses, String source) {
      this.numFeatures = numFeatures;
      this.numClasses = numClasses;
      this.source = source;
    }

    @Override
    public Example call(Row row) {
      if (row.isNullAt(0)) {
        throw new BadInputException(source + ": a row has no index");
      }
      long index = row.getLong(0);
      if (row.isNullAt(1)) {
        throw new BadInputException(source + ": row index=" + index + " has no features");
      }
      List<Object> values = row.getList(1);
      if (values.size() != numFeatures) {
        throw new BadInputException(source + ": row index=" + index + " has " + values.size()
            + " features, expected " + numFeatures + " (preprocessing.json numFeatures)");
      }
      float[] x = new float[numFeatures];
      for (int j = 0; j < numFeatures; j++) {
        Object v = values.get(j);
        float f = v == null ? Float.NaN : ((Number) v).floatValue();
        if (!Float.isFinite(f)) {
          throw new BadInputException(source + ": row index=" + index + " feature " + j + " is " + (v == null ? "null" : f));
        }
        x[j] = f;
      }
      if (row.isNullAt(2)) {
        throw new BadInputException(source + ": row index=" + index + " has no label");
      }
      int label = ((Number) row.get(2)).intValue();
      if (label < 0 || label >= numClasses) {
        throw new BadInputException(source + ": row index=" + index + " has label " + label
            + ", expected 0.." + (numClasses - 1) + " (preprocessing.json numClasses)");
      }
      return new Example(index, x, label);
    }
  }

  static final class IndexOf implements Function<Example, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Example e) {
      return e.index;
    }
  }

  /** Rank r in index order goes to shard r mod P: sizes differ by at most one. */
  static final class AssignShard implements PairFunction<Tuple2<Example, Long>, Integer, Example> {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    AssignShard(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public Tuple2<Integer, Example> call(Tuple2<Example, Long> ranked) {
      return new Tuple2<>((int) (ranked._2() % partitions), ranked._1());
    }
  }

  /**
   * Packs a partition's examples into one {@link ShardData}, sorted by index: the order in which
   * shuffle blocks arrive is not fixed, the shard's content order must be.
   */
  static final class ToShard implements Function2<Integer, Iterator<Tuple2<Integer, Example>>, Iterator<ShardData>> {
    private static final long serialVersionUID = 1L;
    private final int numFeatures;

    ToShard(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    @Override
    public Iterator<ShardData> call(Integer partition, Iterator<Tuple2<Integer, Example>> it) {
      List<Example> list = new ArrayList<>();
      while (it.hasNext()) {
        Tuple2<Integer, Example> t = it.next();
        if (t._1() != partition.intValue()) {
          throw new IllegalStateException("example for shard " + t._1() + " arrived in partition " + partition);
        }
        list.add(t._2());
      }
      list.sort(Comparator.comparingLong(e -> e.index));
      int n = list.size();
      long[] index = new long[n];
      float[] x = new float[n * numFeatures];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        Example e = list.get(i);
        index[i] = e.index;
        System.arraycopy(e.features, 0, x, i * numFeatures, numFeatures);
        y[i] = e.label;
      }
      return List.of(new ShardData(partition, numFeatures, index, x, y)).iterator();
    }
  }
}
