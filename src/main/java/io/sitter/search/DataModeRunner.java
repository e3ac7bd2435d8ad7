package io.sitter.search;

import io.sitter.babysit.AbortRule;
import io.sitter.config.SitterConfig;
import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.RoundMetrics;
import io.sitter.train.RoundListener;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import io.sitter.train.TrainingView;
import java.io.OutputStream;
import java.io.PrintWriter;
import io.sitter.storage.RunDirectory;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * {@code data} mode: each trial is a distributed training run ({@link TrainJob}) over the whole
 * cluster, one after the other, for data too big for one executor. The trials stop early from a
 * round listener, so the running best first-epoch loss of the stage is known to every later trial.
 * Each trial's run directory (metrics, checkpoints, model) is kept under {@code runs/}.
 */
final class DataModeRunner implements TrialRunner {
  private final SparkSession spark;
  private final Path data;
  private final Path runs;
  private final int partitions;

  DataModeRunner(SparkSession spark, Path data, Path searchDir) {
    this.spark = spark;
    this.data = data;
    this.runs = new Path(searchDir, RunDirectory.RUNS);
    this.partitions = spark.sparkContext().defaultParallelism();
  }

  @Override
  public void runStage(List<TrialSpec> specs, double haltFactor, double bestFirstEpochLoss, Consumer<Finished> finished) {
    double best = bestFirstEpochLoss;
    for (TrialSpec spec : specs) {
      Finished f = run(spec, haltFactor, best);
      if (Double.isFinite(f.valLossEpoch1())) {
        best = Math.min(best, f.valLossEpoch1());
      }
      finished.accept(f);
    }
  }

  private Finished run(TrialSpec spec, double haltFactor, double bestFirst) {
    long start = System.nanoTime();
    SitterConfig config = spec.config("train.epochs=" + spec.epochs(), "train.seed=" + spec.seed());
    Stopper stopper = new Stopper(haltFactor, bestFirst, spec.epochs());
    Path out = new Path(runs, spec.stage() + "-" + spec.trial());
    // A trial cut off by a crash starts over: its directory is replaced.
    TrainRequest request = new TrainRequest(data, out, config, partitions, TrainRequest.OutputMode.OVERWRITE,
        List.of(stopper), Map.of("search trial", spec.stage() + " #" + spec.trial()), new PrintWriter(OutputStream.nullOutputStream()));
    try {
      TrainResult r = TrainJob.run(spark, request);
      TrialOutcome o = new TrialOutcome(spec.trial(), false, null, r.epochs(), stopper.initialLoss, r.trainLoss(),
          stopper.lastTrainAccuracy, nan(r.valLoss()), nan(r.valAccuracy()), seconds(start), null);
      return new Finished(o, stopper.valLossEpoch1, null);
    } catch (TrainingAbortedException e) {
      String reason = e.getMessage().startsWith("halted: ") ? e.getMessage() : "exploded: " + e.getMessage();
      TrialOutcome o = new TrialOutcome(spec.trial(), true, reason, stopper.epoch, stopper.initialLoss, stopper.lastTrainLoss,
          stopper.lastTrainAccuracy, stopper.lastValLoss, stopper.lastValAccuracy, seconds(start), null);
      return new Finished(o, stopper.valLossEpoch1, reason);
    }
  }

  @Override
  public void close() {}

  /**
   * Stops a trial whose loss diverges by the babysitter's {@link AbortRule}, or whose first-epoch validation loss is far above the
   * stage's best; remembers what the search records.
   */
  static final class Stopper implements RoundListener {
    private final double haltFactor;
    private final double bestFirst;
    private final int epochs;
    double initialLoss = Double.NaN;
    double valLossEpoch1 = Double.NaN;
    double lastTrainLoss = Double.NaN;
    double lastTrainAccuracy = Double.NaN;
    double lastValLoss = Double.NaN;
    double lastValAccuracy = Double.NaN;
    int epoch;

    Stopper(double haltFactor, double bestFirst, int epochs) {
      this.haltFactor = haltFactor;
      this.bestFirst = bestFirst;
      this.epochs = epochs;
    }

    @Override
    public void afterRound(TrainingView view, RoundMetrics.Builder m) {
      initialLoss = view.initialLoss();
      epoch = m.epoch();
      lastTrainLoss = m.trainLoss();
      lastTrainAccuracy = m.trainAccuracy();
      double factor = view.config().babysit().abortLossFactor();
      if (AbortRule.diverged(m.trainLoss(), initialLoss, factor)) {
        throw new TrainingAbortedException(AbortRule.describe(m.trainLoss(), initialLoss, factor,
            "in round " + m.round() + " (epoch " + m.epoch() + ")"));
      }
      if (m.valLoss() != null) {
        lastValLoss = m.valLoss();
        lastValAccuracy = m.valAccuracy();
        if (m.epoch() == 1) {
          valLossEpoch1 = m.valLoss();
          String halt = epochs > 1 ? TrialRunner.haltReason(valLossEpoch1, haltFactor, bestFirst) : null;
          if (halt != null) {
            throw new TrainingAbortedException(halt);
          }
        }
      }
    }
  }

  private static double nan(Double d) {
    return d == null ? Double.NaN : d;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
