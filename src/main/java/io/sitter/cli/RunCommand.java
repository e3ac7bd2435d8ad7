package io.sitter.cli;

import io.sitter.babysit.BabysitListener;
import io.sitter.babysit.Babysitters;
import io.sitter.config.SitterConfig;
import io.sitter.data.DataReaders;
import io.sitter.metrics.EvaluationResult;
import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepOptions;
import io.sitter.prep.PrepResult;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sitter run}: the whole job on the user's data: prep into {@code RUN/prep}, train into
 * {@code RUN} with the babysitter watching, evaluate on the test split (for an IDX train+test
 * directory, the official test set) and print its accuracy.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "The whole job: prep the input into RUN/prep (split, normalization fitted on train only), train on it",
      "into RUN (config: defaults, --config, --set; the babysitter's preflight checks first, its monitors",
      "every round, exit 3 when it aborts a diverging run), then evaluate the model on the test split",
      "(for a directory of the 4 MNIST/Fashion-MNIST IDX files, the official test set) into RUN/evaluation.json.",
      "Prints the test accuracy and the run directory."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PrepFlags prep;
  @Mixin SparkFlags sparkFlags;
  @Mixin TrainingFlags training;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run directory to write (prep output in RUN/prep): a local path or a Hadoop URI (hdfs://, s3a://, ...).")
  String out;

  @Override
  public Integer call() {
    training.check();
    // Everything the user typed is checked before anything is written or Spark starts.
    SitterConfig config = training.config();
    Storage storage = CliStorage.beforeSession();
    RunDirectory runDir = RunDirectory.at(storage, storage.resolve("--out", out));
    try (OutputLock lock = OutputLocation.claim(storage, "--out", runDir.path(), false)) {
      return run(config, storage, runDir);
    }
  }

  private int run(SitterConfig config, Storage storage, RunDirectory runDir) {
    Path run = runDir.path();
    // The same layout as `sitter train --input`: the prep output lives in the run it trained.
    Path data = runDir.file(RunDirectory.PREP);
    PrepOptions prepOptions = prep.toPrepOptions(data, false);
    DataReaders.checkExists(CliStorage.beforeSession(), prepOptions.input());
    PrintWriter w = spec.commandLine().getOut();
    TrainJob.prepareRunDirectory(storage, run, training.overwrite);
    long start = System.nanoTime();

    TrainResult t;
    try {
      SparkSession spark = sparkFlags.session("run");
      w.println("sitter run: prep " + prepOptions.input().inputName() + " -> " + PathMessages.show(data));
      w.flush();
      PrepResult p = PrepJob.run(spark, prepOptions);
      w.printf(Locale.ROOT, "sitter run: train %d, val %d, test %d rows; %d features, %d classes%n",
          p.trainCount(), p.valCount(), p.testCount(), p.normalizer().numFeatures(), p.normalizer().numClasses());
      w.flush();
      int parts = training.partitions(spark);
      BabysitListener babysitter = Babysitters.forNewRun(spark, config, data, training.noChecks, w);
      t = ReportCommand.thenReport(runDir, w, () -> TrainJob.run(spark, new TrainRequest(data, run, config, parts,
          TrainRequest.OutputMode.NEW, List.of(babysitter), Map.of("sitter", Versions.sitter(), "dl4j", Versions.dl4j(), "command", "run"), w)));
    } catch (Exception e) { // Spark's task failures arrive as its checked SparkException, thrown sneakily
      removeIfTrainingNeverStarted(runDir);
      throw e;
    }

    Optional<String> evaluation = runDir.evaluation();
    w.println();
    if (evaluation.isPresent()) {
      EvaluationResult r = EvaluationResult.fromJson(evaluation.get(), runDir.file(RunDirectory.EVALUATION));
      w.printf(Locale.ROOT, "test accuracy: %.4f (%d examples, loss %.4f, macro-F1 %.4f)%n",
          r.accuracy(), r.count(), r.loss(), r.macroF1());
    } else {
      // No test split (--split with a test fraction of 0): the validation figures are what there is.
      w.println("test accuracy: none (no test split" + (t.valAccuracy() == null ? ")"
          : String.format(Locale.ROOT, "; validation accuracy %.4f)", t.valAccuracy())));
    }
    w.printf(Locale.ROOT, "run directory: %s (%.1f s)%n", PathMessages.show(run), (System.nanoTime() - start) / 1e9);
    w.flush();
    return ExitCodes.OK;
  }

  /**
   * A run that failed before training wrote its config.json holds at most our own prep output
   * from this invocation (the directory was new or emptied at the start): remove it, so the same
   * command can simply be run again. A run that got further is kept for inspection and
   * {@code --overwrite}.
   */
  private static void removeIfTrainingNeverStarted(RunDirectory run) {
    try {
      if (run.isDirectory() && !run.isRun()) {
        run.delete();
      }
    } catch (UncheckedIOException e) {
      // The original failure is what the user needs to see; a leftover directory is named by the next run.
    }
  }
}
