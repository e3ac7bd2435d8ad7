package io.sitter.cli;

import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.search.SearchJob;
import io.sitter.search.SearchMode;
import io.sitter.search.SearchRequest;
import io.sitter.search.SearchSpace;
import io.sitter.search.SearchStage;
import java.io.PrintWriter;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sitter search}: random hyperparameter search, coarse then fine, with early stopping. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Random hyperparameter search on a prep output directory: a coarse stage of short trials over the",
      "whole space, then fine stage(s) narrowed around the best, stopping trials whose loss explodes or whose",
      "first-epoch validation loss is far worse than their stage's best. Writes trials.jsonl, trials.csv and",
      "best.yaml (ready for sitter train --config). Started again with the same arguments, it skips finished trials."
    })
final class SearchCommand implements Callable<Integer> {
  @Mixin SparkFlags spark;

  @Option(names = "--data", required = true, description = "Prep output directory (train and val splits); a local path or a Hadoop URI.")
  String data;

  @Option(names = "--space", required = true, description = "YAML (a path or URI): config key -> loguniform(lo, hi) | uniform(lo, hi) | int(lo, hi) | choice([...]).")
  String space;

  @Option(names = "--trials", required = true, description = "Trials of the coarse stage.")
  int trials;

  @Option(names = "--out", required = true, description = "Search directory; a local path or a Hadoop URI.")
  String out;

  @Option(names = "--stages", split = ",", defaultValue = "coarse,fine", description = "Stages in order, e.g. coarse,fine,fine (default: ${DEFAULT-VALUE}).")
  List<String> stages;

  @Option(names = "--mode", defaultValue = "auto", description = "auto | trials | data (default: ${DEFAULT-VALUE}: trials when the data fits an executor).")
  String mode;

  @Option(names = "--config", description = "Base config YAML merged over the defaults (repeatable); a path or URI.")
  List<String> configs = new ArrayList<>();

  @Option(names = "--set", description = "Base config override key=value (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "42", description = "Search seed: same seed, same trials (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--coarse-epochs", defaultValue = "2", description = "Epochs per coarse trial (default: ${DEFAULT-VALUE}).")
  int coarseEpochs;

  @Option(names = "--fine-epochs", defaultValue = "5", description = "Epochs per fine trial (default: ${DEFAULT-VALUE}).")
  int fineEpochs;

  @Option(names = "--fine-trials", description = "Trials per fine stage (default: half the coarse trials, at least 2).")
  Integer fineTrials;

  @Option(names = "--top", defaultValue = "3", description = "Best trials a fine stage narrows around (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--halt-factor", defaultValue = "1.5", description = "Stop a trial whose first-epoch validation loss exceeds this multiple of its stage's best (default: ${DEFAULT-VALUE}).")
  double haltFactor;

  @Option(names = "--shrink", defaultValue = "0.5", description = "Largest fine range as a fraction of the coarse one (default: ${DEFAULT-VALUE}).")
  double shrink;

  @Option(names = "--overwrite", description = "Delete an existing search directory and start over.")
  boolean overwrite;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() {
    Storage storage = CliStorage.beforeSession();
    RunDirectory dir = RunDirectory.at(storage, storage.resolve("--out", out));
    try (OutputLock lock = OutputLocation.claim(storage, "--out", dir.path(), false)) {
      return search(storage, dir);
    }
  }

  private int search(Storage storage, RunDirectory dir) {
    SitterConfig base = ConfigLoader.load(storage, configs.stream().map(c -> storage.resolve("--config", c)).toList(), sets);
    SearchSpace parsed = SearchSpace.read(storage, storage.resolve("--space", space));
    org.apache.hadoop.fs.Path dataPath = storage.resolve("--data", data);
    SearchRequest request;
    try {
      List<SearchStage> plan = new ArrayList<>();
      int fine = fineTrials != null ? fineTrials : Math.max(2, trials / 2);
      for (String s : stages) {
        String name = s.trim();
        plan.add(name.equals("coarse") ? new SearchStage(name, trials, coarseEpochs) : new SearchStage(name, fine, fineEpochs));
      }
      request = new SearchRequest(dataPath, parsed, base, plan, SearchMode.parse(mode), top, haltFactor, shrink, seed, dir.path());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    if (overwrite) {
      dir.delete();
    }
    PrintWriter w = commandSpec.commandLine().getOut();
    ReportCommand.thenReport(dir, w, () -> {
      SearchJob.run(spark.session("search"), request, w);
      return null;
    });
    return 0;
  }
}
