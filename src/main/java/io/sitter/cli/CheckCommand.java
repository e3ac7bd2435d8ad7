package io.sitter.cli;

import io.sitter.babysit.Diagnoser;
import io.sitter.babysit.Diagnosis;
import io.sitter.babysit.PreflightJob;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.ChecksWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
    if (!Files.isRegularFile(data.resolve("preprocessing.json"))) {
      // before Spark starts: a wrong path should cost no session
      throw new BadInputException(data.resolve("preprocessing.json") + " not found: --data must be a sitter prep output directory");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new BadInputException("--out " + out + " is a file, not a run directory");
    }
    PrintWriter w = spec.commandLine().getOut();
    ChecksReport report = ReportCommand.thenReport(out, w, () -> {
      ChecksReport verdicts = PreflightJob.run(spark.session("check"), data, config);
      ChecksReport r = new ChecksReport(null, Diagnoser.diagnose(verdicts.checks(), null, config), verdicts.checks(),
          verdicts.lrProbe());
      ChecksWriter.write(out, r);
      return r;
    });
    Path written = out.resolve(ChecksWriter.FILE_NAME);
    Diagnosis.lines(report.diagnosis(), report.checks(), null).forEach(w::println);
    w.println("Verdicts written to " + written);
    w.flush();
    return report.anyFailed() ? ExitCodes.FAILED : ExitCodes.OK;
  }
}
