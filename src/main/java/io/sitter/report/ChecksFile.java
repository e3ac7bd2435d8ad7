package io.sitter.report;

import java.util.List;
import java.util.Map;

/**
 * {@code checks.json} (docs/formats.md): the babysitter's ranked diagnosis, its verdicts, the abort
 * if any, the LR probe.
 */
record ChecksFile(Abort aborted, List<Cause> diagnosis, List<Verdict> checks, LrProbe lrProbe) {
  ChecksFile {
    checks = checks == null ? List.of() : List.copyOf(checks);
    diagnosis = diagnosis == null ? List.of() : List.copyOf(diagnosis);
  }

  /** One diagnosed cause, most likely first: its ID, evidence, the change to try and one sentence. */
  record Cause(String cause, List<String> evidence, Change change, String text) {
    Cause {
      evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
  }

  /** A configuration key (or prep flag) and the value to give it. */
  record Change(String key, String value) {}

  /**
   * Why and when the babysitter stopped training; {@code initialLoss} is the loss its rule
   * compared with, {@code suggestedLearningRate} a lower rate to try (both may be absent).
   */
  record Abort(
      Integer round,
      String reason,
      Double loss,
      Double initialLoss,
      String layer,
      Double updateRatio,
      Double learningRate,
      Double suggestedLearningRate) {}

  /** One check's finding; {@code status} is pass, warn or fail; {@code layer} is set for per-layer monitors. */
  record Verdict(
      String check,
      String phase,
      String status,
      String layer,
      String observed,
      String expected,
      String hint,
      Map<String, Object> values,
      Integer firstRound,
      Integer lastRound) {
    Verdict {
      // values may legitimately hold nulls (a JSON null), which Map.copyOf refuses.
      values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
  }

  /**
   * The learning-rate range test: loss after each step of an exponentially growing rate, and the
   * smoothed loss the babysitter judged on (absent in older files).
   */
  record LrProbe(
      List<Double> rates, List<Double> losses, List<Double> smoothed, Double steepest, Double explodes, Double suggested) {
    LrProbe {
      // Lists may hold nulls (List.copyOf refuses them).
      rates = rates == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(rates));
      losses = losses == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(losses));
      smoothed = smoothed == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(smoothed));
    }
  }
}
