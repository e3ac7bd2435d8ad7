package io.sitter.cli;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The training flags {@code sitter train} and {@code sitter run} share ({@code @Mixin TrainingFlags training;}). */
final class TrainingFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--config", paramLabel = "FILE", description = "A YAML config merged over the defaults (repeatable); a path or URI.")
  List<String> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, e.g. train.epochs=5 (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--partitions", paramLabel = "P", description = "Shards and tasks per round (default: Spark's default parallelism).")
  Integer partitions;

  @Option(names = "--overwrite", description = "Replace RUN if it exists.")
  boolean overwrite;

  @Option(names = "--no-checks", description = "Skip the babysitter's preflight checks (the monitors still run).")
  boolean noChecks;

  /** The effective configuration: defaults, then --config files, then --set. */
  SitterConfig config() {
    Storage storage = CliStorage.beforeSession();
    return ConfigLoader.load(storage, configs.stream().map(c -> storage.resolve("--config", c)).toList(), sets);
  }

  /** Usage errors found before Spark starts. */
  void check() {
    if (partitions != null && partitions < 1) {
      throw new CommandLine.ParameterException(mixee.commandLine(), "--partitions must be >= 1, got " + partitions);
    }
  }

  /** P: --partitions, else the cluster's default parallelism. */
  int partitions(SparkSession spark) {
    return partitions != null ? partitions : spark.sparkContext().defaultParallelism();
  }
}
