package io.sitter.cli;

import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepOptions;
import io.sitter.prep.PrepResult;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.Storage;
import java.util.List;
import org.apache.hadoop.fs.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sitter prep}: split, fit the normalization on train, write normalized Parquet splits. */
@Command(
    name = "prep",
    mixinStandardHelpOptions = true,
    description =
        "Split the input into train/val/test (seeded, stratified), fit the normalization on the training split only, "
            + "and write DIR/train, DIR/val, DIR/test (Parquet: index, features array<float>, label int) and DIR/preprocessing.json.")
final class PrepCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin PrepFlags prep;
  @Mixin SparkFlags sparkFlags;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (written whole or not at all); a local path or a Hadoop URI (hdfs://, s3a://, ...).")
  String out;

  @Option(names = "--overwrite", description = "Replace an existing --out directory.")
  boolean overwrite;

  @Override
  public Integer call() {
    Storage storage = CliStorage.beforeSession();
    Path outPath = storage.resolve("--out", out);
    // Before the input is read: a location that cannot be written or is in use fails in a second.
    try (OutputLock lock = OutputLocation.claim(storage, "--out", outPath, false)) {
      return prep(prep.toPrepOptions(outPath, overwrite));
    }
  }

  private int prep(PrepOptions options) {
    var console = spec.commandLine().getOut();
    long start = System.nanoTime();
    console.println("sitter prep: reading " + options.input().input());
    console.flush();
    SparkSession spark = sparkFlags.session("prep");
    PrepResult r = PrepJob.run(spark, options);
    List<Integer> zero = r.normalizer().zeroVarianceFeatures();
    if (!zero.isEmpty()) {
      var err = spec.commandLine().getErr();
      err.println("sitter prep: warning: " + zero.size() + " feature(s) have zero variance on the training split "
          + StatsCommand.shortList(zero) + (options.mode() == io.sitter.prep.NormalizationMode.STANDARDIZE ? ": left centered with scale 1" : ""));
      err.flush();
    }
    console.printf(
        "sitter prep: wrote %s: train %d, val %d, test %d rows, %d features, %d classes, mode %s, scale %s (%.1f s)%n",
        io.sitter.storage.PathMessages.show(r.dir()), r.trainCount(), r.valCount(), r.testCount(), r.normalizer().numFeatures(), r.normalizer().numClasses(),
        options.mode().cliName(), options.scale(), (System.nanoTime() - start) / 1e9);
    console.flush();
    return ExitCodes.OK;
  }
}
