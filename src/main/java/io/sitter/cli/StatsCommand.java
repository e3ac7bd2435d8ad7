package io.sitter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import io.sitter.prep.StatsJob;
import io.sitter.storage.PathMessages;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sitter stats}: count, per-feature mean/std/min/max and label counts of a whole input. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Per-feature count, mean, std (population), min, max of the whole input (label excluded), and label counts, as JSON.")
final class StatsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin InputFlags input;
  @Mixin SparkFlags sparkFlags;

  @Option(names = "--out", paramLabel = "FILE.json", description = "Write the JSON here (default: print it); a local path or a Hadoop URI.")
  String out;

  @Option(names = "--overwrite", description = "Replace an existing --out file.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    var inputSpec = input.toInputSpec();
    Storage storage = CliStorage.beforeSession();
    Path outPath = out == null ? null : storage.resolve("--out", out);
    if (outPath != null) {
      OutputLocation.check(storage, "--out", outPath, true);
    }
    if (outPath != null && storage.fileSystem(outPath).exists(outPath) && !overwrite) {
      throw new BadInputException("--out " + outPath + " already exists; use --overwrite to replace it");
    }
    var console = spec.commandLine().getOut();
    long start = System.nanoTime();
    StatsJob.InputStatistics s = StatsJob.run(sparkFlags.session("stats"), inputSpec, outPath);
    if (out == null) {
      console.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(s));
    } else {
      console.printf("sitter stats: %d rows, %d features, %d classes -> %s (%.1f s)%n",
          s.count(), s.numFeatures(), s.classes().size(), PathMessages.show(outPath), (System.nanoTime() - start) / 1e9);
    }
    if (!s.zeroVarianceFeatures().isEmpty()) {
      spec.commandLine().getErr().println("sitter stats: note: constant feature(s) " + shortList(s.zeroVarianceFeatures()));
    }
    console.flush();
    return ExitCodes.OK;
  }

  static String shortList(List<Integer> features) {
    return features.size() <= 20 ? features.toString() : features.subList(0, 20) + " and " + (features.size() - 20) + " more";
  }
}
