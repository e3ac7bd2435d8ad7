package io.sitter.shard;

import io.sitter.config.BadInputException;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training split as P cached shards, one {@link ShardData} per RDD partition; partition p of
 * the returned RDD is shard p, so a {@code mapPartitionsWithIndex} over it sees shard p's data.
 *
 * <p>Assignment: rows are ranked by {@code index} (a sort, so the result does not depend on how the
 * input happened to be partitioned) and rank r goes to shard r mod P: every example in exactly
 * one shard, sizes differing by at most one.
 *
 * <p>Storage: MEMORY_ONLY (deserialized). Every round reads every shard, so serialized storage
 * would pay Kryo decoding of the whole split each round; the data is small next to executor memory
 * (60k x 784 floats = 188 MB over all shards) and plain arrays are sized correctly by Spark's
 * SizeEstimator. If a block is evicted or an executor is lost Spark recomputes the shard from its
 * lineage, which yields the same shard because assignment and in-shard order are deterministic.
 */
public final class Shards {
  private Shards() {}

  /**
   * @param rows prep-format rows: {@code index long, features array<float>, label int}
   * @param source what to call the input in error messages (the split's path)
   * @throws BadInputException if the split is empty, has fewer rows than partitions, or a row is bad
   *     (the latter surfaces when the RDD is first computed)
   */
  public static JavaRDD<ShardData> build(
      Dataset<Row> rows, int partitions, int numFeatures, int numClasses, String source) {
    if (partitions < 1) {
      throw new BadInputException("--partitions must be >= 1, got " + partitions);
    }
    long n = rows.count();
    if (n == 0) {
      throw new BadInputException(source + ": the training split is empty");
    }
    if (n < partitions) {
      throw new BadInputException(source + ": " + n + " training examples cannot fill " + partitions
          + " partitions (use --partitions <= " + n + ")");
    }
    JavaRDD<ShardData> shards =
        rows.select("index", "features", "label")
            .javaRDD()
            .map(new ShardFunctions.ToExample(numFeatures, numClasses, source))
            .sortBy(new ShardFunctions.IndexOf(), true, partitions)
            .zipWithIndex()
            .mapToPair(new ShardFunctions.AssignShard(partitions))
            // HashPartitioner sends a non-negative Integer key k < P to partition k.
            .partitionBy(new HashPartitioner(partitions))
            .mapPartitionsWithIndex(new ShardFunctions.ToShard(numFeatures), true);
    shards.setName("sitter shards of " + source).persist(StorageLevel.MEMORY_ONLY());
    return shards;
  }

  /**
   * The first {@code n} rows by index (all, if fewer) as a DataSet on the driver: the fixed probe
   * batch the babysitter's monitors use for the whole run.
   */
  public static DataSet probeBatch(Dataset<Row> rows, int n, int numFeatures, int numClasses, String source) {
    // Rows are converted on the executors: collected Rows carry their schema, which Kryo would
    // have to be taught class by class.
    List<Example> first = rows.select("index", "features", "label").orderBy("index").limit(n)
        .javaRDD().map(new ShardFunctions.ToExample(numFeatures, numClasses, source)).collect();
    if (first.isEmpty()) {
      throw new BadInputException(source + ": the training split is empty");
    }
    float[] x = new float[first.size() * numFeatures];
    float[] y = new float[first.size() * numClasses];
    for (int r = 0; r < first.size(); r++) {
      Example e = first.get(r);
      System.arraycopy(e.features, 0, x, r * numFeatures, numFeatures);
      y[r * numClasses + e.label] = 1f;
    }
    return new DataSet(Nd4j.create(x, new long[] {first.size(), numFeatures}, DataType.FLOAT),
        Nd4j.create(y, new long[] {first.size(), numClasses}, DataType.FLOAT));
  }
}
