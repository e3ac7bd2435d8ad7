package io.sitter.cli;

import io.sitter.babysit.Diagnoser;
import io.sitter.babysit.Diagnosis;
import io.sitter.babysit.PreflightJob;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.data.DataReaders;
import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepOptions;
import io.sitter.prep.PrepResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.storage.PrepDirectory;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import org.apache.spark.sql.SparkSession;
import java.io.PrintWriter;
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
    modelTransformer = TrainCommand.InputOptional.class,
    description = {
      "Run the babysitter's preflight checks on prepared data (--data), or on raw input (--input with the",
      "prep flags, as `sitter train` takes them: prep runs into RUN/prep first): the untrained network's loss, that",
      "regularization raises it, that a small subset can be memorised, and a learning-rate range test.",
      "Writes RUN/checks.json and prints a plain-words diagnosis. Exit 0 when no check failed",
      "(warnings included), 1 when one failed, 2 on bad input."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkFlags spark;

  @Option(names = "--data", paramLabel = "PREPDIR",
      description = "A `sitter prep` output directory (reads PREPDIR/train and PREPDIR/preprocessing.json); a local path or a Hadoop URI; or use --input.")
  String data;

  /** With {@code --input}: prep runs first, into {@code RUN/prep}, as for {@code sitter train}. */
  @Mixin PrepFlags prepFlags;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run directory for checks.json; a local path or a Hadoop URI (hdfs://, s3a://, ...).")
  String out;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML merged over the defaults (repeatable); a path or URI.")
  List<String> configFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, e.g. train.learningRate=0.01 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    Storage storage = CliStorage.beforeSession();
    RunDirectory run = RunDirectory.at(storage, storage.resolve("--out", out));
    try (OutputLock lock = OutputLocation.claim(storage, "--out", run.path(), false)) {
      return check(storage, run);
    }
  }

  private int check(Storage storage, RunDirectory run) {
    SitterConfig config = ConfigLoader.load(storage, configFiles.stream().map(c -> storage.resolve("--config", c)).toList(), overrides);
    boolean raw = prepFlags.input.input != null;
    if (raw == (data != null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give exactly one of --data DIR and --input PATH");
    }
    if (run.exists() && !run.isDirectory()) {
      throw new BadInputException("--out " + run.path() + " is a file, not a run directory");
    }
    // before Spark starts: a wrong path should cost no session
    PrepDirectory prep = PrepDirectory.at(storage, raw ? run.file(RunDirectory.PREP) : storage.resolve("--data", data));
    PrepOptions prepOptions = raw ? prepFlags.toPrepOptions(prep.path(), false) : null;
    if (raw) {
      DataReaders.checkExists(storage, prepOptions.input());
    } else if (!prep.isPrep()) {
      throw new BadInputException(prep.preprocessingFile() + " not found: --data must be a sitter prep output directory");
    }
    PrintWriter w = spec.commandLine().getOut();
    ChecksReport report = ReportCommand.thenReport(run, w, () -> {
      SparkSession session = spark.session("check");
      if (raw) {
        PrepResult prepared = PrepJob.run(session, prepOptions);
        w.printf(java.util.Locale.ROOT, "prepared %d train, %d val, %d test rows into %s%n",
            prepared.trainCount(), prepared.valCount(), prepared.testCount(), PathMessages.show(prep.path()));
      }
      ChecksReport verdicts = PreflightJob.run(session, prep.path(), config);
      ChecksReport r = new ChecksReport(null, Diagnoser.diagnose(verdicts.checks(), null, config), verdicts.checks(),
          verdicts.lrProbe());
      RunDirectory.at(CliStorage.of(session), run.path()).writeChecks(r);
      return r;
    });
    var written = run.file(RunDirectory.CHECKS);
    Diagnosis.lines(report.diagnosis(), report.checks(), null).forEach(w::println);
    w.println("Verdicts written to " + PathMessages.show(written));
    w.flush();
    return report.anyFailed() ? ExitCodes.FAILED : ExitCodes.OK;
  }
}
