package io.sitter;

import io.sitter.cli.SparkSessions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} session for the whole test JVM (surefire forks once and reuses it): JVM start
 * to a ready session costs 2.5-3 s, so a session per class would dominate the run (the choice GATK's
 * SparkContextFactory makes for its tests). Built by sitter's own {@link SparkSessions#sitterConf},
 * with Kryo registration required so an unregistered class fails the test that ships it.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      SparkConf conf =
          SparkSessions.sitterConf(new SparkConf().setMaster("local[2]"), false)
              .setAppName("sitter-tests")
              .set("spark.kryo.registrationRequired", "true")
              .set("spark.ui.enabled", "false")
              .set("spark.sql.shuffle.partitions", "4")
              .set("spark.default.parallelism", "2");
      session = SparkSession.builder().config(conf).getOrCreate();
    }
    return session;
  }
}
