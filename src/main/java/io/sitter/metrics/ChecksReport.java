package io.sitter.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.List;

/**
 * The content of {@code RUN/checks.json}: every verdict, preflight and monitors, the abort (if
 * any) and the learning-rate probe's curve (if it ran).
 */
@JsonPropertyOrder({"schemaVersion", "aborted", "checks", "lrProbe"})
public record ChecksReport(int schemaVersion, AbortVerdict aborted, List<CheckResult> checks, LrProbeCurve lrProbe)
    implements Serializable {
  public static final int SCHEMA_VERSION = 1;

  public ChecksReport {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException("checks.json schemaVersion " + schemaVersion + " is not " + SCHEMA_VERSION);
    }
    checks = List.copyOf(checks);
  }

  public ChecksReport(AbortVerdict aborted, List<CheckResult> checks, LrProbeCurve lrProbe) {
    this(SCHEMA_VERSION, aborted, checks, lrProbe);
  }

  /** True when some verdict failed. */
  public boolean anyFailed() {
    return checks.stream().anyMatch(c -> c.status() == CheckResult.Status.FAIL);
  }
}
