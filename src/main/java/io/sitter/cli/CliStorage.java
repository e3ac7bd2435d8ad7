package io.sitter.cli;

import io.sitter.storage.Storage;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.SparkSession;

/**
 * The {@link Storage} a command resolves and reaches its paths with: the Hadoop configuration of
 * the Spark session, so {@code --conf spark.hadoop.fs.s3a.*} and a cluster's {@code
 * core-site.xml} apply to sitter's own files as they do to Spark's.
 */
final class CliStorage {
  private CliStorage() {}

  /** Once the session runs: its own Hadoop configuration. */
  static Storage of(SparkSession spark) {
    return Storage.of(spark.sparkContext().hadoopConfiguration());
  }

  /**
   * Before any session starts (to refuse a bad output path without the cost of one, or for the
   * report, which needs none): the Hadoop configuration Spark would build from the same settings
   * ({@code spark.hadoop.*} copied in by {@link SparkHadoopUtil#newConfiguration}).
   */
  static Storage beforeSession() {
    return Storage.of(SparkHadoopUtil.get().newConfiguration(SparkSessions.sitterConf(new SparkConf(), false)));
  }
}
