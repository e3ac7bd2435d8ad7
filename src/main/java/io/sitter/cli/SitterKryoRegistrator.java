package io.sitter.cli;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class sitter ships between driver and executors, so Kryo writes a small id
 * instead of the class name and tests can run with {@code spark.kryo.registrationRequired=true}.
 *
 * <p>Records must be registered with Kryo's {@code JavaSerializer}: Spark's Kryo 4 sets final
 * fields by reflection, which Java 17 refuses for record components.
 */
public final class SitterKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    // Network parameters and updater state travel as float[] every round: copied in bulk.
    kryo.register(float[].class, new BulkFloatArraySerializer());
    kryo.register(float[][].class);
    kryo.register(double[].class);
    kryo.register(double[][].class);
    kryo.register(long[].class);
    kryo.register(int[].class);
    kryo.register(int[][].class);
    kryo.register(String[].class);
    kryo.register(Object[].class);
    kryo.register(long[][].class);
    // serve: the evaluated model's broadcast and the per-partition evaluation counts.
    kryo.register(io.sitter.model.NetworkPayload.class);
    kryo.register(io.sitter.metrics.EvaluationAccumulator.class);
    // prep: per-partition statistics travel back as task results; IDX chunks are parallelized from the driver.
    kryo.register(io.sitter.stats.FeatureStatisticsAccumulator.class);
    registerRecordByName(kryo, "io.sitter.data.ReaderFunctions$IdxChunk");
    // Spark's Parquet schema inference (mergeSchemasInParallel) returns StructTypes as task results.
    kryo.register(org.apache.spark.sql.types.StructType.class);
    kryo.register(org.apache.spark.sql.types.StructType[].class);
    kryo.register(org.apache.spark.sql.types.StructField.class);
    kryo.register(org.apache.spark.sql.types.StructField[].class);
    kryo.register(org.apache.spark.sql.types.ArrayType.class);
    kryo.register(org.apache.spark.sql.types.Metadata.class);
    for (String type : new String[] {"Float", "Double", "Long", "Integer", "Short", "Byte", "Boolean", "String", "Binary"}) {
      registerByName(kryo, "org.apache.spark.sql.types." + type + "Type$");
    }
    // search, trials mode: the broadcast data copy, one spec per task, one outcome back.
    registerByName(kryo, "io.sitter.search.TrialData");
    registerRecordByName(kryo, "io.sitter.search.TrialSpec");
    registerRecordByName(kryo, "io.sitter.search.TrialState");
    registerRecordByName(kryo, "io.sitter.search.TrialOutcome");
    // Dataset.toLocalIterator ships each partition's serialized rows as ChunkedByteBuffer[].
    registerByName(kryo, "[Lorg.apache.spark.util.io.ChunkedByteBuffer;");
    registerByName(kryo, "org.apache.spark.util.io.ChunkedByteBuffer");
    // RDD<Row> results (take/first on parsed rows).
    registerByName(kryo, "org.apache.spark.sql.catalyst.expressions.GenericRow");
    registerByName(kryo, "org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema");
    // train: cached shards (and the rows shuffled into them), round broadcasts, task results.
    kryo.register(io.sitter.shard.ShardData.class);
    registerByName(kryo, "io.sitter.shard.Example");
    kryo.register(io.sitter.stats.PooledMomentsAccumulator.class);
    kryo.register(io.sitter.stats.PooledMomentsAccumulator[].class);
    registerByName(kryo, "io.sitter.train.RoundState");
    registerByName(kryo, "io.sitter.train.RoundAccumulator");
    // babysit: the preflight checks' per-partition loss sums and one-task results.
    registerByName(kryo, "io.sitter.babysit.LossAccumulator");
    registerRecordByName(kryo, "io.sitter.babysit.OverfitOutcome");
    registerRecordByName(kryo, "io.sitter.babysit.LrProbeOutcome");
  }

  /** Registers a package-private record by name, with the JavaSerializer records need (see above). */
  static void registerRecordByName(Kryo kryo, String className) {
    try {
      kryo.register(
          Class.forName(className, false, SitterKryoRegistrator.class.getClassLoader()),
          new com.esotericsoftware.kryo.serializers.JavaSerializer());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Kryo registration: class " + className + " not found", e);
    }
  }

  /** Registers a Spark or Scala class by name (many are private), failing loudly if it is gone. */
  static void registerByName(Kryo kryo, String className) {
    try {
      kryo.register(Class.forName(className, false, SitterKryoRegistrator.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Kryo registration: class " + className + " not found", e);
    }
  }
}
