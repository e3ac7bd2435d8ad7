package io.sitter.cli;

import io.sitter.config.BadInputException;
import io.sitter.metrics.EvaluationResult;
import io.sitter.serve.DistributedEvaluation;
import io.sitter.serve.SavedModel;
import java.io.PrintWriter;
import io.sitter.storage.PathMessages;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sitter evaluate}: a trained model's accuracy, loss, per-class scores and confusion on labelled data. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates a trained model on labelled data on the executors (the model is broadcast once):",
      "accuracy, mean cross-entropy loss, per-class precision/recall/F1, confusion matrix.",
      "Raw data (--input) goes through the model's saved preprocessing; a prep output (--data) is used as is."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkFlags sparkFlags;

  @Option(names = "--model", required = true, paramLabel = "RUN", description = "A run directory with model.zip and preprocessing.json; a local path or a Hadoop URI.")
  String model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ServeInput input;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Write the evaluation here (evaluation.json format); a local path or a Hadoop URI.")
  String out;

  @Override
  public Integer call() {
    Storage storage = CliStorage.beforeSession();
    Path outPath = out == null ? null : storage.resolve("--out", out);
    if (outPath != null) {
      OutputLocation.check(storage, "--out", outPath, true);
    }
    SavedModel saved = SavedModel.load(storage, storage.resolve("--model", model));
    SparkSession spark = sparkFlags.session("evaluate");
    Dataset<Row> rows = input.labelledRows(spark, saved);
    EvaluationResult result =
        DistributedEvaluation.evaluate(spark, saved.network(), rows, saved.numClasses(), saved.classes());
    if (result.count() == 0) {
      throw new BadInputException(input.describe() + " has no rows to evaluate");
    }
    if (out != null) {
      CliStorage.of(spark).files().writeString(outPath, result.toJson() + "\n");
    }
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "accuracy %.4f  loss %.4f  macro-F1 %.4f  on %d examples of %s%n",
        result.accuracy(), result.loss(), result.macroF1(), result.count(), input.describe());
    if (out != null) {
      w.println("evaluation written to " + PathMessages.show(outPath));
    }
    w.flush();
    return ExitCodes.OK;
  }
}
