package io.sitter.cli;

import io.sitter.serve.DistributedPrediction;
import io.sitter.serve.PredictionOutput;
import io.sitter.serve.SavedModel;
import java.io.PrintWriter;
import io.sitter.storage.PathMessages;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
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

/** {@code sitter predict}: class predictions and probabilities for every input row. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Predicts the class of every input row on the executors (the model is broadcast once).",
      "Writes the row's index, the predicted label (the original label names when the training",
      "data had them) and one prob_<class> column per class: Parquet, or one CSV file when --out ends in .csv."
    })
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkFlags sparkFlags;

  @Option(names = "--model", required = true, paramLabel = "RUN", description = "A run directory with model.zip and preprocessing.json; a local path or a Hadoop URI.")
  String model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ServeInput input;

  @Option(names = "--out", required = true, paramLabel = "PATH", description = "Output: a Parquet directory, or a CSV file when PATH ends in .csv; a local path or a Hadoop URI.")
  String out;

  @Option(names = "--overwrite", description = "Replace --out if it exists (only once the new output is complete).")
  boolean overwrite;

  @Override
  public Integer call() {
    Storage storage = CliStorage.beforeSession();
    Path outPath = storage.resolve("--out", out);
    try (OutputLock lock = OutputLocation.claim(storage, "--out", outPath, out.endsWith(".csv"))) {
      return predict(storage, outPath);
    }
  }

  private int predict(Storage storage, Path outPath) {
    SavedModel saved = SavedModel.load(storage, storage.resolve("--model", model));
    SparkSession spark = sparkFlags.session("predict");
    Dataset<Row> rows = input.rows(spark, saved);
    Dataset<Row> predictions =
        DistributedPrediction.predict(spark, saved.network(), rows, saved.classes(), saved.labelsWereStrings());
    PredictionOutput.write(predictions, outPath, overwrite);
    PrintWriter w = spec.commandLine().getOut();
    w.println("predictions for " + input.describe() + " written to " + PathMessages.show(outPath));
    w.flush();
    return ExitCodes.OK;
  }
}
