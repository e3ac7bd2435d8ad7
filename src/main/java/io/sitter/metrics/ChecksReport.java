package io.sitter.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.List;

/**
 * The content of {@code RUN/checks.json}: the ranked diagnosis (most likely cause first; empty
 * when nothing is wrong), every verdict, preflight and monitors, the abort (if any) and the
 * learning-rate probe's curve (if it ran).
 */
@JsonPropertyOrder({"schemaVersion", "aborted", "diagnosis", "checks", "lrProbe"})
public record ChecksReport(
    int schemaVersion, AbortVerdict aborted, List<DiagnosisItem> diagnosis, List<CheckResult> checks,
    LrProbeCurve lrProbe)
    implements Serializable {
  public static final int SCHEMA_VERSION = 1;

  public ChecksReport {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException("checks.json schemaVersion " + schemaVersion + " is not " + SCHEMA_VERSION);
    }
    checks = List.copyOf(checks);
    // Files written before the diagnosis existed have none: nothing was diagnosed.
    diagnosis = diagnosis == null ? List.of() : List.copyOf(diagnosis);
  }

  public ChecksReport(AbortVerdict aborted, List<DiagnosisItem> diagnosis, List<CheckResult> checks, LrProbeCurve lrProbe) {
    this(SCHEMA_VERSION, aborted, diagnosis, checks, lrProbe);
  }

  /** The verdicts alone, nothing diagnosed yet (the preflight's own report). */
  public ChecksReport(AbortVerdict aborted, List<CheckResult> checks, LrProbeCurve lrProbe) {
    this(SCHEMA_VERSION, aborted, List.of(), checks, lrProbe);
  }

  /** True when some verdict failed. */
  public boolean anyFailed() {
    return checks.stream().anyMatch(c -> c.status() == CheckResult.Status.FAIL);
  }
}
