package io.sitter.babysit;

import io.sitter.config.SitterConfig;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.ChecksWriter;
import io.sitter.prep.PrepData;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The babysitter of one training run, as {@code sitter train} and {@code sitter run} start it. */
public final class Babysitters {
  private Babysitters() {}

  /**
   * A new run starts with the preflight checks on its prep directory, their verdicts printed
   * (unless {@code skipPreflight}); training goes on even when one fails, since the user asked for
   * it and the verdicts are kept in RUN/checks.json.
   */
  public static BabysitListener forNewRun(SparkSession spark, SitterConfig config, Path prepDir, boolean skipPreflight,
      PrintWriter console) {
    long valExamples = PrepData.normalizer(prepDir).counts().getOrDefault("val", 0L);
    if (skipPreflight) {
      return new BabysitListener(List.of(), null, valExamples, console);
    }
    console.println("preflight checks (skip with --no-checks):");
    long start = System.nanoTime();
    ChecksReport preflight = PreflightJob.run(spark, prepDir, config);
    console.printf(java.util.Locale.ROOT, "  (preflight took %.1f s)%n", (System.nanoTime() - start) / 1e9);
    Diagnosis.lines(Diagnoser.diagnose(preflight.checks(), null, config), preflight.checks(), null)
        .forEach(line -> console.println("  " + line));
    if (preflight.anyFailed()) {
      console.println("  training anyway; `sitter check` repeats the checks alone");
    }
    console.flush();
    return new BabysitListener(preflight.checks(), preflight.lrProbe(), valExamples, console);
  }

  /**
   * A resumed run carries over the preflight verdicts its checks.json already holds; the
   * validation split's size is read from the prep directory it trains on.
   */
  public static BabysitListener forResumedRun(Path runDir, Path prepDir, PrintWriter console) {
    long valExamples = PrepData.normalizer(prepDir).counts().getOrDefault("val", 0L);
    Path checks = runDir.resolve(ChecksWriter.FILE_NAME);
    if (!Files.isRegularFile(checks)) {
      return new BabysitListener(List.of(), null, valExamples, console);
    }
    ChecksReport before = ChecksWriter.read(checks);
    return new BabysitListener(before.checks().stream().filter(c -> c.phase() == CheckResult.Phase.PREFLIGHT).toList(),
        before.lrProbe(), valExamples, console);
  }
}
