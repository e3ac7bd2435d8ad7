package io.sitter.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Flags every Spark-running subcommand shares ({@code @Mixin SparkFlags spark;}). */
public final class SparkFlags {
  @Option(names = "--verbose", description = "Show Spark's INFO logging and progress bars.")
  boolean verbose;

  /** The session for {@code command}; the master comes from spark-submit (scripts/sitter passes --master). */
  public SparkSession session(String command) {
    return SparkSessions.create(command, verbose);
  }

  public boolean verbose() {
    return verbose;
  }
}
