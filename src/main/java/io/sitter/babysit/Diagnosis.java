package io.sitter.babysit;

import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The short plain-words diagnosis printed at the end of {@code check} and {@code train}: the abort
 * first, then failures, then warnings, each with its hint; a passing run gets one line.
 */
public final class Diagnosis {
  private Diagnosis() {}

  /** The console lines for these verdicts ({@code aborted} may be null). */
  public static List<String> lines(List<CheckResult> checks, AbortVerdict aborted) {
    List<String> out = new ArrayList<>();
    if (aborted != null) {
      out.add("ABORTED at round " + aborted.round() + ": " + aborted.reason());
    }
    List<CheckResult> fired = checks.stream()
        .filter(c -> c.status() != Status.PASS)
        .sorted(Comparator.comparing(CheckResult::status).reversed())
        .toList();
    for (CheckResult c : fired) {
      String where = c.layer() == null ? "" : " [" + c.layer() + "]";
      String when = c.firstRound() == null ? ""
          : c.firstRound().equals(c.lastRound()) ? " (round " + c.firstRound() + ")"
          : " (rounds " + c.firstRound() + "-" + c.lastRound() + ")";
      out.add(c.status().key().toUpperCase(java.util.Locale.ROOT) + " " + c.check() + where + when + ": " + c.hint());
    }
    long warned = fired.stream().filter(c -> c.status() == Status.WARN).count();
    long failed = fired.size() - warned;
    if (fired.isEmpty() && aborted == null) {
      out.add("All " + checks.size() + " checks passed.");
    } else {
      out.add(checks.size() + " checks: " + (checks.size() - fired.size()) + " passed, " + warned + " warned, "
          + failed + " failed.");
    }
    return out;
  }
}
