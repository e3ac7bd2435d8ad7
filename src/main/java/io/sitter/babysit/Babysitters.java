package io.sitter.babysit;

import io.sitter.config.SitterConfig;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.prep.PrepData;
import io.sitter.storage.RunDirectory;
import java.util.Optional;
import java.io.PrintWriter;
import org.apache.hadoop.fs.Path;
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
    long valExamples = valExamples(spark, prepDir);
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
  public static BabysitListener forResumedRun(SparkSession spark, RunDirectory runDir, Path prepDir, PrintWriter console) {
    long valExamples = valExamples(spark, prepDir);
    Optional<ChecksReport> checks = runDir.checks();
    if (checks.isEmpty()) {
      return new BabysitListener(List.of(), null, valExamples, console);
    }
    ChecksReport before = checks.get();
    return new BabysitListener(before.checks().stream().filter(c -> c.phase() == CheckResult.Phase.PREFLIGHT).toList(),
        before.lrProbe(), valExamples, console);
  }

  private static long valExamples(SparkSession spark, Path prepDir) {
    return PrepData.open(spark, prepDir, "--data").normalizer().counts().getOrDefault("val", 0L);
  }
}
