package io.sitter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import io.sitter.babysit.BabysitListener;
import io.sitter.babysit.Babysitters;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepResult;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import java.io.PrintWriter;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sitter train}: distributed training by synchronous parameter averaging on a prep output. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    modelTransformer = TrainCommand.InputOptional.class,
    description = {
      "Trains a batch-normalized MLP on a prep output directory (--data), or on raw input (--input with",
      "the prep flags, which runs prep into RUN/prep first), by synchronous parameter averaging:",
      "the training split is sharded over the executors, each round every partition fits K minibatches,",
      "and the driver averages parameters and updater state and pools BatchNorm statistics.",
      "Writes RUN/model.zip, config.json, preprocessing.json, metrics.jsonl/csv, checkpoints/ and,",
      "with a test split, evaluation.json. The babysitter runs the preflight checks first (unless",
      "--no-checks), watches every round (RUN/checks.json, per-layer monitors in metrics.jsonl),",
      "prints a diagnosis and aborts a diverging run with exit code 3."
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkFlags sparkFlags;
  @Mixin TrainingFlags training;

  @Option(names = "--data", paramLabel = "DIR", description = "A prep output directory (sitter prep --out; a local path or a Hadoop URI); or use --input.")
  String data;

  /** With {@code --input}: prep runs first, into {@code RUN/prep}. */
  @Mixin PrepFlags prep;

  @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run directory to write: a local path or a Hadoop URI (hdfs://, s3a://, ...).")
  String out;

  @Option(names = "--resume", description = "Continue RUN from its latest checkpoint, with its saved configuration.")
  boolean resume;

  @Override
  public Integer call() {
    if (training.overwrite && resume) {
      throw new ParameterException(spec.commandLine(), "--overwrite and --resume exclude each other");
    }
    training.check();
    boolean raw = prep.input.input != null;
    if (raw == (data != null) && !(resume && data == null && !raw)) {
      throw new ParameterException(spec.commandLine(), "give exactly one of --data DIR and --input PATH");
    }
    if (raw && resume) {
      throw new ParameterException(spec.commandLine(), "--resume trains on the run's own data; drop --input");
    }
    Storage storage = CliStorage.beforeSession();
    RunDirectory run = RunDirectory.at(storage, storage.resolve("--out", out));
    // Before anything is read: RUN must be writable and no other sitter process's (a second
    // train or a resume of the same run would interleave checkpoints and metrics).
    try (OutputLock lock = OutputLocation.claim(storage, "--out", run.path(), false)) {
      return train(storage, run, raw);
    }
  }

  private int train(Storage storage, RunDirectory run, boolean raw) {
    Path dataDir = data != null ? storage.resolve("--data", data) : run.file(RunDirectory.PREP);
    SitterConfig config = resume ? savedConfig(run) : training.config();
    if (!resume) {
      run.checkNew("--out", training.overwrite); // before Spark starts and before prep writes into RUN/prep
    }
    PrintWriter w = spec.commandLine().getOut();
    if (resume) {
      Optional<JsonNode> finished = run.training();
      if (finished.isPresent()) {
        return alreadyComplete(run, finished.get(), w);
      }
    }
    SparkSession spark = sparkFlags.session("train");
    int p = training.partitions(spark);
    TrainRequest.OutputMode mode = resume ? TrainRequest.OutputMode.RESUME
        : training.overwrite ? TrainRequest.OutputMode.OVERWRITE : TrainRequest.OutputMode.NEW;
    if (raw) {
      TrainJob.prepareRunDirectory(CliStorage.of(spark), run.path(), training.overwrite);
      PrepResult prepared = PrepJob.run(spark, prep.toPrepOptions(dataDir, false));
      w.printf(Locale.ROOT, "prepared %d train, %d val, %d test rows into %s%n",
          prepared.trainCount(), prepared.valCount(), prepared.testCount(), prepared.dir());
      mode = TrainRequest.OutputMode.NEW;
    }
    BabysitListener babysitter = resume ? Babysitters.forResumedRun(spark, run, dataDir, w)
        : Babysitters.forNewRun(spark, config, dataDir, training.noChecks, w);
    TrainRequest.OutputMode runMode = mode;
    TrainResult r = ReportCommand.thenReport(run, w, () -> TrainJob.run(spark, new TrainRequest(dataDir, run.path(), config, p, runMode,
        List.of(babysitter), Map.of("sitter", Versions.sitter(), "dl4j", Versions.dl4j()), w)));
    // NaN when no round ran: a resume killed after the final checkpoint, before training.json.
    String trainLoss = Double.isNaN(r.trainLoss()) ? "no round left to run after the final checkpoint"
        : String.format(Locale.ROOT, "train loss %.4f", r.trainLoss());
    w.printf(Locale.ROOT, "trained %d epochs (%d rounds, K=%d, %d partitions) in %s: %s%s%s%n",
        r.epochs(), r.rounds(), r.averagingFrequency(), p, seconds(r.seconds()), trainLoss,
        r.valAccuracy() == null ? "" : String.format(Locale.ROOT, ", validation accuracy %.4f", r.valAccuracy()),
        r.testAccuracy() == null ? "" : String.format(Locale.ROOT, ", test accuracy %.4f", r.testAccuracy()));
    w.println("run directory: " + PathMessages.show(r.runDir()));
    w.flush();
    return ExitCodes.OK;
  }

  /**
   * {@code --resume} of a run that finished: {@code training.json} is written last, after the model
   * and the evaluation, so it marks a complete run. Resuming one used to train no round, rewrite
   * model.zip, evaluation.json and training.json and print "train loss NaN" (no round, no loss);
   * there is nothing to continue, so the results are printed as they stand and nothing is touched.
   */
  private static int alreadyComplete(RunDirectory run, JsonNode t, PrintWriter w) {
    w.printf(Locale.ROOT, "%s is already complete (%d epochs, %d rounds): nothing to resume, nothing rewritten%n",
        PathMessages.show(run.path()), t.path("epochs").asInt(), t.path("rounds").asInt());
    StringBuilder results = new StringBuilder("results:");
    appendNumber(results, " train loss", t.path("trainLoss"));
    appendNumber(results, ", validation accuracy", t.path("valAccuracy"));
    appendNumber(results, ", test accuracy", t.path("testAccuracy"));
    w.println(results);
    w.println("run directory: " + PathMessages.show(run.path()));
    w.println("to train it again: --overwrite (replaces it) or another --out");
    w.flush();
    return ExitCodes.OK;
  }

  private static void appendNumber(StringBuilder to, String label, JsonNode value) {
    if (value.isNumber()) {
      to.append(label).append(String.format(Locale.ROOT, " %.4f", value.asDouble()));
    }
  }

  /**
   * A resumed run keeps its configuration; changing it half-way would not reach the same model.
   * {@code --config}/{@code --set} may repeat it (a script that always passes them) but not change
   * it: the keys that differ are named.
   */
  private SitterConfig savedConfig(RunDirectory run) {
    JsonNode tree = run.config().orElseThrow(() ->
        new BadInputException("--resume " + run.path() + ": not a sitter run directory (no " + RunDirectory.CONFIG + ")"));
    SitterConfig saved;
    try {
      saved = ConfigLoader.bindSaved(tree.path("config"));
    } catch (BadInputException e) {
      throw new BadInputException(run.file(RunDirectory.CONFIG) + ": " + e.getMessage(), e);
    }
    if (!training.configs.isEmpty() || !training.sets.isEmpty()) {
      List<String> differing = ConfigLoader.differences(saved, training.config());
      if (!differing.isEmpty()) {
        throw new BadInputException("--resume " + PathMessages.show(run.path()) + ": --config/--set differ from the run's "
            + PathMessages.show(run.file(RunDirectory.CONFIG)) + " in " + String.join(", ", differing)
            + " (a resumed run continues with its saved configuration; drop --config/--set or start a new run)");
      }
    }
    return saved;
  }

  private static String seconds(double s) {
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60) : String.format(Locale.ROOT, "%.1fs", s);
  }

  /**
   * The shared prep flags declare {@code --input} required (right for {@code sitter prep}); here it
   * is one of two alternatives to {@code --data}, checked in {@link #call}. Picocli refuses mixins
   * inside argument groups ("@Mixins are not supported on @ArgGroups"), so the option is relaxed on
   * the built model instead.
   */
  static final class InputOptional implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec commandSpec) {
      OptionSpec input = commandSpec.findOption("--input");
      commandSpec.remove(input);
      commandSpec.addOption(input.toBuilder().required(false).build());
      return commandSpec;
    }
  }
}
