package io.sitter.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The only place sitter builds a {@link SparkSession}. Settings the user (spark-submit {@code
 * --conf}, spark-defaults.conf) already made win; sitter fills in what DL4J on Spark needs.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** A session for one command; {@code verbose} brings back Spark's INFO logging. */
  public static SparkSession create(String appName, boolean verbose) {
    if (verbose) {
      Configurator.setRootLevel(Level.INFO);
    }
    SparkConf conf = sitterConf(new SparkConf(), verbose).setAppName("sitter " + appName);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * sitter's settings over {@code base}, without overriding anything already set.
   *
   * <p>One native thread per task: by default ND4J runs 2 OpenMP and 2 OpenBLAS threads per JVM,
   * so two tasks on two cores oversubscribe and throughput halves; with one thread per task runs
   * are also bit-for-bit reproducible (shared/STACK.md, "Threads").
   */
  public static SparkConf sitterConf(SparkConf base, boolean verbose) {
    SparkConf conf = base.clone();
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    String registrator = SitterKryoRegistrator.class.getName();
    String existing = conf.get("spark.kryo.registrator", "");
    if (!existing.contains(registrator)) {
      conf.set("spark.kryo.registrator", existing.isEmpty() ? registrator : existing + "," + registrator);
    }
    // float[] payloads of a few MB per partition and round (params + Adam state).
    conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
    conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    conf.setIfMissing("spark.task.cpus", "1");
    conf.setIfMissing("spark.ui.showConsoleProgress", Boolean.toString(verbose));
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    if (conf.get("spark.master").startsWith("local")) {
      // This machine's hostname may resolve to loopback and Spark then picks another interface.
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return conf;
  }
}
