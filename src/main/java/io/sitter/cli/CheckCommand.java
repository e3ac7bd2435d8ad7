package io.sitter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.babysit.Diagnosis;
import io.sitter.babysit.PreflightJob;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.ChecksWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sitter check}: the babysitter's preflight checks on a prep output directory, before any
 * training. Exit 0 when no check failed (warnings are advice, not errors), 1 when one failed, 2 on
 * bad input.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run the babysitter's preflight checks on prepared data: the untrained network's loss, that",
      "regularization raises it, that a small subset can be memorised, and a learning-rate range test.",
      "Writes RUN/checks.json and prints a plain-words diagnosis. Exit 0 when no check failed",
      "(warnings included), 1 when one failed, 2 on bad input."
    })
final class CheckCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A prep split's columns (docs/formats.md). */
  static final StructType SPLIT_SCHEMA = new StructType()
      .add("index", DataTypes.LongType, true)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, true), true)
      .add("label", DataTypes.IntegerType, true);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkFlags spark;

  @Option(names = "--data", required = true, paramLabel = "PREPDIR",
      description = "A `sitter prep` output directory (reads PREPDIR/train and PREPDIR/preprocessing.json).")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run directory for checks.json.")
  Path out;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML merged over the defaults (repeatable).")
  List<Path> configFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, e.g. train.learningRate=0.01 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    SitterConfig config = ConfigLoader.load(configFiles, overrides);
    PrepShape shape = PrepShape.read(data);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new BadInputException("--out " + out + " is a file, not a run directory");
    }
    SparkSession session = spark.session("check");
    String trainPath = data.resolve("train").toString();
    Dataset<Row> train;
    try {
      // The documented schema, not an inferred one: no footer-reading job, and a column that is
      // missing reads as null, which the checks report as bad input naming the row.
      train = session.read().schema(SPLIT_SCHEMA).parquet(trainPath);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw new BadInputException(trainPath + ": cannot read the training split: " + e.getMessage(), e);
      }
      throw e;
    }
    ChecksReport report = PreflightJob.run(session, train, trainPath, shape.numFeatures(), shape.numClasses(), config);
    Path written = ChecksWriter.write(out, report);
    PrintWriter w = spec.commandLine().getOut();
    Diagnosis.lines(report.checks(), null).forEach(w::println);
    w.println("Verdicts written to " + written);
    w.flush();
    return report.anyFailed() ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /** The two numbers of {@code preprocessing.json} the checks need (docs/formats.md). */
  record PrepShape(int numFeatures, int numClasses) {
    static PrepShape read(Path prepDir) {
      Path file = prepDir.resolve("preprocessing.json");
      if (!Files.isRegularFile(file)) {
        throw new BadInputException(file + " not found: --data must be a sitter prep output directory");
      }
      JsonNode json;
      try {
        json = JSON.readTree(file.toFile());
      } catch (IOException e) {
        throw new BadInputException(file + ": not valid JSON: " + e.getMessage(), e);
      }
      return new PrepShape(positive(json, "numFeatures", file, 1), positive(json, "numClasses", file, 2));
    }

    private static int positive(JsonNode json, String key, Path file, int min) {
      JsonNode v = json.get(key);
      if (v == null || !v.canConvertToInt() || v.asInt() < min) {
        throw new BadInputException(file + ": '" + key + "' must be an integer >= " + min + ", got " + v);
      }
      return v.asInt();
    }
  }
}
