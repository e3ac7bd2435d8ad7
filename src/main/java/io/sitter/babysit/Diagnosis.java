package io.sitter.babysit;

import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.DiagnosisItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The console text of a diagnosis, as {@code check} and {@code train} print it: the abort, then the
 * most likely cause in one sentence with its evidence, then the other causes, then the verdicts
 * that fired (failures first) and a count; a healthy run gets two lines.
 */
public final class Diagnosis {
  private Diagnosis() {}

  /** The console lines ({@code aborted} may be null). */
  public static List<String> lines(List<DiagnosisItem> diagnosis, List<CheckResult> checks, AbortVerdict aborted) {
    List<String> out = new ArrayList<>();
    if (aborted != null) {
      out.add("ABORTED at round " + aborted.round() + ": " + aborted.reason());
    }
    if (diagnosis.isEmpty() && aborted == null) {
      out.add("Diagnosis: nothing wrong found.");
    } else if (!diagnosis.isEmpty()) {
      DiagnosisItem top = diagnosis.get(0);
      out.add("Diagnosis: " + top.cause() + ". " + top.text());
      top.evidence().forEach(e -> out.add("    " + e));
      for (DiagnosisItem other : diagnosis.subList(1, diagnosis.size())) {
        out.add("  also " + other.cause() + ": " + other.text());
      }
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
      out.add(c.status().key().toUpperCase(Locale.ROOT) + " " + c.check() + where + when + ": " + c.hint());
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
