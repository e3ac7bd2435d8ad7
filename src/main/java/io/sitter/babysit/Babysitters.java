package io.sitter.babysit;

import io.sitter.config.SitterConfig;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
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
    if (skipPreflight) {
      return new BabysitListener(List.of(), null, console);
    }
    console.println("preflight checks (skip with --no-checks):");
    ChecksReport preflight = PreflightJob.run(spark, prepDir, config);
    Diagnosis.lines(preflight.checks(), null).forEach(line -> console.println("  " + line));
    if (preflight.anyFailed()) {
      console.println("  training anyway; `sitter check` repeats the checks alone");
    }
    console.flush();
    return new BabysitListener(preflight.checks(), preflight.lrProbe(), console);
  }

  /** A resumed run carries over the preflight verdicts its checks.json already holds. */
  public static BabysitListener forResumedRun(RunDirectory runDir, PrintWriter console) {
    Optional<ChecksReport> checks = runDir.checks();
    if (checks.isEmpty()) {
      return new BabysitListener(List.of(), null, console);
    }
    ChecksReport before = checks.get();
    return new BabysitListener(before.checks().stream().filter(c -> c.phase() == CheckResult.Phase.PREFLIGHT).toList(),
        before.lrProbe(), console);
  }
}
